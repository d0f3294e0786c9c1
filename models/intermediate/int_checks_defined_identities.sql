-- Checks of the identities defined as data in the `identities` and `identity_terms` seeds (kinds
-- `sum`, `ratio`, `ratio_change` and `growth`), evaluated at every company, period and scenario where the
-- result and every term are known. Each check is its document's: the document prints the result (or a
-- figure it is built from), and the terms are the values known when it was published
-- (int_period_values_by_document). One row per check instance. Where each identity is checked, and with what
-- result, is int_identity_anchors; the periods each anchor's relations resolve to, int_check_anchors.
{#- A ratio's inputs: numerator and denominator, each its value and its interval's reaches (quotient_uncertainty). #}
{%- set quotient_inputs = [
    'evaluated.numerator', 'evaluated.numerator_uncertainty_below', 'evaluated.numerator_uncertainty_above',
    'evaluated.denominator', 'evaluated.denominator_uncertainty_below', 'evaluated.denominator_uncertainty_above'
] %}

with

-- (The kinds checked here are chosen once, by int_identity_anchors: a check starts from its anchor.)
identities as (

    select * from {{ ref('stg_identities') }}

),

terms as (

    select * from {{ ref('stg_identity_terms') }}

),

period_values as (

    select * from {{ ref('int_period_values_by_document') }}
    {{ for_changed_companies() }}

),

anchor_relations as (

    select * from {{ ref('int_check_anchors') }}
    {{ for_changed_companies() }}

),

identity_anchors as (

    select * from {{ ref('int_identity_anchors') }}
    {{ for_changed_companies() }}

),

-- Where a term can be evaluated: at the anchor, or a year earlier.
evaluation_points as (

    select 'anchor' as evaluated_at
    union all
    select 'prior_year' as evaluated_at

),

-- For a ratio_change, each term is evaluated this year and a year earlier.
term_evaluations as (

    select
        terms.*,
        evaluation_points.evaluated_at,
        row_number() over (
            partition by terms.identity_id, evaluation_points.evaluated_at
            -- A sum's terms, then a ratio's numerator before its denominator ('sum' > 'numerator' > 'denominator').
            order by terms.part desc, terms.line_item_id asc, terms.basis asc, terms.period_relation asc
        ) as term_number
    from terms
    inner join identities
        on terms.identity_id = identities.identity_id
    inner join evaluation_points
        on evaluation_points.evaluated_at = 'anchor' or identities.kind = 'ratio_change'

),

term_values as (

    select
        term_evaluations.identity_id,
        anchors.as_of_document_id,
        anchors.company_id,
        anchors.period_code,
        anchors.scenario,
        term_evaluations.evaluated_at,
        term_evaluations.part,
        term_evaluations.coefficient,
        term_evaluations.is_constant,
        term_evaluations.term_number,
        -- A constant term (no line item) is its coefficient, known exactly.
        case when term_evaluations.is_constant then 1 else period_values.value end as value,
        case when term_evaluations.is_constant then 0 else period_values.uncertainty_below end as uncertainty_below,
        case when term_evaluations.is_constant then 0 else period_values.uncertainty_above end as uncertainty_above,
        period_values.figure_ids
    from term_evaluations
    inner join identity_anchors as anchors
        on term_evaluations.identity_id = anchors.identity_id
    left join anchor_relations as evaluation_point
        on
            anchors.as_of_document_id = evaluation_point.as_of_document_id
            and anchors.company_id = evaluation_point.company_id
            and anchors.period_code = evaluation_point.period_code
            and anchors.scenario = evaluation_point.scenario
            and evaluation_point.period_relation
            = case term_evaluations.evaluated_at when 'anchor' then 'same' else 'prior_year' end
    left join anchor_relations as term_point
        on
            evaluation_point.as_of_document_id = term_point.as_of_document_id
            and evaluation_point.company_id = term_point.company_id
            and evaluation_point.resolved_period_code = term_point.period_code
            -- A year-earlier evaluation compares with actuals, as YoY figures do.
            and term_point.scenario
            = case term_evaluations.evaluated_at when 'prior_year' then 'actual' else evaluation_point.scenario end
            and term_evaluations.period_relation = term_point.period_relation
    left join period_values
        on
            term_point.as_of_document_id = period_values.as_of_document_id
            and term_point.company_id = period_values.company_id
            and term_point.resolved_period_code = period_values.period_code
            -- A term a year earlier is an actual, for a target too (as YoY figures compare).
            and period_values.scenario
            = case term_evaluations.period_relation when 'prior_year' then 'actual' else term_point.scenario end
            and term_evaluations.line_item_id = period_values.line_item_id
            and term_evaluations.basis = period_values.basis

),

-- Sums of the terms, each part kept apart (a ratio's numerator and denominator).
evaluated as (

    select
        identity_id,
        as_of_document_id,
        company_id,
        period_code,
        scenario,
        evaluated_at,
        sum(case when part in ('sum', 'numerator') then coefficient * value end) as numerator,
        -- A term's interval, scaled by its coefficient (a negative one swaps its ends).
        {%- for part_name, parts in [('numerator', "('sum', 'numerator')"), ('denominator', "('denominator')")] %}
        {%- if part_name == 'denominator' %}
        sum(case when part = 'denominator' then coefficient * value end) as denominator,
        {%- endif %}
        {%- for side, flipped in [('below', 'above'), ('above', 'below')] %}
        sum(
            case
                when part in {{ parts }} and coefficient >= 0 then coefficient * uncertainty_{{ side }}
                when part in {{ parts }} then -coefficient * uncertainty_{{ flipped }}
            end
        ) as {{ part_name }}_uncertainty_{{ side }},
        {%- endfor %}
        {%- endfor %}
        -- The figures of every term, term by term: one max() per term slot, not a list() aggregate, which
        -- DuckDB cannot spill to disk (a 10,000-company build ran out of memory at 3 GB).
        case
            when count(figure_ids) > 0
                then flatten({{ by_term_slot('figure_ids', 'term_number') }})
        end as figure_ids
    from term_values
    group by all
    -- Evaluable only where every term is known.
    having count(*) = count(value)

),

evaluated_value as (

    select
        evaluated.*,
        case
            when identities.kind = 'sum' then evaluated.numerator
            else {{ safe_ratio('evaluated.numerator', 'evaluated.denominator') }}
        end as derived_value,
        -- A ratio pushes its terms' intervals through the division (first order; docs/decisions.md D7, D26).
        case
            when identities.kind = 'sum' then evaluated.numerator_uncertainty_below
            else {{ quotient_uncertainty('below', *quotient_inputs) }}
        end as derived_uncertainty_below,
        case
            when identities.kind = 'sum' then evaluated.numerator_uncertainty_above
            else {{ quotient_uncertainty('above', *quotient_inputs) }}
        end as derived_uncertainty_above
    from evaluated
    inner join identities
        on evaluated.identity_id = identities.identity_id

),

-- A ratio_change is this year's ratio less last year's; a growth, its ratio less one.
derived as (

    select
        anchor.identity_id,
        anchor.as_of_document_id,
        anchor.company_id,
        anchor.period_code,
        anchor.scenario,
        -- A growth is its ratio less one (its terms say which periods: this year over a year earlier).
        anchor.derived_value - coalesce(prior_year.derived_value, 0)
        - case when identities.kind = 'growth' then 1 else 0 end as derived_value,
        -- This year's ratio less last year's: last year's interval enters flipped.
        anchor.derived_uncertainty_below + coalesce(prior_year.derived_uncertainty_above, 0)
            as derived_uncertainty_below,
        anchor.derived_uncertainty_above + coalesce(prior_year.derived_uncertainty_below, 0)
            as derived_uncertainty_above,
        {{ dbt.array_concat(
            'coalesce(anchor.figure_ids, ' ~ dbt.array_construct([], 'string') ~ ')',
            'coalesce(prior_year.figure_ids, ' ~ dbt.array_construct([], 'string') ~ ')'
        ) }} as figure_ids
    from evaluated_value as anchor
    inner join identities
        on anchor.identity_id = identities.identity_id
    left join evaluated_value as prior_year
        on
            anchor.identity_id = prior_year.identity_id
            and anchor.as_of_document_id = prior_year.as_of_document_id
            and anchor.company_id = prior_year.company_id
            and anchor.period_code = prior_year.period_code
            and anchor.scenario = prior_year.scenario
            and prior_year.evaluated_at = 'prior_year'
    where
        anchor.evaluated_at = 'anchor'
        and anchor.derived_value is not null
        and (identities.kind != 'ratio_change' or prior_year.derived_value is not null)

),

-- The result was found with the anchor (identity_anchors): no second lookup of it.
checks as (

    select
        derived.identity_id,
        derived.as_of_document_id,
        derived.company_id,
        result.result_period_code as period_code,
        derived.scenario,
        identities.result_line_item_id as line_item_id,
        identities.result_basis as basis,
        result.result_source as reported_source,
        result.result_figure_ids as reported_figure_ids,
        result.result_value as reported_value,
        result.result_uncertainty_below as reported_uncertainty_below,
        result.result_uncertainty_above as reported_uncertainty_above,
        derived.derived_value,
        derived.derived_uncertainty_below,
        derived.derived_uncertainty_above,
        derived.figure_ids as derived_from_figure_ids
    from derived
    inner join identities
        on derived.identity_id = identities.identity_id
    inner join identity_anchors as result
        on
            derived.identity_id = result.identity_id
            and derived.as_of_document_id = result.as_of_document_id
            and derived.company_id = result.company_id
            and derived.period_code = result.period_code
            and derived.scenario = result.scenario

)

select * from checks
