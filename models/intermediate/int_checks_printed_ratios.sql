-- Checks of the templates that reproduce a printed ratio or change from the figures it is computed
-- from: `pct_of_revenue`, `yoy_pct` and `yoy_change`. A growth rate over a zero or negative base is
-- not computed (NULL), so it is not checked. Each check is its document's: the document prints the ratio,
-- and its inputs are the values known when the document was published (int_figure_values_by_document: a
-- 1Q18 YoY % against the 1Q17 base as that deck restates it). One row per check instance.
{#- The inputs of a ratio or growth rate: value, then its interval's reaches (macro quotient_uncertainty). #}
{%- set figure = ['figure_value', 'figure_uncertainty_below', 'figure_uncertainty_above'] %}
{%- set base = ['base_value', 'base_uncertainty_below', 'base_uncertainty_above'] %}

with

figure_values as (

    select * from {{ ref('int_figure_values_by_document') }}
    {{ for_changed_companies() }}

),

period_values as (

    select * from {{ ref('int_period_values_by_document') }}
    {{ for_changed_companies() }}

),

candidates as (

    select * from {{ ref('int_period_value_candidates') }}
    {{ for_changed_companies() }}

),

-- The base of a printed YoY change: the most precise value of the prior year known without that
-- very change (a prior year implied by the change would reproduce it: a tautology); one implied by the
-- printed YoY % alone only where nothing else is known, as in int_period_values_by_document.
change_bases_ranked as (

    select
        *,
        row_number() over (
            partition by as_of_document_id, company_id, period_code, line_item_id, scenario
            order by
                case when {{ restates_a_growth_rate('value_source') }} then 1 else 0 end asc,
                uncertainty_below + uncertainty_above asc,
                case value_source when 'printed' then 1 else 2 end asc
        ) as base_rank
    from candidates
    where basis = 'value' and value_source not in ('implied_by_change', 'implied_by_change_and_growth')

),

-- (A filter on the rank, not DuckDB's `qualify`, which Spark lacks.)
change_bases as (

    select
        as_of_document_id,
        company_id,
        period_code,
        line_item_id,
        scenario,
        basis,
        value,
        uncertainty_below,
        uncertainty_above,
        value_source,
        figure_ids
    from change_bases_ranked
    where base_rank = 1

),

printed as (

    select * from figure_values
    where basis in ('pct_of_revenue', 'yoy_pct', 'yoy_change') and is_exact and is_own

),

-- The base: total revenues of the same period for a '% of revenues'; for a YoY %, the actual value a year
-- earlier, known other than through a YoY %; for a YoY change, the change's base (above). One equality join
-- per kind of base, each reading only its own base rows (an OR of the kinds in one join compared every
-- printed ratio with every base of its company; one stacked table of bases, the period values twice over, was
-- most of this model's memory).
with_bases as (

    select
        printed.*,
        base.value as base_value,
        base.uncertainty_below as base_uncertainty_below,
        base.uncertainty_above as base_uncertainty_above,
        base.figure_ids as base_figure_ids
    from printed
    inner join period_values as base
        on
            printed.as_of_document_id = base.as_of_document_id
            and printed.company_id = base.company_id
            and printed.period_code = base.period_code
            and printed.scenario = base.scenario
            and base.line_item_id = 'revenue'
            and base.basis = 'value'
    where printed.basis = 'pct_of_revenue'
    union all
    select
        printed.*,
        base.value as base_value,
        base.uncertainty_below as base_uncertainty_below,
        base.uncertainty_above as base_uncertainty_above,
        base.figure_ids as base_figure_ids
    from printed
    inner join period_values as base
        on
            printed.as_of_document_id = base.as_of_document_id
            and printed.company_id = base.company_id
            and printed.prior_year_period_code = base.period_code
            and printed.line_item_id = base.line_item_id
            and base.scenario = 'actual'
            and base.basis = 'value'
            -- A base implied by a YoY % would reproduce it (a tautology).
            and not {{ restates_a_growth_rate('base.value_source') }}
    where printed.basis = 'yoy_pct'
    union all
    select
        printed.*,
        base.value as base_value,
        base.uncertainty_below as base_uncertainty_below,
        base.uncertainty_above as base_uncertainty_above,
        base.figure_ids as base_figure_ids
    from printed
    inner join change_bases as base
        on
            printed.as_of_document_id = base.as_of_document_id
            and printed.company_id = base.company_id
            and printed.prior_year_period_code = base.period_code
            and printed.line_item_id = base.line_item_id
            and base.scenario = 'actual'
    where printed.basis = 'yoy_change'

),

with_inputs as (

    select
        with_bases.*,
        figure.value as figure_value,
        figure.uncertainty_below as figure_uncertainty_below,
        figure.uncertainty_above as figure_uncertainty_above,
        figure.figure_ids
    from with_bases
    inner join period_values as figure
        on
            with_bases.as_of_document_id = figure.as_of_document_id
            and with_bases.company_id = figure.company_id
            and with_bases.period_code = figure.period_code
            and with_bases.line_item_id = figure.line_item_id
            and with_bases.scenario = figure.scenario
            and figure.basis = 'value'

),

derived as (

    select
        *,
        case basis
            when 'pct_of_revenue' then {{ safe_ratio('figure_value', 'base_value') }}
            when 'yoy_pct' then {{ growth_rate('figure_value', 'base_value') }}
            when 'yoy_change' then figure_value - base_value
        end as derived_value,
        -- The interval of the derived value: a difference adds the inputs' reaches (the base's flipped); a ratio
        -- or growth rate pushes them through the division (first order; docs/decisions.md D7, D26).
        case basis
            when 'yoy_change' then figure_uncertainty_below + base_uncertainty_above
            else {{ quotient_uncertainty('below', *(figure + base)) }}
        end as derived_uncertainty_below,
        case basis
            when 'yoy_change' then figure_uncertainty_above + base_uncertainty_below
            else {{ quotient_uncertainty('above', *(figure + base)) }}
        end as derived_uncertainty_above
    from with_inputs

),

checks as (

    select
        basis as identity_id,
        as_of_document_id,
        company_id,
        period_code,
        scenario,
        line_item_id,
        basis,
        'printed' as reported_source,
        {{ dbt.array_construct(['figure_id']) }} as reported_figure_ids,
        value as reported_value,
        uncertainty_below as reported_uncertainty_below,
        uncertainty_above as reported_uncertainty_above,
        derived_value,
        derived_uncertainty_below,
        derived_uncertainty_above,
        {{ dbt.array_concat('figure_ids', 'base_figure_ids') }} as derived_from_figure_ids
    from derived
    where derived_value is not null

)

select * from checks
