with

source as (

    {{ seed_source('reconciliation_exceptions', external=true) }}

),

renamed as (

    select
        check_id,
        {{ company_of_check('check_id') }} as company_id,
        {{ seed_typed('documented_residual', 'decimal(24, 6)') }} as documented_residual,
        reason as exception_reason,
        seed_row + 1 as seed_line
    from source

)

select * from renamed
