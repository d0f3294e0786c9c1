with

source as (

    select * from {{ ref('reconciliation_exceptions') }}

),

renamed as (

    select
        check_id,
        documented_residual,
        reason as exception_reason
    from source

)

select * from renamed
