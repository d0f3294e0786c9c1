-- One row per company, period, line item, scenario and basis: the most precise value the warehouse
-- knows (printed, summed from quarters, or implied by next year's printed change), with its source.
with

candidates as (

    select * from {{ ref('int_period_value_candidates') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by company_id, period_code, line_item_id, scenario, basis
            order by
                uncertainty asc,
                case value_source when 'printed' then 1 when 'sum_of_quarters' then 2 else 3 end asc
        ) as precision_rank
    from candidates

),

most_precise as (

    select
        company_id,
        period_code,
        line_item_id,
        scenario,
        basis,
        value,
        uncertainty,
        value_source,
        figure_ids
    from ranked
    where precision_rank = 1

)

select * from most_precise
