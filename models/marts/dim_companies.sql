-- One row per company, with the fiscal calendar its periods follow.
with

companies as (

    select * from {{ ref('stg_companies') }}
    {{ for_changed_companies() }}

),

final as (

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
    from companies

)

select * from final
