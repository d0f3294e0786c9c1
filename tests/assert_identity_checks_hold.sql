-- The gate of plain `dbt build`: one row per check instance of rpt_data_quality that fails the build, a
-- residual beyond its tolerance (`fail`) or a documented exception that no longer matches what it documents
-- (`stale_exception`), with the seed lines of the figures it checks and a message naming figure, identity,
-- values, residual and tolerance. The Great Expectations suites enforce the same statuses in `make build`
-- (kessan.validate); this test makes `dbt build` alone a gate too (docs/decisions.md D27).
with

checks as (

    select * from {{ ref('rpt_data_quality') }}

),

figures as (

    select * from {{ ref('fct_figures_as_reported') }}

),

failing_checks as (

    select * from checks
    where is_failing

),

-- The printed figures each failing check compares (reported, and derived from), with their seed lines: the
-- failing checks' figure ids one per row, joined on equality (a search of every check's list for every figure
-- took 5 minutes at 10,000 companies).
checked_figure_ids as (

    select
        check_id,
        {{ array_elements(figure_id_array(['reported_figure_ids', 'derived_from_figure_ids'])) }} as figure_id
    from failing_checks

),

checked_figures as (

    select distinct
        checked_figure_ids.check_id,
        figures.seed_line
    from checked_figure_ids
    inner join figures
        on checked_figure_ids.figure_id = figures.figure_id

),

seed_lines as (

    select
        check_id,
        {{ string_agg_ordered('cast(seed_line as string)', ', ', 'seed_line') }} as seed_lines
    from checked_figures
    group by check_id

),

final as (

    select
        'reported_figures' as seed_name,
        seed_lines.seed_lines,
        failing_checks.reported_figure_ids as figure_id,
        case
            when failing_checks.identity_id is null
                then 'reconciliation_exceptions.csv: documented exception ' || failing_checks.check_id
                    || ' checks nothing any more (documented residual '
                    || cast(failing_checks.documented_residual as string) || '): remove or correct it'
            else 'reported_figures.csv lines ' || coalesce(seed_lines.seed_lines, '?') || ': '
                || failing_checks.line_item_id || ' ' || failing_checks.period_code
                || ' (' || failing_checks.scenario || ', ' || failing_checks.basis || ') in '
                || failing_checks.document_id || ': identity ' || failing_checks.identity_id
                || ': reported ' || cast(failing_checks.reported_value as string)
                || ' vs derived ' || coalesce(cast(failing_checks.derived_value as string), 'null')
                || ' from [' || coalesce(failing_checks.derived_from_figure_ids, '') || ']; residual '
                || coalesce(cast(failing_checks.residual as string), 'null')
                || case
                    when failing_checks.status = 'fail'
                        then ' > tolerance ' || cast(failing_checks.tolerance as string)
                    else ' <= tolerance ' || cast(failing_checks.tolerance as string)
                        || ': the documented exception (residual '
                        || cast(failing_checks.documented_residual as string)
                        || ') reconciles now: remove it from seeds/reconciliation_exceptions.csv'
                end
        end as message,
        failing_checks.check_id,
        failing_checks.status,
        failing_checks.identity_id,
        failing_checks.company_id,
        failing_checks.document_id,
        failing_checks.line_item_id,
        failing_checks.period_code,
        failing_checks.scenario,
        failing_checks.basis,
        failing_checks.reported_value,
        failing_checks.derived_value,
        failing_checks.residual,
        failing_checks.tolerance
    from failing_checks
    left join seed_lines
        on failing_checks.check_id = seed_lines.check_id

)

select * from final
