-- One row per printed figure, placed in the fiscal calendar, described by its line item and unit, dated
-- by its document, and with the interval of true values its printed digits stand for.
with

figures as (

    select * from {{ ref('stg_reported_figures') }}
    {{ for_changed_companies() }}

),

fiscal_periods as (

    select * from {{ ref('int_fiscal_periods') }}
    {{ for_changed_companies() }}

),

line_items as (

    select * from {{ ref('stg_line_items') }}

),

units as (

    select * from {{ ref('stg_units') }}

),

documents as (

    select * from {{ ref('int_documents') }}
    {{ for_changed_companies() }}

),

-- Where each period code sits in the calendar: a duration is a fiscal period of its own; a date belongs
-- to the fiscal quarter containing it, found by a range join over the few distinct dates of each company
-- (not over every figure). One lookup, so every figure takes one equality join on (company, period code):
-- a join of its own for the dates had DuckDB build its hash table on the figures, every column of them.
period_lookup as (

    select
        company_id,
        period_code,
        fiscal_period_id,
        prior_year_period_id
    from fiscal_periods
    union all
    select
        instant_codes.company_id,
        instant_codes.period_code,
        quarters.fiscal_period_id,
        null as prior_year_period_id
    from (
        select distinct
            company_id,
            period_code,
            as_of_date
        from figures
        where period_grain = 'instant'
    ) as instant_codes
    inner join fiscal_periods as quarters
        on
            instant_codes.company_id = quarters.company_id
            and quarters.period_grain = 'fiscal_quarter'
            and instant_codes.as_of_date >= quarters.start_date
            and instant_codes.as_of_date <= quarters.end_date

),

placed as (

    select
        figures.*,
        period_lookup.fiscal_period_id,
        -- The same period a year earlier: YoY figures compare against it.
        case
            when figures.period_grain = 'instant'
                then cast({{ add_months('figures.as_of_date', -12) }} as string)
            else prior_year.period_code
        end as prior_year_period_code
    from figures
    left join period_lookup
        on
            figures.company_id = period_lookup.company_id
            and figures.period_code = period_lookup.period_code
    left join fiscal_periods as prior_year
        on period_lookup.prior_year_period_id = prior_year.fiscal_period_id

),

described as (

    select
        -- The figure's name in every message: company:period:line item:scenario:basis@document/slide.
        placed.company_id || ':' || placed.period_code || ':' || placed.line_item_id || ':'
        || placed.scenario || ':' || placed.basis || '@' || placed.document_id || '/' || placed.slide_id
            as figure_id,
        placed.*,
        line_items.statement,
        line_items.period_kind,
        line_items.line_item_label,
        units.dimension,
        units.base_unit_id,
        documents.published_on,
        documents.document_rank,
        documents.rounding,
        documents.accounting_standard
    from placed
    left join line_items
        on placed.line_item_id = line_items.line_item_id
    left join units
        on placed.unit_id = units.unit_id
    left join documents
        on placed.document_id = documents.document_id

),

-- The interval [value - uncertainty_below, value + uncertainty_above] of true values the printed figure can
-- come from, u being a unit of its last printed digit: rounded, [v - u/2, v + u/2]; truncated (digits dropped
-- toward zero), [v, v + u) above zero and (v - u, v] below (XBRL Calculations 1.1; docs/decisions.md D26).
intervals as (

    select
        *,
        case
            when rounding = 'truncate' and value > 0 then cast(0 as decimal(24, 6))
            when rounding = 'truncate' then 2 * rounding_half_unit
            else rounding_half_unit
        end as uncertainty_below,
        case
            when rounding = 'truncate' and value < 0 then cast(0 as decimal(24, 6))
            when rounding = 'truncate' then 2 * rounding_half_unit
            else rounding_half_unit
        end as uncertainty_above
    from described

)

select * from intervals
