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
placed as (

    select
        figures.*,
        fiscal_periods.fiscal_period_id,
        -- The same period a year earlier: YoY figures compare against it.
        case
            when figures.period_grain = 'instant'
                then strftime(figures.as_of_date - interval 1 year, '%Y-%m-%d')
            else prior_year.period_code
        end as prior_year_period_code
    from figures
    left join fiscal_periods
        on
            figures.company_id = fiscal_periods.company_id
            and (
                figures.period_code = fiscal_periods.period_code
                or (
                    figures.period_grain = 'instant'
                    and fiscal_periods.period_grain = 'fiscal_quarter'
                    and figures.as_of_date between fiscal_periods.start_date and fiscal_periods.end_date
                )
            )
    left join fiscal_periods as prior_year
        on
            fiscal_periods.prior_year_period_id = prior_year.fiscal_period_id
            and figures.period_grain != 'instant'

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
