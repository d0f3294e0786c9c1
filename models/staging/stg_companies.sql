with

source as (

    {{ seed_source('companies', external=true) }}

),

renamed as (

    select
        company_id,
        company_name,
        tickers,
        reporting_currency,
        accounting_standard,
        {{ seed_typed('fiscal_year_end_month', 'integer') }} as fiscal_year_end_month,
        fiscal_year_named_by,
        {{ seed_typed('calendar_changed_in_fiscal_year', 'integer') }} as calendar_changed_in_fiscal_year,
        {{ seed_typed('previous_fiscal_year_end_month', 'integer') }} as previous_fiscal_year_end_month,
        previous_fiscal_year_named_by,
        seed_row + 1 as seed_line
    from source

)

select * from renamed
