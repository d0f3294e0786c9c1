-- One row per day of fiscal time, with the fiscal quarter and fiscal year it stands for: the time spine of the
-- semantic layer (MetricFlow's `metric_time`, and its custom granularities fiscal_quarter and fiscal_year).
-- Fiscal time places every company's fiscal quarter Q of fiscal year N on the calendar quarter Q of year N
-- (sem_income_statement_quarters, docs/decisions.md D25), so one spine holds every company's calendar: a day
-- of year N, quarter Q is FY N-QQ for every company, whatever its year end.
with

fiscal_years as (

    select
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year
    from {{ ref('dim_fiscal_periods') }}

),

spine_range as (

    select
        make_date(first_fiscal_year, 1, 1) as first_day,
        -- One year past the last: a YoY's offset reaches the year after the last quarter reported.
        make_date(last_fiscal_year + 1, 12, 31) as final_day
    from fiscal_years

),

days as (

    select {{ day_series('first_day', 'final_day') }} as date_day
    from spine_range

),

final as (

    select
        date_day,
        'FY' || year(date_day) || '-Q' || quarter(date_day) as fiscal_quarter,
        'FY' || year(date_day) as fiscal_year
    from days

)

select * from final
