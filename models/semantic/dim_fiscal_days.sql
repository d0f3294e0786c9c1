-- One row per day of the fiscal calendar, with the fiscal quarter and fiscal year it belongs to: the
-- time spine of the semantic layer (MetricFlow's `metric_time`, and its custom granularities
-- fiscal_quarter and fiscal_year). The semantic layer has one calendar: the days of every company's
-- quarters must agree (the unique test on date_day fails otherwise).
with

fiscal_quarters as (

    select distinct
        period_code as fiscal_quarter,
        'FY' || fiscal_year as fiscal_year,
        start_date,
        end_date
    from {{ ref('int_fiscal_periods') }}
    where period_grain = 'fiscal_quarter'

),

spine_range as (

    select
        min(start_date) as first_day,
        max(end_date) as final_day
    from fiscal_quarters

),

days as (

    select {{ day_series('first_day', 'final_day') }} as date_day
    from spine_range

),

final as (

    select
        days.date_day,
        fiscal_quarters.fiscal_quarter,
        fiscal_quarters.fiscal_year
    from days
    inner join fiscal_quarters
        on days.date_day between fiscal_quarters.start_date and fiscal_quarters.end_date

)

select * from final
