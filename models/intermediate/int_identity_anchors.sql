-- Where each identity of the `identities` seed (kinds `sum`, `ratio`, `ratio_change`, `growth`) is checked: the
-- anchors (int_check_anchors) at which the document prints its result, with that result. A table of its own for
-- memory, as int_check_anchors; int_checks_defined_identities evaluates the terms there.
with

identities as (

    select * from {{ ref('stg_identities') }}
    where kind in ('sum', 'ratio', 'ratio_change', 'growth')

),

period_values as (

    select * from {{ ref('int_period_values_by_document') }}
    {{ for_changed_companies() }}

),

anchor_relations as (

    select * from {{ ref('int_check_anchors') }}
    {{ for_changed_companies() }}

),

-- Where each identity is checked: the anchors at which its result is known (a check needs it), with
-- that result. Terms are evaluated there only, not at every anchor (a cross join of every term with every
-- anchor of every company grew with companies x periods x terms). One row per identity and anchor: an
-- anchor resolves each period relation to one period, and a value is unique per period and line item.
identity_anchors as (

    select
        identities.identity_id,
        result_point.as_of_document_id,
        result_point.company_id,
        result_point.period_code,
        result_point.scenario,
        result_value.period_code as result_period_code,
        result_value.value_source as result_source,
        result_value.figure_ids as result_figure_ids,
        result_value.value as result_value,
        result_value.uncertainty_below as result_uncertainty_below,
        result_value.uncertainty_above as result_uncertainty_above
    from identities
    inner join period_values as result_value
        on
            identities.result_line_item_id = result_value.line_item_id
            and identities.result_basis = result_value.basis
    inner join anchor_relations as result_point
        on
            result_value.as_of_document_id = result_point.as_of_document_id
            and result_value.company_id = result_point.company_id
            and result_value.period_code = result_point.resolved_period_code
            and result_value.scenario = result_point.scenario
            and identities.result_period_relation = result_point.period_relation
    -- The check is the document's that prints its result.
    where result_value.is_own

)

select * from identity_anchors
