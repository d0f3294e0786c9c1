-- One row per printed figure of every document, as reported: the point-in-time record. A figure printed by
-- several documents (a comparative reprinted, or restated) has a row per printing; `is_latest` marks the
-- printings of the latest document that printed it (the value the marts show, at its most precise printing),
-- and `first_reported_value` is the value of the first document that printed it.
with

figures as (

    select * from {{ ref('int_reported_figures') }}
    {{ for_changed_companies() }}

),

own_values as (

    select * from {{ ref('int_figure_values_by_document') }}
    where is_own
        {{ for_changed_companies(keyword='and') }}

),

-- Each figure's first and latest document.
first_and_latest as (

    select
        company_id,
        period_code,
        line_item_id,
        scenario,
        basis,
        min(document_rank) as first_document_rank,
        max(document_rank) as latest_document_rank
    from figures
    group by company_id, period_code, line_item_id, scenario, basis

),

documents as (

    select * from {{ ref('dim_documents') }}
    {{ for_changed_companies() }}

),

-- The first document's value of each figure: its most precise printing there.
first_values as (

    select
        own_values.company_id,
        own_values.period_code,
        own_values.line_item_id,
        own_values.scenario,
        own_values.basis,
        own_values.value as first_reported_value,
        own_values.document_id as first_reported_document_id
    from own_values
    inner join first_and_latest
        on
            own_values.company_id = first_and_latest.company_id
            and own_values.period_code = first_and_latest.period_code
            and own_values.line_item_id = first_and_latest.line_item_id
            and own_values.scenario = first_and_latest.scenario
            and own_values.basis = first_and_latest.basis
    -- The company in the key too: a rank alone names a document of every company, and a join on it alone
    -- (which DuckDB chose at 1,000 companies) pairs each figure with a document of each of them.
    inner join documents
        on
            own_values.document_id = documents.document_id
            and first_and_latest.company_id = documents.company_id
            and first_and_latest.first_document_rank = documents.document_rank

),

final as (

    select
        figures.figure_id,
        figures.company_id,
        figures.document_id,
        figures.published_on,
        figures.slide_id,
        figures.fiscal_period_id,
        figures.period_code,
        figures.line_item_id,
        figures.scenario,
        figures.basis,
        figures.printed_value,
        figures.unit_id,
        figures.qualifier,
        cast(figures.value as decimal(24, 6)) as value,
        figures.base_unit_id,
        -- A unit of the last printed digit, in the base unit: the precision the figure is printed to.
        cast(2 * figures.rounding_half_unit as decimal(24, 6)) as precision_unit,
        figures.rounding,
        figures.accounting_standard,
        figures.document_rank = first_and_latest.latest_document_rank as is_latest,
        cast(first_values.first_reported_value as decimal(24, 6)) as first_reported_value,
        first_values.first_reported_document_id,
        cast(figures.seed_line as integer) as seed_line
    from figures
    inner join first_and_latest
        on
            figures.company_id = first_and_latest.company_id
            and figures.period_code = first_and_latest.period_code
            and figures.line_item_id = first_and_latest.line_item_id
            and figures.scenario = first_and_latest.scenario
            and figures.basis = first_and_latest.basis
    inner join first_values
        on
            figures.company_id = first_values.company_id
            and figures.period_code = first_values.period_code
            and figures.line_item_id = first_values.line_item_id
            and figures.scenario = first_values.scenario
            and figures.basis = first_values.basis

)

select * from final
