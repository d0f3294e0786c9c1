-- A quarterly series (company, line item, scenario, basis, fiscal year) is missing a quarter when a quarter
-- before its last printed one is not printed, or, where the year is complete, a quarter after it. A year is
-- complete once its total is printed in the series or the series has figures of a later year; until then it
-- is a year in progress (a 1Q or 3Q document prints Q1..Qn, no total), whose later quarters are still to come.
-- One quarter alone, or two consecutive ones, is what the text mentions (the latest quarter, a QoQ
-- comparison), not a series. One row per incomplete series: the missing quarters and the CSV lines of the
-- printed ones.
with

all_figures as (

    select * from {{ ref('stg_reported_figures') }}

),

figures as (

    select * from all_figures
    where period_grain = 'fiscal_quarter'

),

companies as (

    select * from {{ ref('stg_companies') }}

),

-- What makes a series' year complete: its total printed, or figures of a later year.
year_totals as (

    select distinct
        company_id,
        line_item_id,
        scenario,
        basis,
        fiscal_year
    from all_figures
    where period_grain = 'fiscal_year'

),

last_years as (

    select
        company_id,
        line_item_id,
        scenario,
        basis,
        max(fiscal_year) as last_fiscal_year
    from all_figures
    group by company_id, line_item_id, scenario, basis

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
        max(year_totals.fiscal_year) is not null or max(last_years.last_fiscal_year) > short_series.fiscal_year
            as is_year_complete,
        {{ string_agg_ordered("'Q' || figures.period_number", ', ', "'Q' || figures.period_number", distinct=true) }}
            as printed,
        {{ string_agg_ordered('figures.slide_id', ', ', 'figures.slide_id', distinct=true) }} as slide_ids,
        {{ string_agg_ordered('cast(figures.seed_line as string)', ', ', 'figures.seed_line') }} as seed_lines
    from short_series
    inner join figures
        on
            short_series.company_id is not distinct from figures.company_id
            and short_series.line_item_id is not distinct from figures.line_item_id
            and short_series.scenario is not distinct from figures.scenario
            and short_series.basis is not distinct from figures.basis
            and short_series.fiscal_year is not distinct from figures.fiscal_year
    left join year_totals
        on
            short_series.company_id = year_totals.company_id
            and short_series.line_item_id = year_totals.line_item_id
            and short_series.scenario = year_totals.scenario
            and short_series.basis = year_totals.basis
            and short_series.fiscal_year = year_totals.fiscal_year
    left join last_years
        on
            short_series.company_id = last_years.company_id
            and short_series.line_item_id = last_years.line_item_id
            and short_series.scenario = last_years.scenario
            and short_series.basis = last_years.basis
    group by
        short_series.company_id,
        short_series.line_item_id,
        short_series.scenario,
        short_series.basis,
        short_series.fiscal_year,
        short_series.quarters_printed,
        short_series.first_quarter,
        short_series.last_quarter

),

-- How many quarters each year has: four, or fewer in a transition year after a change of year end (the months
-- from the previous year's end to its own, macros/fiscal_calendar.sql).
year_quarters as (

    select
        year_ends.company_id,
        year_ends.fiscal_year,
        cast(floor((
            (year(year_ends.year_end) * 12 + month(year_ends.year_end))
            - (year(year_ends.previous_year_end) * 12 + month(year_ends.previous_year_end))
        ) / 3) as integer) as quarters_in_year
    from (
        select distinct
            companies.company_id,
            short_series.fiscal_year,
            {{ fiscal_year_end_date(
                'short_series.fiscal_year',
                calendar_in_force('fiscal_year_end_month', 'short_series.fiscal_year'),
                calendar_in_force('fiscal_year_named_by', 'short_series.fiscal_year')
            ) }} as year_end,
            {{ fiscal_year_end_date(
                'short_series.fiscal_year - 1',
                calendar_in_force('fiscal_year_end_month', 'short_series.fiscal_year - 1'),
                calendar_in_force('fiscal_year_named_by', 'short_series.fiscal_year - 1')
            ) }} as previous_year_end
        from short_series
        inner join companies
            on short_series.company_id = companies.company_id
    ) as year_ends

),

quarter_numbers as (

    select 1 as quarter_number
    union all
    select 2 as quarter_number
    union all
    select 3 as quarter_number
    union all
    select 4 as quarter_number

),

-- A quarter is missing when it is not printed, the quarters printed are a series (three, or two with a
-- gap), and it comes before the last printed one, or after it in a complete year.
missing as (

    select
        series.company_id,
        series.line_item_id,
        series.scenario,
        series.basis,
        series.fiscal_year,
        count(*) as missing_count,
        {{ string_agg_ordered(
            "'FY' || series.fiscal_year || '-Q' || quarter_numbers.quarter_number", ', ',
            'quarter_numbers.quarter_number'
        ) }} as missing_periods
    from series
    cross join quarter_numbers
    -- (A company that does not exist fails its own test; its quarters are counted as four here.)
    left join year_quarters
        on
            series.company_id = year_quarters.company_id
            and series.fiscal_year = year_quarters.fiscal_year
    where
        quarter_numbers.quarter_number <= coalesce(year_quarters.quarters_in_year, 4)
        and (series.quarters_printed >= 3 or series.last_quarter - series.first_quarter >= 2)
        and (
            quarter_numbers.quarter_number < series.last_quarter
            or series.is_year_complete
        )
        and not exists (
            select 1 from figures
            where
                series.company_id is not distinct from figures.company_id
                and series.line_item_id is not distinct from figures.line_item_id
                and series.scenario is not distinct from figures.scenario
                and series.basis is not distinct from figures.basis
                and series.fiscal_year is not distinct from figures.fiscal_year
                and figures.period_number = quarter_numbers.quarter_number
        )
    group by all

),

described as (

    select
        series.*,
        missing.missing_count,
        missing.missing_periods,
        series.company_id || ' ' || series.line_item_id || ' FY' || series.fiscal_year
        || ' (' || series.scenario || ', ' || series.basis || ')' as figure
    from series
    inner join missing
        on
            series.company_id is not distinct from missing.company_id
            and series.line_item_id is not distinct from missing.line_item_id
            and series.scenario is not distinct from missing.scenario
            and series.basis is not distinct from missing.basis
            and series.fiscal_year is not distinct from missing.fiscal_year

),

failing as (

    select
        'reported_figures' as seed_name,
        seed_lines,
        figure,
        'reported_figures.csv lines ' || seed_lines || ': ' || figure || ', slide ' || slide_ids || ': quarter'
        || case when missing_count > 1 then 's ' else ' ' end || missing_periods
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
