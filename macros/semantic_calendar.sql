{% macro test_fiscal_quarters_fit_calendar_quarters(model) %}
    {#-
        The semantic layer's calendar grains (fiscal_quarter_period__calendar_date__quarter, __year) count a fiscal
        quarter in the calendar quarter it starts in, which is right only when the fiscal quarter is a calendar quarter:
        a fiscal year ending in March, June, September or December (docs/decisions.md D25). Fails with one row per
        fiscal quarter that straddles two calendar quarters, naming the company and the dates. A generic test written as
        a `test_` macro (dbt's older spelling of `{% test %}`), as the lint's plain-Jinja macro loader reads macros/.
    -#}
    select
        company_id,
        fiscal_period_id,
        start_date,
        end_date,
        'company ' || company_id || ': fiscal quarter ' || fiscal_period_id || ' (' || cast(start_date as string)
        || ' .. ' || cast(end_date as string) || ') is not a calendar quarter: the semantic layer holds fiscal years'
        || ' ending in March, June, September or December only (docs/decisions.md D25)' as message
    from {{ model }}
    where
        month(start_date) not in (1, 4, 7, 10)
        or {{ add_days(add_months('start_date', 3), -1) }} != end_date
{% endmacro %}
