-- One row per document view, company, period, line item, scenario and basis: the most precise value the
-- view knows (printed, summed from quarters, or implied by next year's printed change), with its source;
-- a base implied by a printed YoY % only where the view knows the value no other way (docs/decisions.md D30).
-- The identity checks evaluate each document with its own view; int_period_values is the latest view.
with

candidates as (

    select * from {{ ref('int_period_value_candidates') }}
    {{ for_changed_companies() }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by as_of_document_id, company_id, period_code, line_item_id, scenario, basis
            order by
                case when {{ restates_a_growth_rate('value_source') }} then 1 else 0 end asc,
                uncertainty_below + uncertainty_above asc,
                case value_source when 'printed' then 1 when 'sum_of_quarters' then 2 else 3 end asc
        ) as precision_rank
    from candidates

),

most_precise as (

    select
        as_of_document_id,
        is_latest_view,
        company_id,
        period_code,
        line_item_id,
        scenario,
        basis,
        value,
        uncertainty_below,
        uncertainty_above,
        value_source,
        figure_ids,
        is_own,
        accounting_standard
    from ranked
    where precision_rank = 1

)

select * from most_precise
