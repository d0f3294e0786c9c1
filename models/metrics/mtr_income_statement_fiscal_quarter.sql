-- One row per company and fiscal quarter: the semantic layer's income-statement metrics
-- (models/semantic/_metrics.yml) as a view for BI tools, computed as MetricFlow computes them: amounts
-- summed to the fiscal quarter of the time spine (in fiscal time: docs/decisions.md D25), ratios of the sums,
-- YoY against the same fiscal quarter a year earlier. python_tests/test_semantic_layer.py checks it against
-- `mf query`. Relations are named without the database: DuckDB binds a view's names in the view's own file, so
-- the view keeps working when the file is renamed, copied or attached under another name.
with

quarters as (

    select * from {{ ref('sem_income_statement_quarters').include(database=False) }}
    {{ for_changed_companies() }}

),

fiscal_days as (

    select * from {{ ref('dim_fiscal_days').include(database=False) }}

),

summed as (

    select
        quarters.company_id,
        fiscal_days.fiscal_quarter,
        fiscal_days.fiscal_year,
        quarters.fiscal_year as fiscal_year_number,
        quarters.fiscal_quarter as fiscal_quarter_number,
        min(quarters.start_date) as start_date,
        max(quarters.end_date) as end_date,
        sum(quarters.revenue) as revenue,
        sum(quarters.cost_of_revenue) as cost_of_revenue,
        sum(quarters.gross_margin) as gross_margin,
        sum(quarters.sga_rd) as sga_rd,
        sum(quarters.operating_income) as operating_income
    from quarters
    inner join fiscal_days
        on quarters.fiscal_date = fiscal_days.date_day
    group by all

),

-- YoY matches the same fiscal quarter one fiscal year earlier, by key.
compared as (

    select
        this_quarter.*,
        {{ safe_ratio('this_quarter.gross_margin', 'this_quarter.revenue') }} as gross_margin_ratio,
        {{ safe_ratio('this_quarter.operating_income', 'this_quarter.revenue') }} as operating_margin,
        {{ growth_rate('this_quarter.revenue', 'prior_year.revenue') }} as revenue_yoy_growth,
        {{ growth_rate('this_quarter.gross_margin', 'prior_year.gross_margin') }} as gross_margin_yoy_growth,
        {{ growth_rate('this_quarter.operating_income', 'prior_year.operating_income') }}
            as operating_income_yoy_growth
    from summed as this_quarter
    left join summed as prior_year
        on
            this_quarter.company_id = prior_year.company_id
            and this_quarter.fiscal_year_number - 1 = prior_year.fiscal_year_number
            and this_quarter.fiscal_quarter_number = prior_year.fiscal_quarter_number

),

final as (

    select
        company_id || ':' || fiscal_quarter as metric_row_id,
        company_id,
        fiscal_quarter,
        fiscal_year,
        start_date,
        end_date,
        cast(revenue as decimal(18, 1)) as revenue,
        cast(cost_of_revenue as decimal(18, 1)) as cost_of_revenue,
        cast(gross_margin as decimal(18, 1)) as gross_margin,
        cast(sga_rd as decimal(18, 1)) as sga_rd,
        cast(operating_income as decimal(18, 1)) as operating_income,
        gross_margin_ratio,
        operating_margin,
        revenue_yoy_growth,
        gross_margin_yoy_growth,
        operating_income_yoy_growth
    from compared

)

select * from final
