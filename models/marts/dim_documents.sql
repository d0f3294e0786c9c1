-- One row per source document: when it was published, how it rounds, which standard it follows, and its place
-- in its company's stream of documents (the axis of time of every figure).
select
    document_id,
    company_id,
    document_title,
    published_on,
    cast(covers_fiscal_year as integer) as covers_fiscal_year,
    rounding,
    accounting_standard,
    cast(document_rank as integer) as document_rank,
    is_latest_document
from {{ ref('int_documents') }}
{{ for_changed_companies() }}
