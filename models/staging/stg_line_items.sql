with

source as (

    {{ seed_source('line_items') }}

),

renamed as (

    select
        line_item_id,
        label as line_item_label,
        statement,
        period_kind,
        nullif(parent_line_item_id, '') as parent_line_item_id,
        {{ seed_typed('sign', 'integer') }} as sign,
        {{ seed_typed('display_order', 'integer') }} as display_order,
        {{ seed_typed('is_subtotal', 'boolean') }} as is_subtotal,
        description as line_item_description,
        seed_row + 1 as seed_line
    from source

)

select * from renamed
