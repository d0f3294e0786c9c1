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

-- A duration names its period; a figure at a date belongs to the fiscal quarter containing the date.
-- (Two joins, each an equality or a range join: an OR of both would be a nested loop.)
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
    left join fiscal_periods as instant_quarter
        on
            figures.company_id = instant_quarter.company_id
            and figures.period_grain = 'instant'
            and instant_quarter.period_grain = 'fiscal_quarter'
            and figures.as_of_date >= instant_quarter.start_date
            and figures.as_of_date <= instant_quarter.end_date
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
