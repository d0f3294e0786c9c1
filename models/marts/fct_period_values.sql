-- One row per company, period, line item, scenario and basis: every value the warehouse knows as it stands
-- (the view of each company's latest document), however it knows it: as printed, summed from its quarters,
-- or implied by the printed YoY change or YoY % of the period a year later (or by both), with the interval
-- of true values the printed figures' rounding allows. The values the statements leave out (known only
-- through a printed YoY %, e.g. FY2015 from FY2016's brackets; docs/decisions.md D30) are here, flagged.
with

period_values as (

    select * from {{ ref('int_period_values_by_document') }}
    where is_latest_view
        {{ for_changed_companies(keyword='and') }}

),

fiscal_periods as (

    select * from {{ ref('dim_fiscal_periods') }}
    {{ for_changed_companies() }}

),

line_items as (

    select * from {{ ref('dim_line_items') }}

),

final as (

    select
        period_values.company_id || ':' || period_values.period_code || ':' || period_values.line_item_id || ':'
        || period_values.scenario || ':' || period_values.basis as period_value_id,
        period_values.company_id,
        period_values.period_code,
        fiscal_periods.fiscal_period_id,
        -- A figure at a date is coded by its ISO date; a period's values stand at its end.
        coalesce(fiscal_periods.end_date, {{ try_to_date('period_values.period_code') }}) as as_of_date,
        period_values.line_item_id,
        line_items.statement,
        period_values.scenario,
        period_values.basis,
        cast(period_values.value as decimal(24, 6)) as value,
        cast(period_values.value - period_values.uncertainty_below as decimal(24, 6)) as value_low,
        cast(period_values.value + period_values.uncertainty_above as decimal(24, 6)) as value_high,
        period_values.value_source,
        period_values.value_source not in ('printed', 'sum_of_quarters') as is_implied,
        {{ array_join('period_values.figure_ids', ', ') }} as figure_ids,
        period_values.accounting_standard
    from period_values
    inner join line_items
        on period_values.line_item_id = line_items.line_item_id
    left join fiscal_periods
        on
            period_values.company_id = fiscal_periods.company_id
            and period_values.period_code = fiscal_periods.period_code

)

select * from final
