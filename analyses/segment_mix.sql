-- Gross margin by segment and its share of the total, by fiscal year.
select
    company_id,
    fiscal_year,
    segment_label,
    gross_margin,
    share_of_total_gross_margin,
    gross_margin_yoy_growth,
    is_derived
from {{ ref('fct_segment_gross_margin') }}
order by company_id, fiscal_year, display_order
