with

source as (

    select * from {{ external_or_seed('slides') }}

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
