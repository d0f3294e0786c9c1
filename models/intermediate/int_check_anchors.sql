-- Every place a check can be evaluated: each document view, company, period and scenario the warehouse holds a
-- value for, and the period each period relation resolves to there (`same`, `prior_year`, `opening`, `closing`).
-- A table of its own, read by int_identity_anchors and int_checks_defined_identities: in one query with them
-- it ran out of memory under a 3 GB cap at 10,000 companies (docs/decisions.md D35, benchmarks round 5).
with

period_values as (

    select * from {{ ref('int_period_values_by_document') }}
    {{ for_changed_companies() }}

),

fiscal_periods as (

    select * from {{ ref('int_fiscal_periods') }}
    {{ for_changed_companies() }}

),

-- Every company, period and scenario the warehouse holds a value for is a place to evaluate.
anchors as (

    select distinct
        period_values.as_of_document_id,
        period_values.company_id,
        period_values.period_code,
        period_values.scenario,
        fiscal_periods.start_date,
        fiscal_periods.end_date,
        coalesce(
            prior_year.period_code,
            cast({{ add_months(try_to_date('period_values.period_code'), -12) }} as string)
        ) as prior_year_period_code
    from period_values
    left join fiscal_periods
        on
            period_values.company_id = fiscal_periods.company_id
            and period_values.period_code = fiscal_periods.period_code
    left join fiscal_periods as prior_year
        on fiscal_periods.prior_year_period_id = prior_year.fiscal_period_id

),

-- `opening` and `closing` are the dates a fiscal period starts from and ends at.
anchor_relations as (

    select
        as_of_document_id,
        company_id,
        period_code,
        scenario,
        'same' as period_relation,
        period_code as resolved_period_code
    from anchors
    union all
    select
        as_of_document_id,
        company_id,
        period_code,
        scenario,
        'prior_year' as period_relation,
        prior_year_period_code as resolved_period_code
    from anchors
    union all
    select
        as_of_document_id,
        company_id,
        period_code,
        scenario,
        'opening' as period_relation,
        cast({{ add_days('start_date', -1) }} as string) as resolved_period_code
    from anchors
    where start_date is not null
    union all
    select
        as_of_document_id,
        company_id,
        period_code,
        scenario,
        'closing' as period_relation,
        cast(end_date as string) as resolved_period_code
    from anchors
    where end_date is not null

)

select * from anchor_relations
