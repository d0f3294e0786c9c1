-- One row per company, plan period (a fiscal year or half with targets, plus the second half the
-- full-year and first-half targets imply) and line item: the target against the actual a year
-- earlier, the implied growth, and the target's ratio to targeted revenue.
with

figure_values as (

    select * from {{ ref('int_figure_values') }}
    {{ for_changed_companies() }}

),

period_values as (

    select * from {{ ref('int_period_values') }}
    {{ for_changed_companies() }}

),

fiscal_periods as (

    select * from {{ ref('dim_fiscal_periods') }}
    {{ for_changed_companies() }}

),

line_items as (

    select * from {{ ref('dim_line_items') }}

),

income_statement as (

    select * from {{ ref('fct_income_statement_annual') }}
    where scenario = 'actual'
        {{ for_changed_companies(keyword='and') }}

),

-- The income statement's actuals, which include the lines it derives (gross margin and operating
-- income of a half-year are not printed but follow from its quarters), one row per line.
income_statement_actuals as (
    {%- for line in ['revenue', 'cost_of_revenue', 'gross_margin', 'sga_rd', 'operating_income'] %}
    select
        fiscal_period_id,
        '{{ line }}' as line_item_id,
        {{ line }} as value
    from income_statement
    {{ "union all" if not loop.last }}
    {%- endfor %}

),

printed_targets as (

    select
        company_id,
        fiscal_period_id,
        period_code,
        line_item_id,
        value as target_value,
        is_exact as target_is_exact,
        false as target_is_derived,
        slide_id
    from figure_values
    where scenario = 'target' and basis = 'value' and period_grain in ('fiscal_year', 'fiscal_half')

),

-- The second half implied by the full-year target less the first-half target.
implied_second_half as (

    select
        full_year.company_id,
        second_half.fiscal_period_id,
        second_half.period_code,
        full_year.line_item_id,
        full_year.target_value - first_half.target_value as target_value,
        full_year.target_is_exact and first_half.target_is_exact as target_is_exact,
        true as target_is_derived,
        full_year.slide_id
    from printed_targets as full_year
    inner join fiscal_periods as year_period
        on full_year.fiscal_period_id = year_period.fiscal_period_id
    inner join fiscal_periods as first_half_period
        on
            year_period.fiscal_period_id = first_half_period.fiscal_year_period_id
            and first_half_period.period_grain = 'fiscal_half'
            and first_half_period.fiscal_half = 1
    inner join fiscal_periods as second_half
        on
            year_period.fiscal_period_id = second_half.fiscal_year_period_id
            and second_half.period_grain = 'fiscal_half'
            and second_half.fiscal_half = 2
    inner join printed_targets as first_half
        on
            full_year.line_item_id = first_half.line_item_id
            and first_half_period.fiscal_period_id = first_half.fiscal_period_id
    where year_period.period_grain = 'fiscal_year'

),

targets as (

    select * from printed_targets
    union all
    select * from implied_second_half

),

-- What the document prints beside each target: its YoY %, YoY change and % of revenues.
printed_comparisons as (

    select
        company_id,
        period_code,
        line_item_id,
        max(value) filter (where basis = 'yoy_pct') as yoy_growth_reported,
        max(value) filter (where basis = 'yoy_change') as yoy_change_reported,
        max(value) filter (where basis = 'pct_of_revenue') as pct_of_revenue_reported
    from figure_values
    where scenario = 'target' and basis != 'value'
    group by all

),

compared as (

    select
        targets.*,
        fiscal_periods.period_grain,
        fiscal_periods.fiscal_year,
        fiscal_periods.fiscal_half,
        fiscal_periods.period_label,
        prior_year.period_code as prior_year_period_code,
        coalesce(statement_actual.value, actual.value) as prior_year_actual,
        printed_comparisons.yoy_growth_reported,
        printed_comparisons.yoy_change_reported,
        revenue_target.target_value as revenue_target,
        printed_comparisons.pct_of_revenue_reported
    from targets
    inner join fiscal_periods
        on targets.fiscal_period_id = fiscal_periods.fiscal_period_id
    left join fiscal_periods as prior_year
        on fiscal_periods.prior_year_period_id = prior_year.fiscal_period_id
    left join period_values as actual
        on
            targets.company_id = actual.company_id
            and prior_year.period_code = actual.period_code
            and targets.line_item_id = actual.line_item_id
            and actual.scenario = 'actual'
            and actual.basis = 'value'
    left join income_statement_actuals as statement_actual
        on
            fiscal_periods.prior_year_period_id = statement_actual.fiscal_period_id
            and targets.line_item_id = statement_actual.line_item_id
    left join printed_comparisons
        on
            targets.company_id = printed_comparisons.company_id
            and targets.period_code = printed_comparisons.period_code
            and targets.line_item_id = printed_comparisons.line_item_id
    left join targets as revenue_target
        on
            targets.fiscal_period_id = revenue_target.fiscal_period_id
            and revenue_target.line_item_id = 'revenue'
),

final as (

    select
        compared.fiscal_period_id || ':' || compared.line_item_id as plan_line_id,
        compared.company_id,
        compared.fiscal_period_id,
        compared.period_grain,
        compared.fiscal_year,
        compared.fiscal_half,
        compared.period_label,
        compared.line_item_id,
        line_items.line_item_label,
        line_items.statement,
        line_items.display_order,
        cast(compared.target_value as decimal(18, 2)) as target_value,
        compared.target_is_exact,
        compared.target_is_derived,
        cast(compared.prior_year_actual as decimal(18, 2)) as prior_year_actual,
        cast(compared.target_value - compared.prior_year_actual as decimal(18, 2)) as implied_yoy_change,
        {{ growth_rate('compared.target_value', 'compared.prior_year_actual') }} as implied_yoy_growth,
        cast(compared.yoy_change_reported as decimal(18, 2)) as yoy_change_reported,
        cast(compared.yoy_growth_reported as decimal(10, 4)) as yoy_growth_reported,
        case
            when line_items.statement = 'income_statement'
                then {{ safe_ratio('compared.target_value', 'compared.revenue_target') }}
        end as target_pct_of_revenue,
        cast(compared.pct_of_revenue_reported as decimal(10, 4)) as target_pct_of_revenue_reported,
        compared.slide_id
    from compared
    inner join line_items
        on compared.line_item_id = line_items.line_item_id

)

select * from final
