with

source as (

    select * from {{ external_or_seed('reconciliation_exceptions') }}

),

renamed as (

    select
        check_id,
        documented_residual,
        reason as exception_reason
    from source

)

select * from renamed
