with

source as (

    select * from {{ ref('segments') }}

),

renamed as (

    select
        segment_id,
        label as segment_label,
        gross_margin_line_item_id,
        nullif(cost_line_item_id, '') as cost_line_item_id,
        nullif(gross_margin_ratio_line_item_id, '') as gross_margin_ratio_line_item_id,
        display_order
    from source

)

select * from renamed
