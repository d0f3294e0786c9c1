-- One row per company and fiscal period (year, half, quarter), derived from the company's fiscal
-- year end: the calendar is data about the company, never code.
with

companies as (

    select * from {{ ref('stg_companies') }}
    {{ for_changed_companies() }}

),

figures as (

    select * from {{ ref('stg_reported_figures') }}
    {{ for_changed_companies() }}

),

-- Every fiscal year a figure can refer to: durations name theirs; a date belongs to its calendar
-- year's fiscal year or the one before, so both are generated.
years_referenced as (

    select
        company_id,
        fiscal_year
    from figures
    where fiscal_year is not null
    union all
    select
        company_id,
        year(as_of_date) - 1 as fiscal_year
    from figures
    where as_of_date is not null
    union all
    select
        company_id,
        year(as_of_date) as fiscal_year
    from figures
    where as_of_date is not null

),

year_range as (

    select
        company_id,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year
    from years_referenced
    group by company_id

),

-- One row per year in the company's range.
fiscal_year_numbers as (

    select
        company_id,
        {{ integer_series('first_fiscal_year', 'last_fiscal_year') }} as fy
    from year_range

),

-- A year ends as the calendar in force for it says, and starts the day after the year before it ends: after a
-- change of year end, the year between the two calendars (the transition) is shorter or longer than twelve months.
fiscal_years as (

    select
        companies.company_id,
        cast(fiscal_year_numbers.fy as integer) as fiscal_year,
        {{ fiscal_year_end_date(
            'fiscal_year_numbers.fy',
            calendar_in_force('fiscal_year_end_month', 'fiscal_year_numbers.fy'),
            calendar_in_force('fiscal_year_named_by', 'fiscal_year_numbers.fy')
        ) }} as fiscal_year_end_date,
        {{ add_days(fiscal_year_end_date(
            'fiscal_year_numbers.fy - 1',
            calendar_in_force('fiscal_year_end_month', 'fiscal_year_numbers.fy - 1'),
            calendar_in_force('fiscal_year_named_by', 'fiscal_year_numbers.fy - 1')
        ), 1) }} as fiscal_year_start_date
    from companies
    inner join fiscal_year_numbers
        on companies.company_id = fiscal_year_numbers.company_id

),

fiscal_years_measured as (

    select
        *,
        -- Whole months: a year starts on the first of a month and ends on the last day of one.
        (year(fiscal_year_end_date) * 12 + month(fiscal_year_end_date))
        - (year(fiscal_year_start_date) * 12 + month(fiscal_year_start_date)) + 1 as fiscal_year_months
    from fiscal_years

),

half_numbers as (

    select 1 as n
    union all
    select 2 as n

),

quarter_numbers as (

    select * from half_numbers
    union all
    select 3 as n
    union all
    select 4 as n

),

-- The year; its first half (six months) and second (the rest); its quarters of three months (a transition year
-- of nine months has three, and no fourth).
periods as (

    select
        company_id,
        fiscal_year,
        'fiscal_year' as period_grain,
        cast(null as integer) as period_number,
        fiscal_year_months as months,
        fiscal_year_start_date as start_date,
        fiscal_year_months
    from fiscal_years_measured
    union all
    select
        fiscal_years_measured.company_id,
        fiscal_years_measured.fiscal_year,
        'fiscal_half' as period_grain,
        half_numbers.n as period_number,
        case
            when half_numbers.n = 1 then least(6, fiscal_years_measured.fiscal_year_months)
            else fiscal_years_measured.fiscal_year_months - 6
        end as months,
        {{ add_months('fiscal_years_measured.fiscal_year_start_date', '6 * (half_numbers.n - 1)') }} as start_date,
        fiscal_years_measured.fiscal_year_months
    from fiscal_years_measured
    cross join half_numbers
    where half_numbers.n = 1 or fiscal_years_measured.fiscal_year_months > 6
    union all
    select
        fiscal_years_measured.company_id,
        fiscal_years_measured.fiscal_year,
        'fiscal_quarter' as period_grain,
        quarter_numbers.n as period_number,
        3 as months,
        {{ add_months('fiscal_years_measured.fiscal_year_start_date', '3 * (quarter_numbers.n - 1)') }} as start_date,
        fiscal_years_measured.fiscal_year_months
    from fiscal_years_measured
    cross join quarter_numbers
    where 3 * quarter_numbers.n <= fiscal_years_measured.fiscal_year_months

),

coded as (

    select
        company_id,
        period_grain,
        fiscal_year,
        period_number,
        start_date,
        {{ add_days(add_months('start_date', 'months'), -1) }} as end_date,
        'FY' || fiscal_year
        || case period_grain
            when 'fiscal_half' then '-H' || period_number
            when 'fiscal_quarter' then '-Q' || period_number
            else ''
        end as period_code,
        case period_grain
            when 'fiscal_half' then period_number || 'H'
            when 'fiscal_quarter' then period_number || 'Q'
            else 'FY'
        end || right(cast(fiscal_year as string), 2) as period_label,
        case
            when period_grain = 'fiscal_quarter' then cast(ceil(period_number / 2) as integer)
            when period_grain = 'fiscal_half' then period_number
        end as fiscal_half,
        case when period_grain = 'fiscal_quarter' then period_number end as fiscal_quarter,
        months
    from periods

),

keyed as (

    select
        company_id || ':' || period_code as fiscal_period_id,
        company_id,
        period_code,
        period_label,
        period_grain,
        fiscal_year,
        fiscal_half,
        fiscal_quarter,
        start_date,
        end_date,
        company_id || ':FY' || fiscal_year as fiscal_year_period_id,
        case
            when period_grain = 'fiscal_quarter'
                then company_id || ':FY' || fiscal_year || '-H' || fiscal_half
        end as fiscal_half_period_id,
        lag(company_id || ':' || period_code) over (
            partition by company_id, period_grain, period_number order by fiscal_year
        ) as prior_year_period_id,
        lag(company_id || ':' || period_code) over (
            partition by company_id, period_grain order by start_date
        ) as prior_period_id,
        cast(months as integer) as months,
        -- Twelve months a year, six a half: otherwise a transition after a change of year end.
        months = case period_grain when 'fiscal_year' then 12 when 'fiscal_half' then 6 else 3 end
            as is_usual_length,
        -- The quarters it holds: a year's or half's quarters sum to it (int_period_value_candidates).
        cast(floor(months / 3) as integer) as quarters_in_period
    from coded

)

select * from keyed
