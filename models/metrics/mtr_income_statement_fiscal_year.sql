-- One row per company and fiscal year: the semantic layer's income-statement metrics
-- (models/semantic/_metrics.yml) as a view for BI tools, computed as MetricFlow computes them: amounts
-- summed over the fiscal year's printed quarters (quarters_reported of them: fewer than 4 is a year in
-- progress), adjusted EBITDA from the annual statement, ratios of the sums, YoY against the fiscal year
-- before over the same quarters (docs/decisions.md D25: a year in progress is compared year to date, never
-- with a full year). python_tests/test_semantic_layer.py checks it against `mf query`. Relations are named
-- without the database (see mtr_income_statement_fiscal_quarter).
{%- set compared_lines = ['revenue', 'gross_margin', 'operating_income'] %}

with

quarters as (

    select * from {{ ref('sem_income_statement_quarters').include(database=False) }}
    {{ for_changed_companies() }}

),

annual as (

    select * from {{ ref('fct_income_statement_annual').include(database=False) }}
    where period_grain = 'fiscal_year' and scenario = 'actual'
        {{ for_changed_companies(keyword='and') }}

),

fiscal_days as (

    select * from {{ ref('dim_fiscal_days').include(database=False) }}

),

summed as (

    select
        quarters.company_id,
        fiscal_days.fiscal_year,
        quarters.fiscal_year as fiscal_year_number,
        count(*) as quarters_reported,
        sum(quarters.revenue) as revenue,
        sum(quarters.cost_of_revenue) as cost_of_revenue,
        sum(quarters.gross_margin) as gross_margin,
        sum(quarters.sga_rd) as sga_rd,
        sum(quarters.operating_income) as operating_income,
        {%- for line in compared_lines %}
        -- The year's quarters whose same quarter a year earlier (later) is reported: a YoY's two sides.
        sum(case when quarters.has_prior_year_quarter then quarters.{{ line }} end) as {{ line }}_matching_prior_year,
        sum(case when quarters.has_next_year_quarter then quarters.{{ line }} end) as {{ line }}_matching_next_year
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from quarters
    inner join fiscal_days
        on quarters.fiscal_date = fiscal_days.date_day
    group by all

),

with_ebitda as (

    select
        summed.*,
        annual.adjusted_ebitda
    from summed
    left join annual
        on
            summed.company_id = annual.company_id
            and summed.fiscal_year_number = annual.fiscal_year

),

-- YoY over the same quarters: this year's quarters that the year before reports too, against the year before's
-- quarters that this year reports too (a full year against a full year is the plain YoY).
compared as (

    select
        this_year.*,
        {{ safe_ratio('this_year.gross_margin', 'this_year.revenue') }} as gross_margin_ratio,
        {{ safe_ratio('this_year.operating_income', 'this_year.revenue') }} as operating_margin,
        {%- for line in compared_lines %}
        {{ growth_rate('this_year.' ~ line ~ '_matching_prior_year', 'prior_year.' ~ line ~ '_matching_next_year') }}
            as {{ line }}_yoy_growth,
        {%- endfor %}
        {{ growth_rate('this_year.adjusted_ebitda', 'prior_year.adjusted_ebitda') }} as adjusted_ebitda_yoy_growth
    from with_ebitda as this_year
    left join with_ebitda as prior_year
        on
            this_year.company_id = prior_year.company_id
            and this_year.fiscal_year_number - 1 = prior_year.fiscal_year_number

),

final as (

    select
        company_id || ':' || fiscal_year as metric_row_id,
        company_id,
        fiscal_year,
        cast(quarters_reported as integer) as quarters_reported,
        cast(revenue as decimal(18, 1)) as revenue,
        cast(cost_of_revenue as decimal(18, 1)) as cost_of_revenue,
        cast(gross_margin as decimal(18, 1)) as gross_margin,
        cast(sga_rd as decimal(18, 1)) as sga_rd,
        cast(operating_income as decimal(18, 1)) as operating_income,
        cast(adjusted_ebitda as decimal(18, 1)) as adjusted_ebitda,
        gross_margin_ratio,
        operating_margin,
        revenue_yoy_growth,
        gross_margin_yoy_growth,
        operating_income_yoy_growth,
        adjusted_ebitda_yoy_growth
    from compared

)

select * from final
