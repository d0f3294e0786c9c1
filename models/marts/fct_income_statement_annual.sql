-- One row per company, fiscal year or half, and scenario (actual or target): the income statement
-- down to net income attributable to IIJ, adjusted EBITDA, ratios to revenue and YoY growth.
-- Each line is the most precise value known: as printed, else summed from the quarters, else
-- implied by next year's printed change (see int_period_values).
{%- set value_lines = ['revenue', 'cost_of_revenue', 'gross_margin', 'sga_rd', 'operating_income',
    'depreciation_and_amortization', 'income_before_income_tax', 'current_income_tax', 'deferred_income_tax',
    'equity_method_income', 'net_income_noncontrolling', 'less_net_income_noncontrolling',
    'net_income_attributable', 'personnel_costs', 'atm_sga', 'dividend_per_share'] %}
{%- set quarter_summed_lines = ['revenue', 'cost_of_revenue', 'sga_rd', 'personnel_costs'] %}
{%- set compared_lines = ['revenue', 'gross_margin', 'operating_income', 'adjusted_ebitda',
    'income_before_income_tax', 'net_income_attributable', 'personnel_costs', 'total_income_tax'] %}
{%- set derived_lines = ['gross_margin', 'operating_income', 'net_income_noncontrolling',
    'less_net_income_noncontrolling'] %}

with

fiscal_periods as (

    select * from {{ ref('dim_fiscal_periods') }}
    where period_grain in ('fiscal_year', 'fiscal_half')
        {{ for_changed_companies(keyword='and') }}

),

period_values as (

    select * from {{ ref('int_period_values') }}
    {{ for_changed_companies() }}

),

-- The other income and expense items the document lists, each signed as it enters pre-tax income (an
-- expense item is printed positive, with sign -1).
other_income_lines as (

    select * from {{ ref('dim_line_items') }}
    where statement = 'other_income'

),

quarter_sums as (

    select * from {{ ref('int_period_value_candidates') }}
    where value_source = 'sum_of_quarters' and is_latest_view
        {{ for_changed_companies(keyword='and') }}

),

other_income_items as (

    select
        period_values.company_id,
        period_values.period_code,
        period_values.scenario,
        sum(other_income_lines.sign * period_values.value) as other_income_expenses_itemised
    from period_values
    inner join other_income_lines
        on period_values.line_item_id = other_income_lines.line_item_id
    where period_values.basis = 'value'
    group by period_values.company_id, period_values.period_code, period_values.scenario

),

-- The quarters whose revenue is reported, each under its year and its half.
revenue_quarters as (

    select
        quarter_period.fiscal_year_period_id,
        quarter_period.fiscal_half_period_id
    from {{ ref('dim_fiscal_periods') }} as quarter_period
    inner join period_values as quarter_revenue
        on
            quarter_period.company_id = quarter_revenue.company_id
            and quarter_period.period_code = quarter_revenue.period_code
            and quarter_revenue.line_item_id = 'revenue'
            and quarter_revenue.scenario = 'actual'
            and quarter_revenue.basis = 'value'
    where quarter_period.period_grain = 'fiscal_quarter'

),

-- One row per quarter and parent: two equality joins' worth, not a join on "year or half", which DuckDB can
-- only run as a nested loop (532 s at 10,000 companies).
revenue_quarters_by_parent as (

    select fiscal_year_period_id as parent_period_id from revenue_quarters
    union all
    select fiscal_half_period_id as parent_period_id from revenue_quarters

),

-- How many of each year's and half's quarters have their revenue reported (a year in progress: fewer).
quarters_held as (

    select
        parent.fiscal_period_id,
        count(*) as quarters_reported
    from revenue_quarters_by_parent
    inner join fiscal_periods as parent
        on revenue_quarters_by_parent.parent_period_id = parent.fiscal_period_id
    group by parent.fiscal_period_id

),

pivoted as (

    select
        fiscal_periods.fiscal_period_id,
        fiscal_periods.company_id,
        period_values.scenario,
        fiscal_periods.period_grain,
        fiscal_periods.fiscal_year,
        fiscal_periods.fiscal_half,
        fiscal_periods.period_label,
        fiscal_periods.start_date,
        fiscal_periods.end_date,
        fiscal_periods.prior_year_period_id,
        fiscal_periods.months,
        {{ pivot_values(value_lines) }},
        {{ pivot_values(['adjusted_ebitda'], suffix='_reported') }},
        {{ pivot_values(compared_lines, basis='yoy_pct', suffix='_yoy_growth_reported') }},
        {{ period_accounting_standard('period_values.accounting_standard') }} as accounting_standard
    from fiscal_periods
    inner join period_values
        on
            fiscal_periods.company_id = period_values.company_id
            and fiscal_periods.period_code = period_values.period_code
    group by all
    -- A period is in the statement once its revenue is known.
    having revenue is not null

),

summed as (

    select
        company_id,
        period_code,
        scenario,
        {{ pivot_values(quarter_summed_lines, suffix='_from_quarters') }}
    from quarter_sums
    group by all

),

derived as (

    select
        -- Every column but the lines derived below (a list, not DuckDB's `* exclude`, which Spark lacks).
        pivoted.fiscal_period_id,
        pivoted.company_id,
        pivoted.scenario,
        pivoted.period_grain,
        pivoted.fiscal_year,
        pivoted.fiscal_half,
        pivoted.period_label,
        pivoted.start_date,
        pivoted.end_date,
        pivoted.prior_year_period_id,
        pivoted.months,
        pivoted.accounting_standard,
        {%- for line in value_lines if line not in derived_lines %}
        pivoted.{{ line }},
        {%- endfor %}
        pivoted.adjusted_ebitda_reported,
        {%- for line in compared_lines %}
        pivoted.{{ line }}_yoy_growth_reported,
        {%- endfor %}
        {%- for line in quarter_summed_lines %}
        summed.{{ line }}_from_quarters,
        {%- endfor %}
        coalesce(pivoted.gross_margin, pivoted.revenue - pivoted.cost_of_revenue) as gross_margin,
        coalesce(
            pivoted.operating_income,
            coalesce(pivoted.gross_margin, pivoted.revenue - pivoted.cost_of_revenue) - pivoted.sga_rd
        ) as operating_income,
        coalesce(pivoted.net_income_noncontrolling, -pivoted.less_net_income_noncontrolling)
            as net_income_noncontrolling,
        pivoted.current_income_tax + pivoted.deferred_income_tax as total_income_tax,
        other_income_items.other_income_expenses_itemised
    from pivoted
    left join summed
        on
            pivoted.company_id = summed.company_id
            and pivoted.fiscal_period_id = summed.company_id || ':' || summed.period_code
            and pivoted.scenario = summed.scenario
    left join other_income_items
        on
            pivoted.company_id = other_income_items.company_id
            and pivoted.fiscal_period_id = other_income_items.company_id || ':' || other_income_items.period_code
            and pivoted.scenario = other_income_items.scenario

),

-- Adjusted EBITDA is operating income before depreciation and amortization (the document's definition).
-- Other income and expenses, net, is what lies between operating income and pre-tax income; the part of it
-- the listed items do not explain is the unitemised remainder.
with_ebitda as (

    select
        *,
        operating_income + depreciation_and_amortization as adjusted_ebitda,
        income_before_income_tax - operating_income as other_income_expenses_net,
        income_before_income_tax - operating_income - other_income_expenses_itemised
            as other_income_expenses_unitemised
    from derived

),

ratios as (

    select
        *,
        {{ safe_ratio('gross_margin', 'revenue') }} as gross_margin_ratio,
        {{ safe_ratio('sga_rd', 'revenue') }} as sga_ratio,
        {{ safe_ratio('operating_income', 'revenue') }} as operating_margin,
        {{ safe_ratio('adjusted_ebitda', 'revenue') }} as adjusted_ebitda_margin,
        {{ safe_ratio('income_before_income_tax', 'revenue') }} as pretax_margin,
        {{ safe_ratio('net_income_attributable', 'revenue') }} as net_margin,
        {{ safe_ratio('personnel_costs', 'revenue') }} as personnel_cost_ratio,
        {{ safe_ratio('total_income_tax', 'income_before_income_tax') }} as effective_tax_rate
    from with_ebitda

),

-- YoY compares with the actuals of the same period a year earlier, for targets too.
compared as (

    select
        this_period.*,
        {%- for line in compared_lines %}
        this_period.{{ line }} - prior_year.{{ line }} as {{ line }}_yoy_change,
        {{ growth_rate('this_period.' ~ line, 'prior_year.' ~ line) }} as {{ line }}_yoy_growth,
        {%- endfor %}
        -- Not growth either: a year of another length (a transition after a change of year end).
        {{ comparability_break('this_period.accounting_standard', 'prior_year.accounting_standard') }}
        or this_period.months != prior_year.months as is_yoy_comparability_break
    from ratios as this_period
    left join ratios as prior_year
        on
            this_period.prior_year_period_id = prior_year.fiscal_period_id
            and prior_year.scenario = 'actual'

),

final as (

    select
        fiscal_period_id || ':' || scenario as income_statement_id,
        fiscal_period_id,
        company_id,
        scenario,
        period_grain,
        fiscal_year,
        fiscal_half,
        period_label,
        start_date,
        end_date,
        {%- for line in ['revenue', 'cost_of_revenue', 'gross_margin', 'sga_rd', 'operating_income',
            'depreciation_and_amortization', 'adjusted_ebitda', 'adjusted_ebitda_reported',
            'income_before_income_tax', 'current_income_tax', 'deferred_income_tax', 'equity_method_income',
            'net_income_noncontrolling', 'net_income_attributable', 'personnel_costs', 'atm_sga',
            'total_income_tax', 'other_income_expenses_net', 'other_income_expenses_itemised',
            'other_income_expenses_unitemised'] %}
        cast({{ line }} as decimal(18, 1)) as {{ line }},
        {%- endfor %}
        {%- for line in quarter_summed_lines %}
        cast({{ line }}_from_quarters as decimal(18, 1)) as {{ line }}_from_quarters,
        {%- endfor %}
        cast(dividend_per_share as decimal(18, 2)) as dividend_per_share_jpy,
        gross_margin_ratio,
        sga_ratio,
        operating_margin,
        adjusted_ebitda_margin,
        pretax_margin,
        net_margin,
        personnel_cost_ratio,
        effective_tax_rate,
        {%- for line in compared_lines %}
        cast({{ line }}_yoy_change as decimal(18, 1)) as {{ line }}_yoy_change,
        {{ line }}_yoy_growth,
        cast({{ line }}_yoy_growth_reported as decimal(10, 4)) as {{ line }}_yoy_growth_reported,
        {%- endfor %}
        months,
        accounting_standard,
        is_yoy_comparability_break
    from compared

),

with_quarters as (

    select
        final.*,
        -- Actuals: how many quarters of the period have their revenue reported (targets: null).
        case
            when final.scenario = 'actual' then cast(coalesce(quarters_held.quarters_reported, 0) as integer)
        end as quarters_reported
    from final
    left join quarters_held
        on final.fiscal_period_id = quarters_held.fiscal_period_id

)

select * from with_quarters
