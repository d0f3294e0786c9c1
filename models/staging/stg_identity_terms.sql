with

source as (

    {{ seed_with_rows(ref('identity_terms')) }}

),

renamed as (

    select
        identity_id,
        part,
        nullif(line_item_id, '') as line_item_id,
        nullif(basis, '') as basis,
        nullif(period_relation, '') as period_relation,
        coefficient,
        nullif(line_item_id, '') is null as is_constant,
        seed_row as term_order
    from source

)

select * from renamed
