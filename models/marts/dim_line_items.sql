-- One row per line item or metric: what it is, its statement and its place in it.
-- Not keyed by company: a table built whole in every build.
{{ config(materialized='table') }}

with

line_items as (

    select * from {{ ref('stg_line_items') }}

),

final as (

    select
        line_item_id,
        line_item_label,
        statement,
        period_kind,
        parent_line_item_id,
        sign,
        display_order,
        is_subtotal,
        line_item_description
    from line_items

)

select * from final
