-- One row per company, KPI, period (or date) and scenario: operating KPIs and the business figures
-- outside the financial statements (revenue and cost breakdowns, other income items, subscriptions,
-- clients, headcounts, ownership stakes), each with its unit and date, as printed; the value a year earlier as
-- the warehouse knows it (printed, or implied by the printed YoY change or YoY %, with its interval); a
-- revenue line's share of total revenues.
with

line_items as (

    select * from {{ ref('dim_line_items') }}
    where statement in ('kpi', 'revenue_breakdown', 'expense_breakdown', 'other_income', 'plan_assumption')

),

figure_values as (

    select * from {{ ref('int_figure_values') }}
    {{ for_changed_companies() }}

),

figures as (

    select * from {{ ref('int_reported_figures') }}
    {{ for_changed_companies() }}

),

fiscal_periods as (

    select * from {{ ref('dim_fiscal_periods') }}
    {{ for_changed_companies() }}

),

-- Every value the warehouse knows as it stands, those known only through a printed YoY % too (flagged by
-- their source, as in fct_period_values).
period_values as (

    select * from {{ ref('int_period_values_by_document') }}
    where is_latest_view and basis = 'value'
        {{ for_changed_companies(keyword='and') }}

),

kpi_figures as (

    select
        figure_values.company_id,
        figure_values.period_code,
        figure_values.line_item_id,
        figure_values.scenario,
        figure_values.basis,
        figure_values.value,
        figure_values.figure_id,
        figure_values.fiscal_period_id,
        figure_values.as_of_date,
        figure_values.base_unit_id,
        figure_values.prior_year_period_code
    from figure_values
    inner join line_items
        on figure_values.line_item_id = line_items.line_item_id

),

pivoted as (

    select
        company_id,
        period_code,
        line_item_id,
        scenario,
        any_value(fiscal_period_id) as fiscal_period_id,
        any_value(as_of_date) as as_of_date,
        any_value(prior_year_period_code) as prior_year_period_code,
        max(value) filter (where basis = 'value') as value,
        max(base_unit_id) filter (where basis = 'value') as value_unit_id,
        max(figure_id) filter (where basis = 'value') as value_figure_id,
        max(value) filter (where basis = 'yoy_pct') as yoy_growth_reported,
        max(value) filter (where basis = 'yoy_change') as yoy_change_reported,
        max(base_unit_id) filter (where basis = 'yoy_change') as change_unit_id,
        {{ array_agg_ordered('figure_id', 'figure_id') }} as figure_ids
    from kpi_figures
    group by all

),

final as (

    select
        pivoted.company_id || ':' || pivoted.period_code || ':' || pivoted.line_item_id || ':' || pivoted.scenario
            as kpi_fact_id,
        pivoted.company_id,
        pivoted.line_item_id as kpi_id,
        line_items.line_item_label as kpi_label,
        line_items.statement,
        pivoted.period_code,
        pivoted.fiscal_period_id,
        coalesce(pivoted.as_of_date, fiscal_periods.end_date) as as_of_date,
        pivoted.scenario,
        cast(pivoted.value as decimal(24, 6)) as value,
        coalesce(pivoted.value_unit_id, pivoted.change_unit_id) as unit_id,
        printed.printed_value,
        printed.unit_id as printed_unit_id,
        printed.qualifier,
        cast(pivoted.yoy_growth_reported as decimal(10, 4)) as yoy_growth_reported,
        cast(pivoted.yoy_change_reported as decimal(24, 6)) as yoy_change_reported,
        cast(prior_year.value as decimal(24, 6)) as prior_year_value,
        cast(prior_year.value - prior_year.uncertainty_below as decimal(24, 6)) as prior_year_value_low,
        cast(prior_year.value + prior_year.uncertainty_above as decimal(24, 6)) as prior_year_value_high,
        prior_year.value_source as prior_year_value_source,
        case
            when line_items.statement = 'revenue_breakdown'
                then {{ safe_ratio('pivoted.value', 'total_revenue.value') }}
        end as share_of_revenue,
        {{ array_join('pivoted.figure_ids', ', ') }} as figure_ids
    from pivoted
    inner join line_items
        on pivoted.line_item_id = line_items.line_item_id
    left join fiscal_periods
        on pivoted.fiscal_period_id = fiscal_periods.fiscal_period_id
    left join figures as printed
        on pivoted.value_figure_id = printed.figure_id
    left join period_values as prior_year
        on
            pivoted.company_id = prior_year.company_id
            and pivoted.prior_year_period_code = prior_year.period_code
            and pivoted.line_item_id = prior_year.line_item_id
            and prior_year.scenario = 'actual'
    left join period_values as total_revenue
        on
            pivoted.company_id = total_revenue.company_id
            and pivoted.period_code = total_revenue.period_code
            and pivoted.scenario = total_revenue.scenario
            and total_revenue.line_item_id = 'revenue'

)

select * from final
