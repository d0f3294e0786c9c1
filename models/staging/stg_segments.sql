with

source as (

    {{ seed_source('segments') }}

),

renamed as (

    select
        segment_id,
        label as segment_label,
        gross_margin_line_item_id,
        nullif(cost_line_item_id, '') as cost_line_item_id,
        nullif(gross_margin_ratio_line_item_id, '') as gross_margin_ratio_line_item_id,
        nullif(revenue_line_item_id, '') as revenue_line_item_id,
        nullif(sga_line_item_id, '') as sga_line_item_id,
        {{ seed_typed('display_order', 'integer') }} as display_order,
        seed_row + 1 as seed_line
    from source

)

select * from renamed
