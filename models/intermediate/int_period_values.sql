-- One row per company, period, line item, scenario and basis: the most precise value the warehouse knows as it
-- stands (the view of each company's latest document), with its source. The values the statements use: not a
-- value known only through a printed YoY %, which restates that YoY % and no more (fct_period_values has
-- those; docs/decisions.md D30).
{{ config(materialized='view') }}

select * from {{ ref('int_period_values_by_document') }}
where is_latest_view and not {{ restates_a_growth_rate('value_source') }}
