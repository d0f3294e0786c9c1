-- One row per company, period, line item, scenario and basis: the most precise printed occurrence
-- of the figure (the same figure is often printed in JPY million on one slide and JPY billion on
-- another; the warehouse derives from the most precise one).
with

figures as (

    select * from {{ ref('int_reported_figures') }}

),

ranked as (

    select
        *,
        count(*) over (
            partition by company_id, period_code, line_item_id, scenario, basis
        ) as occurrences,
        -- (The partition spelled out: Spark cannot extend a named window with an order.)
        row_number() over (
            partition by company_id, period_code, line_item_id, scenario, basis
            order by is_exact desc, rounding_half_unit asc, seed_row asc
        ) as precision_rank
    from figures

),

most_precise as (

    select
        company_id,
        period_code,
        line_item_id,
        scenario,
        basis,
        fiscal_period_id,
        prior_year_period_code,
        period_grain,
        as_of_date,
        statement,
        period_kind,
        base_unit_id,
        value,
        rounding_half_unit,
        is_exact,
        figure_id,
        slide_id,
        occurrences
    from ranked
    where precision_rank = 1

)

select * from most_precise
