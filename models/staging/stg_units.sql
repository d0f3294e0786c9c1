with

source as (

    select * from {{ ref('units') }}

),

renamed as (

    select
        unit_id,
        label as unit_label,
        dimension,
        base_unit_id,
        to_base_multiplier,
        description as unit_description
    from source

)

select * from renamed
