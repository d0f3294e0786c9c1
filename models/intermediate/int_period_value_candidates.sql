-- Every way the warehouse knows a figure, in each document's view (int_figure_values_by_document), one row
-- per candidate: as printed (its most precise printing), as the sum of its printed quarters, implied by
-- next year's figure less its printed YoY change, implied by next year's figure and its printed YoY %, or,
-- where a year prints its YoY change and YoY % but not its value, both years implied by the two.
-- `uncertainty_below` and `uncertainty_above` bound the interval of true values the candidate stands for (the
-- intervals of the printed figures it is built from, propagated), so the most precise candidate can be chosen
-- (int_period_values_by_document). `is_own`: built from a figure the view's document prints itself.
with

figure_values as (

    select * from {{ ref('int_figure_values_by_document') }}

),

fiscal_periods as (

    select * from {{ ref('int_fiscal_periods') }}

),

printed as (

    select
        as_of_document_id,
        is_latest_view,
        company_id,
        period_code,
        line_item_id,
        scenario,
        basis,
        value,
        uncertainty_below,
        uncertainty_above,
        'printed' as value_source,
        {{ dbt.array_construct(['figure_id']) }} as figure_ids,
        is_own,
        accounting_standard
    from figure_values
    where is_exact

),

quarters as (

    select
        figure_values.*,
        fiscal_periods.fiscal_half_period_id,
        fiscal_periods.fiscal_year_period_id,
        fiscal_periods.fiscal_quarter
    from figure_values
    inner join fiscal_periods
        on figure_values.fiscal_period_id = fiscal_periods.fiscal_period_id
    where
        figure_values.period_grain = 'fiscal_quarter'
        and figure_values.basis = 'value'
        and figure_values.period_kind = 'duration'
        and figure_values.is_exact

),

-- Each quarter counts towards its fiscal year and its fiscal half (four and two quarters, but for a transition
-- year after a change of year end).
quarters_by_parent as (

    select
        *,
        fiscal_year_period_id as parent_period_id
    from quarters
    union all
    select
        *,
        fiscal_half_period_id as parent_period_id
    from quarters

),

sum_of_quarters as (

    select
        quarters_by_parent.as_of_document_id,
        quarters_by_parent.is_latest_view,
        quarters_by_parent.company_id,
        fiscal_periods.period_code,
        quarters_by_parent.line_item_id,
        quarters_by_parent.scenario,
        quarters_by_parent.basis,
        sum(quarters_by_parent.value) as value,
        sum(quarters_by_parent.uncertainty_below) as uncertainty_below,
        sum(quarters_by_parent.uncertainty_above) as uncertainty_above,
        'sum_of_quarters' as value_source,
        -- In calendar order. One column per quarter, not an ordered list aggregate, which sorts every group.
        {{ array_without_nulls([
            'max(quarters_by_parent.figure_id) filter (where quarters_by_parent.fiscal_quarter = 1)',
            'max(quarters_by_parent.figure_id) filter (where quarters_by_parent.fiscal_quarter = 2)',
            'max(quarters_by_parent.figure_id) filter (where quarters_by_parent.fiscal_quarter = 3)',
            'max(quarters_by_parent.figure_id) filter (where quarters_by_parent.fiscal_quarter = 4)'
        ]) }} as figure_ids,
        max(case when quarters_by_parent.is_own then 1 else 0 end) = 1 as is_own,
        -- Quarters of two standards make a sum of neither.
        case
            when min(quarters_by_parent.accounting_standard) = max(quarters_by_parent.accounting_standard)
                then min(quarters_by_parent.accounting_standard)
            else 'mixed'
        end as accounting_standard
    from quarters_by_parent
    inner join fiscal_periods
        on quarters_by_parent.parent_period_id = fiscal_periods.fiscal_period_id
    group by
        quarters_by_parent.as_of_document_id,
        quarters_by_parent.is_latest_view,
        quarters_by_parent.company_id,
        fiscal_periods.period_code,
        quarters_by_parent.line_item_id,
        quarters_by_parent.scenario,
        quarters_by_parent.basis
    having count(*) = any_value(fiscal_periods.quarters_in_period)

),

-- current - change: its interval's lower end is the current's lower less the change's upper, and so on.
implied_by_change as (

    select
        current_value.as_of_document_id,
        current_value.is_latest_view,
        current_value.company_id,
        current_value.prior_year_period_code as period_code,
        current_value.line_item_id,
        'actual' as scenario,
        'value' as basis,
        current_value.value - yoy_change.value as value,
        current_value.uncertainty_below + yoy_change.uncertainty_above as uncertainty_below,
        current_value.uncertainty_above + yoy_change.uncertainty_below as uncertainty_above,
        'implied_by_change' as value_source,
        {{ dbt.array_construct(['current_value.figure_id', 'yoy_change.figure_id']) }} as figure_ids,
        current_value.is_own or yoy_change.is_own as is_own,
        current_value.accounting_standard
    from figure_values as current_value
    inner join figure_values as yoy_change
        on
            current_value.as_of_document_id = yoy_change.as_of_document_id
            and current_value.company_id = yoy_change.company_id
            and current_value.period_code = yoy_change.period_code
            and current_value.line_item_id = yoy_change.line_item_id
            and current_value.scenario = yoy_change.scenario
    where
        current_value.basis = 'value'
        and yoy_change.basis = 'yoy_change'
        and current_value.scenario = 'actual'
        and current_value.is_exact
        and yoy_change.is_exact
        -- (a year whose year before is no period of the company's calendar implies nothing)
        and current_value.prior_year_period_code is not null

),

-- current / (1 + growth): the base a printed YoY % implies where the document prints no base (FY2015
-- from FY2016's brackets). Each end of its interval divides an end of the current's by the far end of the
-- growth's: exact, as the quotient is monotone in both (a positive current and base only; a YoY % over a
-- negative base is not a growth rate, macro growth_rate).
implied_by_growth as (

    select
        current_value.as_of_document_id,
        current_value.is_latest_view,
        current_value.company_id,
        current_value.prior_year_period_code as period_code,
        current_value.line_item_id,
        'actual' as scenario,
        'value' as basis,
        -- (In DOUBLE, as every ratio: DuckDB and Spark then agree to the last digit of the DECIMAL.)
        cast({{ safe_ratio('current_value.value', '1 + growth.value') }} as decimal(24, 6)) as value,
        cast(
            {{ safe_ratio('current_value.value', '1 + growth.value') }}
            - {{ safe_ratio(
                'current_value.value - current_value.uncertainty_below',
                '1 + growth.value + growth.uncertainty_above'
            ) }}
            as decimal(34, 6)
        ) as uncertainty_below,
        cast(
            {{ safe_ratio(
                'current_value.value + current_value.uncertainty_above',
                '1 + growth.value - growth.uncertainty_below'
            ) }}
            - {{ safe_ratio('current_value.value', '1 + growth.value') }}
            as decimal(34, 6)
        ) as uncertainty_above,
        'implied_by_growth' as value_source,
        {{ dbt.array_construct(['current_value.figure_id', 'growth.figure_id']) }} as figure_ids,
        current_value.is_own or growth.is_own as is_own,
        current_value.accounting_standard
    from figure_values as current_value
    inner join figure_values as growth
        on
            current_value.as_of_document_id = growth.as_of_document_id
            and current_value.company_id = growth.company_id
            and current_value.period_code = growth.period_code
            and current_value.line_item_id = growth.line_item_id
            and current_value.scenario = growth.scenario
    where
        current_value.basis = 'value'
        and growth.basis = 'yoy_pct'
        and current_value.scenario = 'actual'
        and current_value.is_exact
        and growth.is_exact
        and current_value.value - current_value.uncertainty_below > 0
        and 1 + growth.value - growth.uncertainty_below > 0
        -- (a year whose year before is no period of the company's calendar implies nothing)
        and current_value.prior_year_period_code is not null

),

-- A printed YoY change c and YoY % p without the value: the base is c / p and the year c (1 + p) / p. Both
-- are monotone in c and p (positive ones only: a YoY % over a negative base is not a growth rate), so each end
-- of an interval takes the matching ends of the printed ones.
change_and_growth as (

    select
        yoy_change.as_of_document_id,
        yoy_change.is_latest_view,
        yoy_change.company_id,
        yoy_change.period_code,
        yoy_change.prior_year_period_code,
        yoy_change.line_item_id,
        yoy_change.value as change_value,
        yoy_change.value - yoy_change.uncertainty_below as change_low,
        yoy_change.value + yoy_change.uncertainty_above as change_high,
        growth.value as growth_value,
        growth.value - growth.uncertainty_below as growth_low,
        growth.value + growth.uncertainty_above as growth_high,
        {{ dbt.array_construct(['yoy_change.figure_id', 'growth.figure_id']) }} as figure_ids,
        yoy_change.is_own or growth.is_own as is_own,
        yoy_change.accounting_standard
    from figure_values as yoy_change
    inner join figure_values as growth
        on
            yoy_change.as_of_document_id = growth.as_of_document_id
            and yoy_change.company_id = growth.company_id
            and yoy_change.period_code = growth.period_code
            and yoy_change.line_item_id = growth.line_item_id
            and yoy_change.scenario = growth.scenario
    where
        yoy_change.basis = 'yoy_change'
        and growth.basis = 'yoy_pct'
        and yoy_change.scenario = 'actual'
        and yoy_change.is_exact
        and growth.is_exact
        and yoy_change.value - yoy_change.uncertainty_below > 0
        and growth.value - growth.uncertainty_below > 0

),

both_years as (

    {%- for year, period_code, value, low, high in [
        ('base', 'prior_year_period_code', safe_ratio('change_value', 'growth_value'),
            safe_ratio('change_low', 'growth_high'), safe_ratio('change_high', 'growth_low')),
        ('current', 'period_code', 'change_value + ' ~ safe_ratio('change_value', 'growth_value'),
            'change_low + ' ~ safe_ratio('change_low', 'growth_high'),
            'change_high + ' ~ safe_ratio('change_high', 'growth_low'))
    ] %}
    select
        as_of_document_id,
        is_latest_view,
        company_id,
        {{ period_code }} as period_code,
        line_item_id,
        'actual' as scenario,
        'value' as basis,
        cast({{ value }} as decimal(24, 6)) as value,
        cast({{ value }} - ({{ low }}) as decimal(34, 6)) as uncertainty_below,
        cast({{ high }} - ({{ value }}) as decimal(34, 6)) as uncertainty_above,
        'implied_by_change_and_growth' as value_source,
        '{{ year }}' as implied_as,
        figure_ids,
        is_own,
        accounting_standard
    from change_and_growth
    where {{ period_code }} is not null
    {{- '\n    union all' if not loop.last }}
    {%- endfor %}

),

-- A year can be both: the base of next year's pair and the current of its own. The narrower stands.
both_years_ranked as (

    select
        *,
        row_number() over (
            partition by as_of_document_id, company_id, period_code, line_item_id
            order by uncertainty_below + uncertainty_above asc, implied_as asc
        ) as precision_rank
    from both_years

),

implied_by_change_and_growth as (

    select
        as_of_document_id,
        is_latest_view,
        company_id,
        period_code,
        line_item_id,
        scenario,
        basis,
        value,
        uncertainty_below,
        uncertainty_above,
        value_source,
        figure_ids,
        is_own,
        accounting_standard
    from both_years_ranked
    where precision_rank = 1

),

candidates as (

    select * from printed
    union all
    select * from sum_of_quarters
    union all
    select * from implied_by_change
    union all
    select * from implied_by_growth
    union all
    select * from implied_by_change_and_growth

)

select * from candidates
