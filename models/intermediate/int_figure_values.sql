-- One row per company, period, line item, scenario and basis: the figure as it stands, in the latest document
-- that printed it (as restated), at that document's most precise printing. The marts read it.
{{ config(materialized='view') }}

select * from {{ ref('int_figure_values_by_document') }}
where is_latest_view
