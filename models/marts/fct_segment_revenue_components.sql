-- One row per company, fiscal year, segment and component of the segment's revenue (actuals), where the
-- document splits a segment's revenue (seed segments.revenue_line_item_id names it; its components are the line
-- items whose parent it is): the component's revenue and its share of the segment's, with YoY. A component the
-- warehouse knows no other way is the segment's revenue less the others', where exactly one is unknown.
with

segments as (

    select * from {{ ref('stg_segments') }}
    where revenue_line_item_id is not null

),

components as (

    select
        segments.segment_id,
        line_items.line_item_id,
        line_items.line_item_label,
        line_items.display_order
    from segments
    inner join {{ ref('dim_line_items') }} as line_items
        on segments.revenue_line_item_id = line_items.parent_line_item_id

),

segment_years as (

    select * from {{ ref('fct_segment_gross_margin') }}
    {{ for_changed_companies() }}

),

fiscal_periods as (

    select * from {{ ref('dim_fiscal_periods') }}
    {{ for_changed_companies() }}

),

-- Every value the warehouse knows as it stands, those known only through a printed YoY % too (the statements
-- leave those out; here they are flagged, as in fct_period_values).
period_values as (

    select * from {{ ref('int_period_values_by_document') }}
    where is_latest_view and scenario = 'actual'
        {{ for_changed_companies(keyword='and') }}

),

known as (

    select
        segment_years.fiscal_period_id,
        segment_years.company_id,
        segment_years.fiscal_year,
        segment_years.segment_id,
        segment_years.revenue as segment_revenue,
        fiscal_periods.prior_year_period_id,
        components.line_item_id,
        components.line_item_label,
        components.display_order,
        component_value.value as known_revenue,
        component_value.value_source as known_source,
        change_printed.value as revenue_yoy_change_reported,
        growth_printed.value as revenue_yoy_growth_reported
    from segment_years
    inner join components
        on segment_years.segment_id = components.segment_id
    inner join fiscal_periods
        on segment_years.fiscal_period_id = fiscal_periods.fiscal_period_id
    left join period_values as component_value
        on
            fiscal_periods.company_id = component_value.company_id
            and fiscal_periods.period_code = component_value.period_code
            and components.line_item_id = component_value.line_item_id
            and component_value.basis = 'value'
    left join period_values as change_printed
        on
            fiscal_periods.company_id = change_printed.company_id
            and fiscal_periods.period_code = change_printed.period_code
            and components.line_item_id = change_printed.line_item_id
            and change_printed.basis = 'yoy_change'
            and change_printed.value_source = 'printed'
    left join period_values as growth_printed
        on
            fiscal_periods.company_id = growth_printed.company_id
            and fiscal_periods.period_code = growth_printed.period_code
            and components.line_item_id = growth_printed.line_item_id
            and growth_printed.basis = 'yoy_pct'
            and growth_printed.value_source = 'printed'

),

-- Exactly one unknown component of a segment's year is the residual; more cannot be told apart.
with_residual as (

    select
        *,
        -- (a count of a CASE: Spark has no FILTER on window aggregates)
        count(case when known_revenue is null then 1 end) over segment_year as unknown_components,
        segment_revenue - sum(known_revenue) over segment_year as residual_revenue
    from known
    window segment_year as (partition by fiscal_period_id, segment_id)

),

measured as (

    select
        *,
        coalesce(known_revenue, case when unknown_components = 1 then residual_revenue end) as revenue,
        case
            when known_revenue is not null then known_source
            when unknown_components = 1 and residual_revenue is not null then 'residual'
        end as value_source
    from with_residual

),

compared as (

    select
        this_year.*,
        {{ safe_ratio('this_year.revenue', 'this_year.segment_revenue') }} as share_of_segment_revenue,
        this_year.revenue - prior_year.revenue as revenue_yoy_change,
        {{ growth_rate('this_year.revenue', 'prior_year.revenue') }} as revenue_yoy_growth
    from measured as this_year
    left join measured as prior_year
        on
            this_year.prior_year_period_id = prior_year.fiscal_period_id
            and this_year.segment_id = prior_year.segment_id
            and this_year.line_item_id = prior_year.line_item_id

),

final as (

    select
        fiscal_period_id || ':' || segment_id || ':' || line_item_id as segment_revenue_component_id,
        fiscal_period_id,
        company_id,
        fiscal_year,
        segment_id,
        line_item_id,
        line_item_label,
        display_order,
        cast(revenue as decimal(18, 1)) as revenue,
        value_source,
        value_source not in ('printed', 'sum_of_quarters') as is_implied,
        cast(segment_revenue as decimal(18, 1)) as segment_revenue,
        share_of_segment_revenue,
        cast(revenue_yoy_change as decimal(18, 1)) as revenue_yoy_change,
        cast(revenue_yoy_change_reported as decimal(18, 1)) as revenue_yoy_change_reported,
        revenue_yoy_growth,
        cast(revenue_yoy_growth_reported as decimal(10, 4)) as revenue_yoy_growth_reported
    from compared

)

select * from final
