with

source as (

    {{ seed_source('identity_terms') }}

),

renamed as (

    select
        identity_id,
        part,
        nullif(line_item_id, '') as line_item_id,
        nullif(basis, '') as basis,
        nullif(period_relation, '') as period_relation,
        {{ seed_typed('coefficient', 'decimal(18, 6)') }} as coefficient,
        nullif(line_item_id, '') is null as is_constant,
        seed_row + 1 as seed_line
    from source

)

select * from renamed
