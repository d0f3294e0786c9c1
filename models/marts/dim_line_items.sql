-- One row per line item or metric: what it is, its statement and its place in it.
select * from {{ ref('stg_line_items') }}
