-- One row per source document, with `seed_line` (its line in seeds/source_documents.csv) for the tests.
with

source as (

    {% if external_dir() -%}
    select
        * exclude (file_row_number),
        file_row_number + 1 as seed_row
    from read_parquet('{{ var("external_dir") }}/source_documents.parquet', file_row_number = true)
    {%- else -%}
    {{ seed_with_rows(ref('source_documents')) }}
    {%- endif %}

),

renamed as (

    select
        document_id,
        company_id,
        title as document_title,
        published_on,
        covers_fiscal_year,
        -- Empty means round-to-nearest, the convention of most decks.
        coalesce(nullif(trim(rounding), ''), 'round') as rounding,
        -- Empty means the company's standard (int_documents fills it in).
        nullif(trim(accounting_standard), '') as accounting_standard,
        seed_row + 1 as seed_line
    from source

)

select * from renamed
