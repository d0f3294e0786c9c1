-- One row per company and reported fiscal quarter (actuals): the quarterly income statement placed in fiscal
-- time, the semantic layer's base (docs/decisions.md D25). Fiscal quarter Q of a company's fiscal year N sits on
-- the canonical date N-(3Q-2)-01 (FY2017-Q1 on 2017-01-01, FY2017-Q4 on 2017-10-01), whatever the company's year
-- end, so one time spine holds every company's calendar; the real dates are kept for calendar questions.
-- has_prior_year_quarter / has_next_year_quarter say whether the same quarter a year earlier / later is reported:
-- a YoY over a year in progress compares only the quarters both years have.
-- A view, as the mtr_ tables that read it: it follows the mart it reads, and names it without the database, so it
-- keeps working when the file is renamed, copied or attached under another name.
{{ config(materialized='view') }}

with

quarters as (

    select * from {{ ref('fct_income_statement_quarterly').include(database=False) }}

),

placed as (

    select
        this_quarter.fiscal_period_id,
        this_quarter.company_id,
        'FY' || this_quarter.fiscal_year || '-Q' || this_quarter.fiscal_quarter as fiscal_quarter_code,
        this_quarter.fiscal_year,
        this_quarter.fiscal_quarter,
        this_quarter.period_label,
        make_date(this_quarter.fiscal_year, 3 * this_quarter.fiscal_quarter - 2, 1) as fiscal_date,
        this_quarter.start_date,
        this_quarter.end_date,
        this_quarter.revenue,
        this_quarter.cost_of_revenue,
        this_quarter.gross_margin,
        this_quarter.sga_rd,
        this_quarter.operating_income,
        prior_year.fiscal_period_id is not null as has_prior_year_quarter,
        next_year.fiscal_period_id is not null as has_next_year_quarter
    from quarters as this_quarter
    left join quarters as prior_year
        on
            this_quarter.company_id = prior_year.company_id
            and this_quarter.fiscal_year - 1 = prior_year.fiscal_year
            and this_quarter.fiscal_quarter = prior_year.fiscal_quarter
    left join quarters as next_year
        on
            this_quarter.company_id = next_year.company_id
            and this_quarter.fiscal_year + 1 = next_year.fiscal_year
            and this_quarter.fiscal_quarter = next_year.fiscal_quarter

)

select * from placed
