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
    {{ for_changed_companies() }}

),

fiscal_periods as (

    select * from {{ ref('int_fiscal_periods') }}
    {{ for_changed_companies() }}

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

-- Each actual figure's exact printings side by side, one row per document view, company, period and line item:
-- its value (`current_`), its YoY change (`change_`) and its YoY % (`growth_`). The implied candidates below
-- are built from pairs of them (one pivot, not a self-join per pair).
year_figures as (

    select
        {%- for basis, name in [('value', 'current'), ('yoy_change', 'change'), ('yoy_pct', 'growth')] %}
        max(value) filter (where basis = '{{ basis }}') as {{ name }}_value,
        max(uncertainty_below) filter (where basis = '{{ basis }}') as {{ name }}_below,
        max(uncertainty_above) filter (where basis = '{{ basis }}') as {{ name }}_above,
        max(figure_id) filter (where basis = '{{ basis }}') as {{ name }}_figure_id,
        max(case when is_own then 1 else 0 end) filter (where basis = '{{ basis }}') = 1 as {{ name }}_is_own,
        max(accounting_standard) filter (where basis = '{{ basis }}') as {{ name }}_accounting_standard,
        {%- endfor %}
        as_of_document_id,
        is_latest_view,
        company_id,
        period_code,
        prior_year_period_code,
        line_item_id
    from figure_values
    where scenario = 'actual' and is_exact and basis in ('value', 'yoy_change', 'yoy_pct')
    group by as_of_document_id, is_latest_view, company_id, period_code, prior_year_period_code, line_item_id

),

-- current - change: its interval's lower end is the current's lower less the change's upper, and so on.
implied_by_change as (

    select
        as_of_document_id,
        is_latest_view,
        company_id,
        prior_year_period_code as period_code,
        line_item_id,
        'actual' as scenario,
        'value' as basis,
        current_value - change_value as value,
        current_below + change_above as uncertainty_below,
        current_above + change_below as uncertainty_above,
        'implied_by_change' as value_source,
        {{ dbt.array_construct(['current_figure_id', 'change_figure_id']) }} as figure_ids,
        current_is_own or change_is_own as is_own,
        current_accounting_standard as accounting_standard
    from year_figures
    where
        current_value is not null
        and change_value is not null
        -- (a year whose year before is no period of the company's calendar implies nothing)
        and prior_year_period_code is not null

),

-- current / (1 + growth): the base a printed YoY % implies where the document prints no base (FY2015
-- from FY2016's brackets). Each end of its interval divides an end of the current's by the far end of the
-- growth's: exact, as the quotient is monotone in both (a positive current and base only; a YoY % over a
-- negative base is not a growth rate, macro growth_rate).
implied_by_growth as (

    select
        as_of_document_id,
        is_latest_view,
        company_id,
        prior_year_period_code as period_code,
        line_item_id,
        'actual' as scenario,
        'value' as basis,
        -- (In DOUBLE, as every ratio: DuckDB and Spark then agree to the last digit of the DECIMAL.)
        cast({{ safe_ratio('current_value', '1 + growth_value') }} as decimal(24, 6)) as value,
        cast(
            {{ safe_ratio('current_value', '1 + growth_value') }}
            - {{ safe_ratio('current_value - current_below', '1 + growth_value + growth_above') }}
            as decimal(34, 6)
        ) as uncertainty_below,
        cast(
            {{ safe_ratio('current_value + current_above', '1 + growth_value - growth_below') }}
            - {{ safe_ratio('current_value', '1 + growth_value') }}
            as decimal(34, 6)
        ) as uncertainty_above,
        'implied_by_growth' as value_source,
        {{ dbt.array_construct(['current_figure_id', 'growth_figure_id']) }} as figure_ids,
        current_is_own or growth_is_own as is_own,
        current_accounting_standard as accounting_standard
    from year_figures
    where
        current_value - current_below > 0
        and 1 + growth_value - growth_below > 0
        and prior_year_period_code is not null

),

-- A printed YoY change c and YoY % p without the value: the base is c / p and the year c (1 + p) / p. Both
-- are monotone in c and p (positive ones only: a YoY % over a negative base is not a growth rate), so each end
-- of an interval takes the matching ends of the printed ones.
change_and_growth as (

    select
        as_of_document_id,
        is_latest_view,
        company_id,
        period_code,
        prior_year_period_code,
        line_item_id,
        change_value,
        change_value - change_below as change_low,
        change_value + change_above as change_high,
        growth_value,
        growth_value - growth_below as growth_low,
        growth_value + growth_above as growth_high,
        {{ dbt.array_construct(['change_figure_id', 'growth_figure_id']) }} as figure_ids,
        change_is_own or growth_is_own as is_own,
        change_accounting_standard as accounting_standard
    from year_figures
    where
        change_value - change_below > 0
        and growth_value - growth_below > 0

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
