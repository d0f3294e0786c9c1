-- One row per check instance of this build: the outcome of every accounting-identity check, with the
-- figures involved, so a BI tool can show it next to the numbers. A residual beyond the tolerance is
-- `fail` unless the check is a documented exception with exactly the documented residual; a documented
-- exception that reconciles again, or whose check no longer exists, is `stale_exception` and fails too.
-- tests/assert_identity_checks_hold.sql and the Great Expectations suites (kessan.validate) enforce them.
with

checks as (

    select * from {{ ref('rpt_reported_vs_derived') }}
    {{ for_changed_companies() }}

),

exceptions as (

    select * from {{ ref('stg_reconciliation_exceptions') }}
    {{ for_changed_companies() }}

),

line_items as (

    select * from {{ ref('dim_line_items') }}

),

statements as (

    select * from {{ ref('stg_statements') }}

),

outcomes as (

    select
        coalesce(checks.check_id, exceptions.check_id) as check_id,
        checks.identity_id,
        checks.document_id,
        checks.published_on,
        checks.family,
        case
            when checks.scenario in ('target', 'estimate') then 'plans'
            when checks.check_id is null then 'reported_vs_derived'
            else statements.expectation_suite
        end as expectation_suite,
        -- A stale exception's company is the one its check id names.
        coalesce(checks.company_id, exceptions.company_id) as company_id,
        checks.fiscal_period_id,
        checks.period_code,
        checks.scenario,
        checks.line_item_id,
        checks.basis,
        checks.reported_figure_ids,
        checks.derived_from_figure_ids,
        checks.reported_value,
        checks.derived_value,
        checks.residual,
        checks.tolerance,
        case
            when checks.check_id is null then 'stale_exception'
            when checks.is_within_tolerance and exceptions.check_id is null then 'pass'
            when checks.is_within_tolerance then 'stale_exception'
            -- An exception covers the residual it was documented with, exactly: any change to a figure
            -- it involves changes the residual and fails the check.
            when checks.residual = exceptions.documented_residual then 'documented_exception'
            else 'fail'
        end as status,
        exceptions.documented_residual,
        exceptions.exception_reason
    from checks
    full outer join exceptions
        on checks.check_id = exceptions.check_id
    left join line_items
        on checks.line_item_id = line_items.line_item_id
    left join statements
        on line_items.statement = statements.statement

),

final as (

    select
        '{{ invocation_id }}' as build_id,
        -- dbt's run_started_at is in UTC and prints as 'YYYY-MM-DD HH:MM:SS[.ffffff]+00:00': its first 19
        -- characters are the time to the second (a string slice, not `.strftime()`, which sqlfluff cannot
        -- template; and no cast through timestamptz, which would shift it to the session's time zone).
        cast(left('{{ run_started_at }}', 19) as timestamp) as built_at,
        *,
        -- The one definition of a failing check, which every gate reads (dbt's assert_identity_checks_hold, the
        -- Great Expectations suites, the Spark build, the bench, the report): anything but a pass or a
        -- documented exception.
        coalesce(status not in ('pass', 'documented_exception'), true) as is_failing
    from outcomes

)

select * from final
