-- Two documents of one company published the same day that print one figure with different values: neither
-- is later, so there is no latest value to show (no silent winner). One row per such pair, naming both seed
-- lines. (The same value printed twice, at any precision, is fine.)
with

own_values as (

    select * from {{ ref('int_figure_values_by_document') }}
    where is_own

),

figures as (

    select * from {{ ref('int_reported_figures') }}

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
        earlier_figure.seed_line as first_seed_line,
        later_figure.seed_line as second_seed_line,
        earlier_figure.printed_value as first_printed_value,
        later_figure.printed_value as second_printed_value
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
    inner join figures as earlier_figure
        on earlier.figure_id = earlier_figure.figure_id
    inner join figures as later_figure
        on later.figure_id = later_figure.figure_id
    where earlier.value != later.value
        -- Not the same figure at another precision: the coarser interval would contain the finer value.
        and not (
            later.value between earlier.value - earlier.uncertainty_below and earlier.value + earlier.uncertainty_above
            or earlier.value between later.value - later.uncertainty_below and later.value + later.uncertainty_above
        )

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
