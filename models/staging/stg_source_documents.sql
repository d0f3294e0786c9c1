-- One row per source document, with `seed_line` (its line in seeds/source_documents.csv) for the tests.
with

source as (

    {{ seed_source('source_documents', external=true) }}

),

renamed as (

    select
        document_id,
        company_id,
        title as document_title,
        {{ seed_typed('published_on', 'date') }} as published_on,
        {{ seed_typed('covers_fiscal_year', 'integer') }} as covers_fiscal_year,
        -- Empty means round-to-nearest, the convention of most decks.
        coalesce(nullif(trim(rounding), ''), 'round') as rounding,
        -- Empty means the company's standard (int_documents fills it in).
        nullif(trim(accounting_standard), '') as accounting_standard,
        seed_row + 1 as seed_line
    from source

)

select * from renamed
