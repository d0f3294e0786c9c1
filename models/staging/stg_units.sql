with

source as (

    {{ seed_source('units') }}

),

renamed as (

    select
        unit_id,
        label as unit_label,
        dimension,
        base_unit_id,
        {{ seed_typed('to_base_multiplier', 'decimal(18, 6)') }} as to_base_multiplier,
        description as unit_description,
        seed_row + 1 as seed_line
    from source

)

select * from renamed
