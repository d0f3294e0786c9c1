-- One row per printed figure, placed in the fiscal calendar and described by its line item and unit.
with

figures as (

    select * from {{ ref('stg_reported_figures') }}

),

fiscal_periods as (

    select * from {{ ref('int_fiscal_periods') }}

),

line_items as (

    select * from {{ ref('stg_line_items') }}

),

units as (

    select * from {{ ref('stg_units') }}

),

-- The fiscal quarter containing each date a figure is printed at: a range join over the few distinct
-- dates of each company, not over every figure (a left join of every figure to its company's quarters
-- compared each of millions of figures with every quarter of its company).
instant_quarters as (

    select
        instant_dates.company_id,
        instant_dates.as_of_date,
        quarters.fiscal_period_id
    from (
        select distinct
            company_id,
            as_of_date
        from figures
        where period_grain = 'instant'
    ) as instant_dates
    inner join fiscal_periods as quarters
        on
            instant_dates.company_id = quarters.company_id
            and quarters.period_grain = 'fiscal_quarter'
            and instant_dates.as_of_date >= quarters.start_date
            and instant_dates.as_of_date <= quarters.end_date

),

-- A duration names its period; a figure at a date belongs to the fiscal quarter containing the date.
-- (Two joins, each an equality: an OR of both would be a nested loop.)
placed as (

    select
        figures.*,
        coalesce(duration_period.fiscal_period_id, instant_quarter.fiscal_period_id) as fiscal_period_id,
        -- The same period a year earlier: YoY figures compare against it.
        case
            when figures.period_grain = 'instant'
                then strftime(figures.as_of_date - interval 1 year, '%Y-%m-%d')
            else prior_year.period_code
        end as prior_year_period_code
    from figures
    left join fiscal_periods as duration_period
        on
            figures.company_id = duration_period.company_id
            and figures.period_code = duration_period.period_code
    -- (`period_grain = 'instant'` inside the key, not as a condition of its own: a condition on the left
    -- side alone turns DuckDB's left hash join into a blockwise nested loop.)
    left join instant_quarters as instant_quarter
        on
            figures.company_id = instant_quarter.company_id
            and case when figures.period_grain = 'instant' then figures.as_of_date end = instant_quarter.as_of_date
    left join fiscal_periods as prior_year
        on duration_period.prior_year_period_id = prior_year.fiscal_period_id

),

described as (

    select
        -- The figure's name in every message: company:period:line item:scenario:basis@slide.
        placed.company_id || ':' || placed.period_code || ':' || placed.line_item_id || ':'
        || placed.scenario || ':' || placed.basis || '@' || placed.slide_id as figure_id,
        placed.*,
        line_items.statement,
        line_items.period_kind,
        line_items.line_item_label,
        units.dimension,
        units.base_unit_id
    from placed
    left join line_items
        on placed.line_item_id = line_items.line_item_id
    left join units
        on placed.unit_id = units.unit_id

)

select * from described
