with

source as (

    select * from {{ ref('identity_terms') }}

),

renamed as (

    select
        identity_id,
        part,
        nullif(line_item_id, '') as line_item_id,
        nullif(basis, '') as basis,
        nullif(period_relation, '') as period_relation,
        coefficient,
        nullif(line_item_id, '') is null as is_constant
    from source

)

select * from renamed
