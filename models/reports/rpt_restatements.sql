-- One row per figure whose value changed from one document to the next that printed it (a restatement or
-- reclassification): the earlier and the later document and value, and the difference. Each document's value
-- of a figure is its most precise printing. An identical reprint is not a restatement, nor is a reprint at
-- another precision that the earlier value rounds (or truncates) to: a figure printed 40,964 million and later
-- 41.0 billion is unchanged. Exact figures only (an `approx` figure cannot be restated).
with

own_values as (

    select * from {{ ref('int_figure_values_by_document') }}
    where is_own and is_exact
        {{ for_changed_companies(keyword='and') }}

),

documents as (

    select * from {{ ref('dim_documents') }}
    {{ for_changed_companies() }}

),

printings as (

    select
        own_values.*,
        documents.document_rank,
        lag(own_values.document_id) over (
            partition by
                own_values.company_id, own_values.period_code, own_values.line_item_id, own_values.scenario,
                own_values.basis
            order by documents.document_rank
        ) as earlier_document_id
    from own_values
    inner join documents
        on own_values.document_id = documents.document_id

),

pairs as (

    select
        later.company_id,
        later.fiscal_period_id,
        later.period_code,
        later.line_item_id,
        later.scenario,
        later.basis,
        later.base_unit_id,
        earlier.document_id as earlier_document_id,
        earlier.published_on as earlier_published_on,
        earlier.figure_id as earlier_figure_id,
        earlier.value as earlier_value,
        earlier.accounting_standard as earlier_accounting_standard,
        later.document_id as later_document_id,
        later.published_on as later_published_on,
        later.figure_id as later_figure_id,
        later.value as later_value,
        later.accounting_standard as later_accounting_standard,
        -- The coarser printing's interval contains the finer value: the same figure at another precision.
        case
            when earlier.uncertainty_below + earlier.uncertainty_above
                > later.uncertainty_below + later.uncertainty_above
                then
                    later.value between earlier.value - earlier.uncertainty_below
                    and earlier.value + earlier.uncertainty_above
            when earlier.uncertainty_below + earlier.uncertainty_above
                < later.uncertainty_below + later.uncertainty_above
                then
                    earlier.value between later.value - later.uncertainty_below
                    and later.value + later.uncertainty_above
            else earlier.value = later.value
        end as is_same_figure
    from printings as later
    inner join printings as earlier
        on
            later.earlier_document_id = earlier.document_id
            and later.company_id = earlier.company_id
            and later.period_code = earlier.period_code
            and later.line_item_id = earlier.line_item_id
            and later.scenario = earlier.scenario
            and later.basis = earlier.basis

),

final as (

    select
        later_figure_id as restatement_id,
        company_id,
        fiscal_period_id,
        period_code,
        line_item_id,
        scenario,
        basis,
        base_unit_id,
        earlier_document_id,
        earlier_published_on,
        earlier_figure_id,
        cast(earlier_value as decimal(24, 6)) as earlier_value,
        later_document_id,
        later_published_on,
        later_figure_id,
        cast(later_value as decimal(24, 6)) as later_value,
        cast(later_value - earlier_value as decimal(24, 6)) as difference,
        earlier_accounting_standard,
        later_accounting_standard,
        -- The restatement coincides with a change of accounting standard: not growth, not an error.
        earlier_accounting_standard != later_accounting_standard as is_standard_change
    from pairs
    where not is_same_figure

)

select * from final
