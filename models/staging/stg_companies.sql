with

source as (

    select * from {{ external_or_seed('companies') }}

),

renamed as (

    select
        company_id,
        company_name,
        tickers,
        reporting_currency,
        accounting_standard,
        fiscal_year_end_month,
        fiscal_year_named_by,
        calendar_changed_in_fiscal_year,
        previous_fiscal_year_end_month,
        previous_fiscal_year_named_by
    from source

)

select * from renamed
