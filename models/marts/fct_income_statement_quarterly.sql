-- One row per company and fiscal quarter (actuals): the quarterly income statement, and for every line its
-- ratio to revenue, its YoY and QoQ change and growth, and its last twelve months.
{%- set printed_lines = ['revenue', 'cost_of_revenue', 'sga_rd', 'personnel_costs', 'atm_sga',
    'current_income_tax', 'deferred_income_tax', 'equity_method_income', 'less_net_income_noncontrolling'] %}
{#- Every line of the statement, in its order; each is a flow, so each has a last twelve months. #}
{%- set lines = ['revenue', 'cost_of_revenue', 'gross_margin', 'sga_rd', 'operating_income', 'personnel_costs',
    'atm_sga', 'current_income_tax', 'deferred_income_tax', 'total_income_tax', 'equity_method_income',
    'net_income_noncontrolling'] %}
{#- Each line's ratio to revenue; four keep the names they had before every line had one. #}
{%- set ratio_names = {'gross_margin': 'gross_margin_ratio', 'sga_rd': 'sga_ratio',
    'operating_income': 'operating_margin', 'personnel_costs': 'personnel_cost_ratio'} %}
{%- set reported_growth_lines = ['revenue', 'cost_of_revenue', 'personnel_costs'] %}

with

fiscal_periods as (

    select * from {{ ref('dim_fiscal_periods') }}
    where period_grain = 'fiscal_quarter'
        {{ for_changed_companies(keyword='and') }}

),

period_values as (

    select * from {{ ref('int_period_values') }}
    where scenario = 'actual'
        {{ for_changed_companies(keyword='and') }}

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
        current_income_tax + deferred_income_tax as total_income_tax,
        -less_net_income_noncontrolling as net_income_noncontrolling
    from pivoted

),

ratios as (

    select
        {%- for line in lines if line != 'revenue' %}
        {{ safe_ratio(line, 'revenue') }} as {{ ratio_names.get(line, line ~ '_ratio') }},
        {%- endfor %}
        *
    from derived

),

-- YoY matches the same quarter a year earlier, QoQ the quarter before, by key (never by row order); the last
-- twelve months add the quarter and the three before it, where all four are known.
compared as (

    select
        this_quarter.*,
        {%- for line in lines %}
        this_quarter.{{ line }} - prior_year.{{ line }} as {{ line }}_yoy_change,
        {{ growth_rate('this_quarter.' ~ line, 'prior_year.' ~ line) }} as {{ line }}_yoy_growth,
        this_quarter.{{ line }} - prior_quarter.{{ line }} as {{ line }}_qoq_change,
        {{ growth_rate('this_quarter.' ~ line, 'prior_quarter.' ~ line) }} as {{ line }}_qoq_growth,
        this_quarter.{{ line }} + prior_quarter.{{ line }} + second_prior_quarter.{{ line }}
        + third_prior_quarter.{{ line }} as {{ line }}_ltm,
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
    left join ratios as second_prior_quarter
        on prior_quarter.prior_period_id = second_prior_quarter.fiscal_period_id
    left join ratios as third_prior_quarter
        on second_prior_quarter.prior_period_id = third_prior_quarter.fiscal_period_id

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
        {%- for line in lines %}
        cast({{ line }} as decimal(18, 1)) as {{ line }},
        {%- endfor %}
        {%- for line in lines if line != 'revenue' %}
        {{ ratio_names.get(line, line ~ '_ratio') }},
        {%- endfor %}
        {%- for line in lines %}
        cast({{ line }}_yoy_change as decimal(18, 1)) as {{ line }}_yoy_change,
        {{ line }}_yoy_growth,
        cast({{ line }}_qoq_change as decimal(18, 1)) as {{ line }}_qoq_change,
        {{ line }}_qoq_growth,
        cast({{ line }}_ltm as decimal(18, 1)) as {{ line }}_ltm,
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
