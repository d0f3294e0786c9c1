-- One row per document and figure (company, period, line item, scenario, basis): the figure as it was known
-- when the document was published (docs/decisions.md D26). That is the document's own most precise printing
-- of it (the same figure is often printed in JPY million on one slide and JPY billion on another), or else
-- the most precise printing of the latest earlier document of the company that printed it. The latest
-- document's view is the warehouse as it stands (int_figure_values, which the marts read).
with

figures as (

    select * from {{ ref('int_reported_figures') }}
    {{ for_changed_companies() }}

),

documents as (

    select * from {{ ref('int_documents') }}
    {{ for_changed_companies() }}

),

ranked as (

    select
        *,
        count(*) over (
            partition by document_id, company_id, period_code, line_item_id, scenario, basis
        ) as occurrences,
        -- (The partition spelled out: Spark cannot extend a named window with an order.)
        row_number() over (
            partition by document_id, company_id, period_code, line_item_id, scenario, basis
            order by is_exact desc, rounding_half_unit asc, seed_row asc
        ) as precision_rank
    from figures

),

-- Each document's most precise printing of each figure it prints.
printed_by_document as (

    select
        document_id,
        document_rank,
        published_on,
        accounting_standard,
        company_id,
        period_code,
        line_item_id,
        scenario,
        basis,
        fiscal_period_id,
        prior_year_period_code,
        period_grain,
        -- The fiscal year the figure can belong to (a date: its calendar year's fiscal year or the next).
        coalesce(fiscal_year, year(as_of_date)) as reach_fiscal_year,
        as_of_date,
        statement,
        period_kind,
        base_unit_id,
        value,
        rounding_half_unit,
        uncertainty_below,
        uncertainty_above,
        is_exact,
        figure_id,
        slide_id,
        occurrences
    from ranked
    where precision_rank = 1

),

-- What each document's view can see: its own figures and those of the company's earlier documents. The
-- views of all but the latest document keep only the fiscal years its checks can reach (two years before
-- the first it prints: a year earlier, and that year's opening balance), so the views do not grow with
-- the square of the documents. Each view knows a figure from the latest document that printed it: found
-- on the keys alone (a group-by, which spills to disk), then joined back to that printing. A window over
-- the whole rows ran out of memory at 1,000 companies under a 3 GB cap.
latest_in_view as (

    select
        view_documents.document_id as as_of_document_id,
        view_documents.is_latest_document as is_latest_view,
        view_documents.document_rank as view_document_rank,
        printed_by_document.company_id,
        printed_by_document.period_code,
        printed_by_document.line_item_id,
        printed_by_document.scenario,
        printed_by_document.basis,
        max(printed_by_document.document_rank) as known_document_rank
    from printed_by_document
    inner join documents as view_documents
        on
            printed_by_document.company_id = view_documents.company_id
            and printed_by_document.document_rank <= view_documents.document_rank
            and (
                view_documents.is_latest_document
                or printed_by_document.document_rank = view_documents.document_rank
                or printed_by_document.reach_fiscal_year
                between view_documents.first_fiscal_year - 2 and view_documents.last_fiscal_year + 1
            )
    group by
        view_documents.document_id,
        view_documents.is_latest_document,
        view_documents.document_rank,
        printed_by_document.company_id,
        printed_by_document.period_code,
        printed_by_document.line_item_id,
        printed_by_document.scenario,
        printed_by_document.basis

),

latest_known as (

    select
        latest_in_view.as_of_document_id,
        latest_in_view.is_latest_view,
        printed_by_document.company_id,
        printed_by_document.period_code,
        printed_by_document.line_item_id,
        printed_by_document.scenario,
        printed_by_document.basis,
        printed_by_document.fiscal_period_id,
        printed_by_document.prior_year_period_code,
        printed_by_document.period_grain,
        printed_by_document.as_of_date,
        printed_by_document.statement,
        printed_by_document.period_kind,
        printed_by_document.base_unit_id,
        printed_by_document.value,
        printed_by_document.rounding_half_unit,
        printed_by_document.uncertainty_below,
        printed_by_document.uncertainty_above,
        printed_by_document.is_exact,
        printed_by_document.figure_id,
        printed_by_document.slide_id,
        printed_by_document.occurrences,
        printed_by_document.document_id,
        printed_by_document.published_on,
        printed_by_document.accounting_standard,
        printed_by_document.document_rank = latest_in_view.view_document_rank as is_own
    from latest_in_view
    inner join printed_by_document
        on
            latest_in_view.company_id = printed_by_document.company_id
            and latest_in_view.known_document_rank = printed_by_document.document_rank
            and latest_in_view.period_code = printed_by_document.period_code
            and latest_in_view.line_item_id = printed_by_document.line_item_id
            and latest_in_view.scenario = printed_by_document.scenario
            and latest_in_view.basis = printed_by_document.basis

)

select * from latest_known
