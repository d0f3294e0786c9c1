with

source as (

    {{ seed_source('slides', external=true) }}

),

renamed as (

    select
        document_id || ':' || slide_id as slide_key,
        document_id,
        slide_id,
        title as slide_title,
        seed_row + 1 as seed_line
    from source

)

select * from renamed
