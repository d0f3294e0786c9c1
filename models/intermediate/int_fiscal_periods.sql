-- One row per company and fiscal period (year, half, quarter), derived from the company's fiscal
-- year end: the calendar is data about the company, never code.
with

companies as (

    select * from {{ ref('stg_companies') }}

),

figures as (

    select * from {{ ref('stg_reported_figures') }}

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

fiscal_years as (

    select
        companies.company_id,
        cast(fiscal_year_numbers.fy as integer) as fiscal_year,
        -- FY N ends in month M of year N (named by its end) or N + 1 (named by its start, unless M = 12).
        last_day(
            make_date(
                cast(
                    fiscal_year_numbers.fy
                    + case
                        when companies.fiscal_year_named_by = 'start' and companies.fiscal_year_end_month < 12
                            then 1
                        else 0
                    end
                    as bigint
                ),
                companies.fiscal_year_end_month,
                1
            )
        ) as fiscal_year_end_date
    from companies
    inner join fiscal_year_numbers
        on companies.company_id = fiscal_year_numbers.company_id

),

fiscal_years_dated as (

    select
        *,
        {{ add_months(add_days('fiscal_year_end_date', 1), -12) }} as fiscal_year_start_date
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

periods as (

    select
        fiscal_years_dated.company_id,
        fiscal_years_dated.fiscal_year,
        'fiscal_year' as period_grain,
        cast(null as integer) as period_number,
        12 as months,
        fiscal_years_dated.fiscal_year_start_date as start_date,
        fiscal_years_dated.fiscal_year_start_date
    from fiscal_years_dated
    union all
    select
        fiscal_years_dated.company_id,
        fiscal_years_dated.fiscal_year,
        'fiscal_half' as period_grain,
        half_numbers.n as period_number,
        6 as months,
        {{ add_months('fiscal_years_dated.fiscal_year_start_date', '6 * (half_numbers.n - 1)') }} as start_date,
        fiscal_years_dated.fiscal_year_start_date
    from fiscal_years_dated
    cross join half_numbers
    union all
    select
        fiscal_years_dated.company_id,
        fiscal_years_dated.fiscal_year,
        'fiscal_quarter' as period_grain,
        quarter_numbers.n as period_number,
        3 as months,
        {{ add_months('fiscal_years_dated.fiscal_year_start_date', '3 * (quarter_numbers.n - 1)') }} as start_date,
        fiscal_years_dated.fiscal_year_start_date
    from fiscal_years_dated
    cross join quarter_numbers

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
        case when period_grain = 'fiscal_quarter' then period_number end as fiscal_quarter
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
        ) as prior_period_id
    from coded

)

select * from keyed
