-- Every way the warehouse knows a figure, one row per candidate: as printed (its most precise
-- printing), as the sum of its printed quarters, or implied by next year's figure less its printed
-- YoY change. `uncertainty` is the rounding the candidate carries (half a unit of each printed
-- digit it is built from), so the most precise candidate can be chosen (int_period_values).
with

figure_values as (

    select * from {{ ref('int_figure_values') }}

),

fiscal_periods as (

    select * from {{ ref('int_fiscal_periods') }}

),

printed as (

    select
        company_id,
        period_code,
        line_item_id,
        scenario,
        basis,
        value,
        rounding_half_unit as uncertainty,
        'printed' as value_source,
        [figure_id] as figure_ids
    from figure_values
    where is_exact

),

quarters as (

    select
        figure_values.*,
        fiscal_periods.fiscal_half_period_id,
        fiscal_periods.fiscal_year_period_id
    from figure_values
    inner join fiscal_periods
        on figure_values.fiscal_period_id = fiscal_periods.fiscal_period_id
    where
        figure_values.period_grain = 'fiscal_quarter'
        and figure_values.basis = 'value'
        and figure_values.period_kind = 'duration'
        and figure_values.is_exact

),

quarters_by_parent as (

    select
        *,
        fiscal_year_period_id as parent_period_id,
        4 as quarters_expected
    from quarters
    union all
    select
        *,
        fiscal_half_period_id as parent_period_id,
        2 as quarters_expected
    from quarters

),

sum_of_quarters as (

    select
        quarters_by_parent.company_id,
        fiscal_periods.period_code,
        quarters_by_parent.line_item_id,
        quarters_by_parent.scenario,
        quarters_by_parent.basis,
        sum(quarters_by_parent.value) as value,
        sum(quarters_by_parent.rounding_half_unit) as uncertainty,
        'sum_of_quarters' as value_source,
        list(quarters_by_parent.figure_id order by quarters_by_parent.period_code) as figure_ids
    from quarters_by_parent
    inner join fiscal_periods
        on quarters_by_parent.parent_period_id = fiscal_periods.fiscal_period_id
    group by all
    having count(*) = any_value(quarters_by_parent.quarters_expected)

),

implied_by_change as (

    select
        current_value.company_id,
        current_value.prior_year_period_code as period_code,
        current_value.line_item_id,
        'actual' as scenario,
        'value' as basis,
        current_value.value - change_figure.value as value,
        current_value.rounding_half_unit + change_figure.rounding_half_unit as uncertainty,
        'implied_by_change' as value_source,
        [current_value.figure_id, change_figure.figure_id] as figure_ids
    from figure_values as current_value
    inner join figure_values as change_figure
        on
            current_value.company_id = change_figure.company_id
            and current_value.period_code = change_figure.period_code
            and current_value.line_item_id = change_figure.line_item_id
            and current_value.scenario = change_figure.scenario
    where
        current_value.basis = 'value'
        and change_figure.basis = 'yoy_change'
        and current_value.scenario = 'actual'
        and current_value.is_exact
        and change_figure.is_exact

),

candidates as (

    select * from printed
    union all
    select * from sum_of_quarters
    union all
    select * from implied_by_change

)

select * from candidates
