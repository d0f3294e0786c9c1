-- Checks of the templates that compare a printed figure with another way of knowing the same
-- figure: `restatement` (each further printing against the most precise one, within one document) and
-- `quarters_sum_to_period` (a printed year or half against the sum of its printed quarters). Each check is
-- its document's (`as_of_document_id`): the document prints the reported figure, and the check uses the
-- values known when it was published. One row per check instance.
with

figures as (

    select * from {{ ref('int_reported_figures') }}
    {{ for_changed_companies() }}

),

figure_values as (

    select * from {{ ref('int_figure_values_by_document') }}
    {{ for_changed_companies() }}

),

candidates as (

    select * from {{ ref('int_period_value_candidates') }}
    {{ for_changed_companies() }}

),

restatement as (

    select
        'restatement' as identity_id,
        printing.document_id as as_of_document_id,
        printing.company_id,
        printing.period_code,
        printing.scenario,
        printing.line_item_id,
        printing.basis,
        'printed' as reported_source,
        {{ dbt.array_construct(['printing.figure_id']) }} as reported_figure_ids,
        printing.value as reported_value,
        printing.uncertainty_below as reported_uncertainty_below,
        printing.uncertainty_above as reported_uncertainty_above,
        reference.value as derived_value,
        reference.uncertainty_below as derived_uncertainty_below,
        reference.uncertainty_above as derived_uncertainty_above,
        {{ dbt.array_construct(['reference.figure_id']) }} as derived_from_figure_ids
    from figures as printing
    inner join figure_values as reference
        on
            printing.document_id = reference.as_of_document_id
            and printing.company_id = reference.company_id
            and printing.period_code = reference.period_code
            and printing.line_item_id = reference.line_item_id
            and printing.scenario = reference.scenario
            and printing.basis = reference.basis
            and printing.figure_id != reference.figure_id
    where printing.is_exact and reference.is_exact and reference.is_own

),

time_sum as (

    select
        'quarters_sum_to_period' as identity_id,
        printed.as_of_document_id,
        printed.company_id,
        printed.period_code,
        printed.scenario,
        printed.line_item_id,
        printed.basis,
        printed.value_source as reported_source,
        printed.figure_ids as reported_figure_ids,
        printed.value as reported_value,
        printed.uncertainty_below as reported_uncertainty_below,
        printed.uncertainty_above as reported_uncertainty_above,
        quarters.value as derived_value,
        quarters.uncertainty_below as derived_uncertainty_below,
        quarters.uncertainty_above as derived_uncertainty_above,
        quarters.figure_ids as derived_from_figure_ids
    from candidates as printed
    inner join candidates as quarters
        on
            printed.as_of_document_id = quarters.as_of_document_id
            and printed.company_id = quarters.company_id
            and printed.period_code = quarters.period_code
            and printed.line_item_id = quarters.line_item_id
            and printed.scenario = quarters.scenario
            and printed.basis = quarters.basis
    where printed.value_source = 'printed' and printed.is_own and quarters.value_source = 'sum_of_quarters'

),

checks as (

    select * from restatement
    union all
    select * from time_sum

)

select * from checks
