-- Quarterly revenue, gross margin and operating income with their margins and growth, oldest first.
select
    company_id,
    period_label,
    end_date,
    revenue,
    gross_margin,
    operating_income,
    gross_margin_ratio,
    operating_margin,
    revenue_yoy_growth,
    revenue_yoy_growth_reported,
    revenue_qoq_growth
from {{ ref('fct_income_statement_quarterly') }}
order by company_id, end_date
