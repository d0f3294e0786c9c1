-- Every printed figure the warehouse can also compute, with both values, the residual and the
-- tolerance its printed precision implies, checked in its document (the one that prints it, with the values
-- known when it was published).
with

restated_and_summed as (

    select * from {{ ref('int_checks_printed_twice') }}
    {{ for_changed_companies() }}

),

printed_ratios as (

    select * from {{ ref('int_checks_printed_ratios') }}
    {{ for_changed_companies() }}

),

defined_identities as (

    select * from {{ ref('int_checks_defined_identities') }}
    {{ for_changed_companies() }}

),

identities as (

    select * from {{ ref('stg_identities') }}

),

figures as (

    select * from {{ ref('int_reported_figures') }}
    {{ for_changed_companies() }}

),

documents as (

    select * from {{ ref('dim_documents') }}
    {{ for_changed_companies() }}

),

-- Where each period code sits in the calendar (a date: the fiscal quarter containing it).
period_lookup as (

    select distinct
        company_id,
        period_code,
        fiscal_period_id
    from figures

),

checks as (

    select * from restated_and_summed
    union all
    select * from printed_ratios
    union all
    select * from defined_identities

),

measured as (

    select
        checks.identity_id || '|' || {{ array_join('checks.reported_figure_ids', '+') }} as check_id,
        checks.identity_id,
        checks.as_of_document_id as document_id,
        documents.published_on,
        identities.family,
        identities.identity_description,
        checks.company_id,
        period_lookup.fiscal_period_id,
        checks.period_code,
        checks.scenario,
        checks.line_item_id,
        checks.basis,
        checks.reported_source,
        {{ figure_id_list('checks.reported_figure_ids') }} as reported_figure_ids,
        {{ figure_id_list('checks.derived_from_figure_ids') }} as derived_from_figure_ids,
        cast(checks.reported_value as decimal(24, 6)) as reported_value,
        cast(checks.derived_value as decimal(24, 6)) as derived_value,
        cast(checks.reported_value - checks.derived_value as decimal(24, 6)) as residual,
        -- The two intervals meet (XBRL Calculations 1.1) when reported - derived lies between -(reported's
        -- upper reach + derived's lower reach) and reported's lower reach + derived's upper reach: the tolerance
        -- is the reach on the residual's side. Rounded figures reach half a unit of every printed digit
        -- either way, so it is the same on both sides (docs/decisions.md D7, D26).
        cast(
            case
                when checks.reported_value >= checks.derived_value
                    then checks.reported_uncertainty_below + checks.derived_uncertainty_above
                else checks.reported_uncertainty_above + checks.derived_uncertainty_below
            end as decimal(24, 6)
        ) as tolerance
    from checks
    inner join identities
        on checks.identity_id = identities.identity_id
    left join documents
        on checks.as_of_document_id = documents.document_id
    left join period_lookup
        on
            checks.company_id = period_lookup.company_id
            and checks.period_code = period_lookup.period_code

),

final as (

    select
        *,
        abs(residual) <= tolerance as is_within_tolerance
    from measured

)

select * from final
