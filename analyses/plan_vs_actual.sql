-- Income-statement targets against the actuals of a year earlier.
select
    company_id,
    period_label,
    line_item_label,
    target_value,
    prior_year_actual,
    implied_yoy_growth,
    yoy_growth_reported,
    target_pct_of_revenue,
    target_is_derived
from {{ ref('fct_plan_vs_actual') }}
where statement = 'income_statement'
order by company_id, fiscal_year, fiscal_half nulls first, display_order
