-- One row per company and fiscal quarter (actuals): the quarterly income statement, its ratios to
-- revenue, and YoY and QoQ growth.
{%- set printed_lines = ['revenue', 'cost_of_revenue', 'sga_rd', 'personnel_costs', 'atm_sga',
    'current_income_tax', 'deferred_income_tax', 'equity_method_income', 'less_net_income_noncontrolling'] %}
{%- set compared_lines = ['revenue', 'cost_of_revenue', 'gross_margin', 'sga_rd', 'operating_income',
    'personnel_costs'] %}
{%- set qoq_lines = ['revenue', 'gross_margin', 'operating_income'] %}
{%- set reported_growth_lines = ['revenue', 'cost_of_revenue', 'personnel_costs'] %}

with

fiscal_periods as (

    select * from {{ ref('int_fiscal_periods') }}
    where period_grain = 'fiscal_quarter'

),

period_values as (

    select * from {{ ref('int_period_values') }}
    where scenario = 'actual'

),

pivoted as (

    select
        fiscal_periods.fiscal_period_id,
        fiscal_periods.company_id,
        fiscal_periods.fiscal_year,
        fiscal_periods.fiscal_quarter,
        fiscal_periods.period_label,
        fiscal_periods.start_date,
        fiscal_periods.end_date,
        fiscal_periods.prior_year_period_id,
        fiscal_periods.prior_period_id,
        {{ pivot_values(printed_lines) }},
        {{ pivot_values(reported_growth_lines, basis='yoy_pct', suffix='_yoy_growth_reported') }},
        {{ period_accounting_standard('period_values.accounting_standard') }} as accounting_standard
    from fiscal_periods
    inner join period_values
        on
            fiscal_periods.company_id = period_values.company_id
            and fiscal_periods.period_code = period_values.period_code
    group by all
    -- A quarter is in the statement once its revenue is reported.
    having revenue is not null

),

derived as (

    select
        -- Every column but less_net_income_noncontrolling (a list, not DuckDB's `* exclude`, which Spark lacks).
        fiscal_period_id,
        company_id,
        fiscal_year,
        fiscal_quarter,
        period_label,
        start_date,
        end_date,
        prior_year_period_id,
        prior_period_id,
        accounting_standard,
        {%- for line in printed_lines if line != 'less_net_income_noncontrolling' %}
        {{ line }},
        {%- endfor %}
        {%- for line in reported_growth_lines %}
        {{ line }}_yoy_growth_reported,
        {%- endfor %}
        revenue - cost_of_revenue as gross_margin,
        revenue - cost_of_revenue - sga_rd as operating_income,
        -less_net_income_noncontrolling as net_income_noncontrolling
    from pivoted

),

ratios as (

    select
        *,
        {{ safe_ratio('gross_margin', 'revenue') }} as gross_margin_ratio,
        {{ safe_ratio('sga_rd', 'revenue') }} as sga_ratio,
        {{ safe_ratio('operating_income', 'revenue') }} as operating_margin,
        {{ safe_ratio('personnel_costs', 'revenue') }} as personnel_cost_ratio
    from derived

),

-- YoY matches the same quarter a year earlier, QoQ the quarter before, by key (never by row order).
compared as (

    select
        this_quarter.*,
        {%- for line in compared_lines %}
        this_quarter.{{ line }} - prior_year.{{ line }} as {{ line }}_yoy_change,
        {{ growth_rate('this_quarter.' ~ line, 'prior_year.' ~ line) }} as {{ line }}_yoy_growth,
        {%- endfor %}
        {%- for line in qoq_lines %}
        {{ growth_rate('this_quarter.' ~ line, 'prior_quarter.' ~ line) }} as {{ line }}_qoq_growth,
        {%- endfor %}
        {{ comparability_break('this_quarter.accounting_standard', 'prior_year.accounting_standard') }}
            as is_yoy_comparability_break,
        {{ comparability_break('this_quarter.accounting_standard', 'prior_quarter.accounting_standard') }}
            as is_qoq_comparability_break
    from ratios as this_quarter
    left join ratios as prior_year
        on this_quarter.prior_year_period_id = prior_year.fiscal_period_id
    left join ratios as prior_quarter
        on this_quarter.prior_period_id = prior_quarter.fiscal_period_id

),

final as (

    select
        fiscal_period_id,
        company_id,
        fiscal_year,
        fiscal_quarter,
        period_label,
        start_date,
        end_date,
        cast(revenue as decimal(18, 1)) as revenue,
        cast(cost_of_revenue as decimal(18, 1)) as cost_of_revenue,
        cast(gross_margin as decimal(18, 1)) as gross_margin,
        cast(sga_rd as decimal(18, 1)) as sga_rd,
        cast(operating_income as decimal(18, 1)) as operating_income,
        cast(personnel_costs as decimal(18, 1)) as personnel_costs,
        cast(atm_sga as decimal(18, 1)) as atm_sga,
        cast(current_income_tax as decimal(18, 1)) as current_income_tax,
        cast(deferred_income_tax as decimal(18, 1)) as deferred_income_tax,
        cast(equity_method_income as decimal(18, 1)) as equity_method_income,
        cast(net_income_noncontrolling as decimal(18, 1)) as net_income_noncontrolling,
        gross_margin_ratio,
        sga_ratio,
        operating_margin,
        personnel_cost_ratio,
        {%- for line in compared_lines %}
        cast({{ line }}_yoy_change as decimal(18, 1)) as {{ line }}_yoy_change,
        {{ line }}_yoy_growth,
        {%- endfor %}
        {%- for line in qoq_lines %}
        {{ line }}_qoq_growth,
        {%- endfor %}
        {%- for line in reported_growth_lines %}
        cast({{ line }}_yoy_growth_reported as decimal(10, 4)) as {{ line }}_yoy_growth_reported,
        {%- endfor %}
        accounting_standard,
        is_yoy_comparability_break,
        is_qoq_comparability_break
    from compared

)

select * from final
