with

source as (

    select * from {{ ref('slides') }}

),

renamed as (

    select
        document_id || ':' || slide_id as slide_key,
        document_id,
        slide_id,
        title as slide_title
    from source

)

select * from renamed
