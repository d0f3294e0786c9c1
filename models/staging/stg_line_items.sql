with

source as (

    select * from {{ ref('line_items') }}

),

renamed as (

    select
        line_item_id,
        label as line_item_label,
        statement,
        period_kind,
        nullif(parent_line_item_id, '') as parent_line_item_id,
        sign,
        display_order,
        is_subtotal,
        description as line_item_description
    from source

)

select * from renamed
