-- A quarterly series (company, line item, scenario, basis, fiscal year) printed for three of its four
-- quarters, or with a gap between two printed quarters, is missing a quarter. One quarter alone, or two
-- consecutive ones, is what the text mentions (the latest quarter, a QoQ comparison), not a series.
-- One row per incomplete series: the missing quarters and the CSV lines of the printed ones.
with

figures as (

    select * from {{ ref('stg_reported_figures') }}
    where period_grain = 'fiscal_quarter'

),

-- The series printed for fewer than four quarters, found with cheap aggregates first: the lists and
-- lines are built for those series only (building them for every series dominated the test on millions
-- of figures).
short_series as (

    select
        company_id,
        line_item_id,
        scenario,
        basis,
        fiscal_year,
        count(distinct period_number) as quarters_printed,
        min(period_number) as first_quarter,
        max(period_number) as last_quarter
    from figures
    group by all
    having count(distinct period_number) < 4

),

series as (

    select
        short_series.company_id,
        short_series.line_item_id,
        short_series.scenario,
        short_series.basis,
        short_series.fiscal_year,
        short_series.quarters_printed,
        short_series.first_quarter,
        short_series.last_quarter,
        list(distinct figures.period_number order by figures.period_number) as printed_quarters,
        string_agg(distinct figures.slide_id, ', ' order by figures.slide_id) as slide_ids,
        string_agg(cast(figures.seed_line as varchar), ', ' order by figures.seed_line) as seed_lines
    from short_series
    inner join figures
        on
            short_series.company_id is not distinct from figures.company_id
            and short_series.line_item_id is not distinct from figures.line_item_id
            and short_series.scenario is not distinct from figures.scenario
            and short_series.basis is not distinct from figures.basis
            and short_series.fiscal_year is not distinct from figures.fiscal_year
    group by all

),

incomplete as (

    select
        *,
        list_filter(
            [1, 2, 3, 4],
            lambda quarter: not list_contains(printed_quarters, quarter)
            and (quarters_printed = 3 or quarter between first_quarter and last_quarter)
        ) as missing_quarters
    from series

),

described as (

    select
        *,
        company_id || ' ' || line_item_id || ' FY' || fiscal_year || ' (' || scenario || ', ' || basis || ')' as figure,
        array_to_string(
            list_transform(missing_quarters, lambda quarter: 'FY' || fiscal_year || '-Q' || quarter), ', '
        ) as missing_periods,
        array_to_string(list_transform(printed_quarters, lambda quarter: 'Q' || quarter), ', ') as printed
    from incomplete
    where len(missing_quarters) > 0

),

failing as (

    select
        'reported_figures' as seed_name,
        seed_lines,
        figure,
        'reported_figures.csv lines ' || seed_lines || ': ' || figure || ', slide ' || slide_ids || ': quarter'
        || case when len(missing_quarters) > 1 then 's ' else ' ' end || missing_periods
        || ' missing; printed: ' || printed as message,
        company_id,
        line_item_id,
        scenario,
        basis,
        fiscal_year,
        slide_ids,
        missing_periods,
        printed as printed_quarters
    from described

)

select * from failing
