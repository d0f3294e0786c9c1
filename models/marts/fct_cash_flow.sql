-- One row per company, fiscal year and cash-flow line (actuals): the amount, its printed YoY change,
-- and the prior year's amount the change implies. The slide lists major items only: lines do not
-- sum to the section totals, which the document does not print.
with

line_items as (

    select * from {{ ref('dim_line_items') }}
    where statement = 'cash_flow'

),

figure_values as (

    select * from {{ ref('int_figure_values') }}
    where scenario = 'actual' and period_grain = 'fiscal_year'
        {{ for_changed_companies(keyword='and') }}

),

amounts as (

    select
        figure_values.company_id,
        figure_values.fiscal_period_id,
        figure_values.period_code,
        figure_values.line_item_id,
        line_items.line_item_label,
        line_items.parent_line_item_id as section_line_item_id,
        line_items.display_order,
        figure_values.value as amount,
        figure_values.slide_id
    from figure_values
    inner join line_items
        on figure_values.line_item_id = line_items.line_item_id
    where figure_values.basis = 'value'

),

changes as (

    select * from figure_values
    where basis = 'yoy_change'

),

measured as (

    select
        amounts.*,
        changes.value as yoy_change_reported,
        amounts.amount - changes.value as prior_year_amount_implied
    from amounts
    left join changes
        on
            amounts.company_id = changes.company_id
            and amounts.period_code = changes.period_code
            and amounts.line_item_id = changes.line_item_id

),

final as (

    select
        fiscal_period_id || ':' || line_item_id as cash_flow_line_id,
        company_id,
        fiscal_period_id,
        line_item_id,
        line_item_label,
        section_line_item_id,
        display_order,
        cast(amount as decimal(18, 1)) as amount,
        cast(yoy_change_reported as decimal(18, 1)) as yoy_change_reported,
        cast(prior_year_amount_implied as decimal(18, 1)) as prior_year_amount_implied,
        {{ growth_rate('amount', 'prior_year_amount_implied') }} as yoy_growth,
        slide_id
    from measured

)

select * from final
