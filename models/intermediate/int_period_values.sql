-- One row per company, period, line item, scenario and basis: the most precise value the warehouse knows as it
-- stands (the view of each company's latest document), with its source. The values every mart uses.
{{ config(materialized='view') }}

select * from {{ ref('int_period_values_by_document') }}
where is_latest_view
