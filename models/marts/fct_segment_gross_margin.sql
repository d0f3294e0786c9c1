-- One row per company, fiscal year and segment (actuals): the segment's gross margin, its share of
-- the total, YoY, and where the document gives the segment's cost, its revenue and margin ratio, its share of
-- total revenue and the rest of the company beside it (total less the segment); where it attributes SG&A to the
-- segment, the gross margin less that SG&A.
-- A segment the document does not print (equipment sales) is the residual of the total less the
-- others, and is flagged as derived.
with

segments as (

    select * from {{ ref('stg_segments') }}

),

fiscal_periods as (

    select * from {{ ref('dim_fiscal_periods') }}
    where period_grain = 'fiscal_year'
        {{ for_changed_companies(keyword='and') }}

),

period_values as (

    select * from {{ ref('int_period_values') }}
    where scenario = 'actual'
        {{ for_changed_companies(keyword='and') }}

),

totals as (

    select
        fiscal_periods.fiscal_period_id,
        fiscal_periods.company_id,
        fiscal_periods.fiscal_year,
        fiscal_periods.period_code,
        fiscal_periods.prior_year_period_id,
        period_values.value as total_gross_margin,
        total_revenue.value as total_revenue,
        total_cost.value as total_cost_of_revenue,
        -- The standard of the year's total gross margin (its document's) stands for the segments' year.
        period_values.accounting_standard
    from fiscal_periods
    inner join period_values
        on
            fiscal_periods.company_id = period_values.company_id
            and fiscal_periods.period_code = period_values.period_code
            and period_values.line_item_id = 'gross_margin'
            and period_values.basis = 'value'
    left join period_values as total_revenue
        on
            fiscal_periods.company_id = total_revenue.company_id
            and fiscal_periods.period_code = total_revenue.period_code
            and total_revenue.line_item_id = 'revenue'
            and total_revenue.basis = 'value'
    left join period_values as total_cost
        on
            fiscal_periods.company_id = total_cost.company_id
            and fiscal_periods.period_code = total_cost.period_code
            and total_cost.line_item_id = 'cost_of_revenue'
            and total_cost.basis = 'value'

),

segment_values as (

    select
        totals.*,
        segments.segment_id,
        segments.segment_label,
        segments.display_order,
        segments.gross_margin_line_item_id,
        gross_margin.value as printed_gross_margin,
        gross_margin_growth.value as gross_margin_yoy_growth_reported,
        segment_cost.value as cost_of_revenue,
        margin_ratio.value as gross_margin_ratio_reported,
        segment_sga.value as sga
    from totals
    cross join segments
    left join period_values as gross_margin
        on
            totals.company_id = gross_margin.company_id
            and totals.period_code = gross_margin.period_code
            and segments.gross_margin_line_item_id = gross_margin.line_item_id
            and gross_margin.basis = 'value'
    left join period_values as gross_margin_growth
        on
            totals.company_id = gross_margin_growth.company_id
            and totals.period_code = gross_margin_growth.period_code
            and segments.gross_margin_line_item_id = gross_margin_growth.line_item_id
            and gross_margin_growth.basis = 'yoy_pct'
    left join period_values as segment_cost
        on
            totals.company_id = segment_cost.company_id
            and totals.period_code = segment_cost.period_code
            and segments.cost_line_item_id = segment_cost.line_item_id
            and segment_cost.basis = 'value'
    left join period_values as margin_ratio
        on
            totals.company_id = margin_ratio.company_id
            and totals.period_code = margin_ratio.period_code
            and segments.gross_margin_ratio_line_item_id = margin_ratio.line_item_id
            and margin_ratio.basis = 'value'
            and margin_ratio.value_source = 'printed'
    left join period_values as segment_sga
        on
            totals.company_id = segment_sga.company_id
            and totals.period_code = segment_sga.period_code
            and segments.sga_line_item_id = segment_sga.line_item_id
            and segment_sga.basis = 'value'

),

-- Exactly one unprinted segment in a year can be derived as the residual; more cannot.
residual_derived as (

    select
        *,
        -- (a count of a CASE: Spark has no FILTER on window aggregates)
        count(case when printed_gross_margin is null then 1 end) over company_year as unprinted_segments,
        total_gross_margin - sum(printed_gross_margin) over company_year as residual_gross_margin
    from segment_values
    window company_year as (partition by fiscal_period_id)

),

measured as (

    select
        *,
        coalesce(
            printed_gross_margin,
            case when unprinted_segments = 1 then residual_gross_margin end
        ) as gross_margin,
        printed_gross_margin is null as is_derived
    from residual_derived

),

with_revenue as (

    select
        *,
        cost_of_revenue + gross_margin as revenue,
        {{ safe_ratio('gross_margin', 'cost_of_revenue + gross_margin') }} as gross_margin_ratio,
        {{ safe_ratio('gross_margin', 'total_gross_margin') }} as share_of_total_gross_margin,
        {{ safe_ratio('cost_of_revenue + gross_margin', 'total_revenue') }} as share_of_total_revenue,
        total_revenue - (cost_of_revenue + gross_margin) as rest_revenue,
        total_cost_of_revenue - cost_of_revenue as rest_cost_of_revenue,
        gross_margin - sga as gross_margin_less_sga
    from measured

),

compared as (

    select
        this_year.*,
        this_year.gross_margin - prior_year.gross_margin as gross_margin_yoy_change,
        {{ growth_rate('this_year.gross_margin', 'prior_year.gross_margin') }} as gross_margin_yoy_growth,
        this_year.revenue - prior_year.revenue as revenue_yoy_change,
        {{ growth_rate('this_year.revenue', 'prior_year.revenue') }} as revenue_yoy_growth,
        {{ comparability_break('this_year.accounting_standard', 'prior_year.accounting_standard') }}
            as is_yoy_comparability_break
    from with_revenue as this_year
    left join with_revenue as prior_year
        on
            this_year.prior_year_period_id = prior_year.fiscal_period_id
            and this_year.segment_id = prior_year.segment_id

),

final as (

    select
        fiscal_period_id || ':' || segment_id as segment_gross_margin_id,
        fiscal_period_id,
        company_id,
        fiscal_year,
        segment_id,
        segment_label,
        display_order,
        cast(gross_margin as decimal(18, 1)) as gross_margin,
        is_derived,
        cast(total_gross_margin as decimal(18, 1)) as total_gross_margin,
        share_of_total_gross_margin,
        cast(gross_margin_yoy_change as decimal(18, 1)) as gross_margin_yoy_change,
        gross_margin_yoy_growth,
        cast(gross_margin_yoy_growth_reported as decimal(10, 4)) as gross_margin_yoy_growth_reported,
        cast(cost_of_revenue as decimal(18, 1)) as cost_of_revenue,
        cast(revenue as decimal(18, 1)) as revenue,
        cast(revenue_yoy_change as decimal(18, 1)) as revenue_yoy_change,
        revenue_yoy_growth,
        gross_margin_ratio,
        cast(gross_margin_ratio_reported as decimal(10, 4)) as gross_margin_ratio_reported,
        share_of_total_revenue,
        cast(rest_revenue as decimal(18, 1)) as rest_revenue,
        cast(rest_cost_of_revenue as decimal(18, 1)) as rest_cost_of_revenue,
        cast(sga as decimal(18, 1)) as sga,
        cast(gross_margin_less_sga as decimal(18, 1)) as gross_margin_less_sga,
        accounting_standard,
        is_yoy_comparability_break
    from compared

)

select * from final
