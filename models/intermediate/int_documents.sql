-- One row per source document: its company, publication date, rounding and accounting standard (the
-- company's where the document names none), and its place in the company's stream of documents, the axis
-- of time of every figure (docs/decisions.md D26).
with

documents as (

    select * from {{ ref('stg_source_documents') }}
    {{ for_changed_companies() }}

),

companies as (

    select * from {{ ref('stg_companies') }}
    {{ for_changed_companies() }}

),

figures as (

    select * from {{ ref('stg_reported_figures') }}
    {{ for_changed_companies() }}

),

-- The fiscal years a document prints figures for. A date belongs to its calendar year's fiscal year or the
-- one before: both count.
printed_years as (

    select
        document_id,
        min(coalesce(fiscal_year, year(as_of_date) - 1)) as first_fiscal_year,
        max(coalesce(fiscal_year, year(as_of_date))) as last_fiscal_year
    from figures
    group by document_id

),

ranked as (

    select
        documents.document_id,
        documents.company_id,
        documents.document_title,
        documents.published_on,
        documents.covers_fiscal_year,
        documents.rounding,
        coalesce(documents.accounting_standard, companies.accounting_standard) as accounting_standard,
        printed_years.first_fiscal_year,
        printed_years.last_fiscal_year,
        -- Ties on the date are ordered by id, so the order is total; two documents of one date that print
        -- one figure differently fail assert_one_value_per_publication_date.
        row_number() over (
            partition by documents.company_id order by documents.published_on, documents.document_id
        ) as document_rank,
        count(*) over (partition by documents.company_id) as company_documents,
        documents.seed_line
    from documents
    left join companies
        on documents.company_id = companies.company_id
    left join printed_years
        on documents.document_id = printed_years.document_id

),

final as (

    select
        document_id,
        company_id,
        document_title,
        published_on,
        covers_fiscal_year,
        rounding,
        accounting_standard,
        first_fiscal_year,
        last_fiscal_year,
        document_rank,
        document_rank = company_documents as is_latest_document,
        seed_line
    from ranked

)

select * from final
