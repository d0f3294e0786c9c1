with

source as (

    select * from {{ external_or_seed('source_documents') }}

),

renamed as (

    select
        document_id,
        company_id,
        title as document_title,
        published_on,
        covers_fiscal_year
    from source

)

select * from renamed
