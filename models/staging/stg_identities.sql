with

source as (

    {{ seed_source('identities') }}

),

renamed as (

    select
        identity_id,
        family,
        kind,
        nullif(result_line_item_id, '') as result_line_item_id,
        nullif(result_basis, '') as result_basis,
        nullif(result_period_relation, '') as result_period_relation,
        description as identity_description,
        seed_row + 1 as seed_line
    from source

)

select * from renamed
