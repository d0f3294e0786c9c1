-- Two documents of one company published the same day that print one figure with different values: neither
-- is later, so there is no latest value to show (no silent winner). One row per such pair, naming both seed
-- lines. (The same value printed twice, at any precision, is fine.)
-- From the staging models alone, so that it runs even when other rows fail their staging tests.
with

figures as (

    select * from {{ ref('stg_reported_figures') }}
    where is_exact and value is not null

),

documents as (

    select * from {{ ref('stg_source_documents') }}

),

-- Each document's most precise printing of each figure.
ranked as (

    select
        figures.*,
        documents.published_on,
        row_number() over (
            partition by
                figures.document_id,
                figures.company_id,
                figures.period_code,
                figures.line_item_id,
                figures.scenario,
                figures.basis
            order by figures.rounding_half_unit asc, figures.seed_row asc
        ) as precision_rank
    from figures
    inner join documents
        on figures.document_id = documents.document_id

),

own_values as (

    select * from ranked
    where precision_rank = 1

),

conflicting as (

    select
        earlier.company_id,
        earlier.period_code,
        earlier.line_item_id,
        earlier.scenario,
        earlier.basis,
        earlier.published_on,
        earlier.document_id as first_document_id,
        later.document_id as second_document_id,
        earlier.seed_line as first_seed_line,
        later.seed_line as second_seed_line,
        earlier.printed_value as first_printed_value,
        later.printed_value as second_printed_value
    from own_values as earlier
    inner join own_values as later
        on
            earlier.company_id = later.company_id
            and earlier.period_code = later.period_code
            and earlier.line_item_id = later.line_item_id
            and earlier.scenario = later.scenario
            and earlier.basis = later.basis
            and earlier.published_on = later.published_on
            and earlier.document_id < later.document_id
    -- Not the same figure at another precision: within a unit of the coarser printing's last digit (rounded or
    -- truncated alike).
    where abs(earlier.value - later.value) > 2 * greatest(earlier.rounding_half_unit, later.rounding_half_unit)

),

failing as (

    select
        'reported_figures' as seed_name,
        cast(first_seed_line as string) || ', ' || cast(second_seed_line as string) as seed_lines,
        company_id || ' ' || line_item_id || ' ' || period_code || ' (' || scenario || ', ' || basis || ')' as figure,
        'reported_figures.csv lines ' || cast(first_seed_line as string) || ' and ' || cast(second_seed_line as string)
        || ': ' || company_id || ' ' || line_item_id || ' ' || period_code || ' (' || scenario || ', ' || basis
        || ') is printed ' || first_printed_value || ' by ' || first_document_id || ' and ' || second_printed_value
        || ' by ' || second_document_id || ', both published on ' || cast(published_on as string)
        || ': no document is the later, so neither value is the latest (correct one, or the published_on dates'
        || ' in source_documents.csv)' as message,
        *
    from conflicting

)

select * from failing
