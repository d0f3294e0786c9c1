-- One row per printed figure: parsed, typed and converted to the warehouse's base units.
-- The seed (a view), or with the var `external_dir` a Parquet file read natively (a table: the parse
-- runs once, not in every model and test that reads it; by company, as every table keyed by company).
{{ config(materialized=(by_company_materialization() if external_dir() else 'view')) }}

with

source as (

    -- Each row with `seed_row`, its position in the CSV: row 1 is CSV line 2 (after the header).
    {{ seed_source('reported_figures', external=true) }}
    {{ for_changed_companies() }}

),

-- Each distinct period code parsed once: a few hundred codes, however many figures.
periods as (

    select
        period_code,
        -- FY2017 / FY2017-H1 / FY2017-Q1 are durations; an ISO date is an instant.
        case
            when {{ regexp_full_match('period_code', 'FY[0-9]{4}') }} then 'fiscal_year'
            when {{ regexp_full_match('period_code', 'FY[0-9]{4}-H[12]') }} then 'fiscal_half'
            when {{ regexp_full_match('period_code', 'FY[0-9]{4}-Q[1-4]') }} then 'fiscal_quarter'
            when {{ try_to_date('period_code') }} is not null then 'instant'
        end as period_grain,
        try_cast(regexp_extract(period_code, '^FY([0-9]{4})', 1) as integer) as fiscal_year,
        try_cast(regexp_extract(period_code, '^FY[0-9]{4}-[HQ]([1-4])$', 1) as integer) as period_number,
        {{ try_to_date('period_code') }} as as_of_date
    from (
        select distinct trim(period) as period_code
        from source
    ) as period_codes

),

-- Each distinct printed text parsed once (the parse is regular expressions; figures repeat their texts:
-- 1.2 M synthetic figures print 0.2 M distinct texts).
printed_numbers as (

    select
        printed_value,
        {{ parse_printed_number('printed_value') }} as value_printed_unit,
        {{ printed_decimals('printed_value') }} as printed_decimals,
        {{ is_lone_dash('printed_value') }} as is_lone_dash
    from (
        select distinct printed_value
        from source
    ) as printed_texts

),

parsed as (

    select
        source.seed_row,
        source.seed_row + 1 as seed_line,
        trim(source.company_id) as company_id,
        trim(source.document_id) as document_id,
        trim(source.slide_id) as slide_id,
        trim(source.line_item_id) as line_item_id,
        trim(source.period) as period_code,
        trim(source.scenario) as scenario,
        trim(source.basis) as basis,
        source.printed_value,
        trim(source.unit_id) as unit_id,
        nullif(trim(source.qualifier), '') as qualifier,
        source.note,
        -- A lone dash is a number only on a row qualified `nil` (zero: no change); a `not_meaningful` row has
        -- no number. An unqualified dash stays null and fails dash_is_qualified, naming its line.
        case
            when trim(source.qualifier) = 'not_meaningful' then null
            when printed_numbers.is_lone_dash and trim(source.qualifier) = 'nil' then cast(0 as decimal(18, 4))
            else printed_numbers.value_printed_unit
        end as value_printed_unit,
        printed_numbers.printed_decimals,
        periods.period_grain,
        periods.fiscal_year,
        periods.period_number,
        periods.as_of_date
    from source
    left join periods
        on trim(source.period) is not distinct from periods.period_code
    left join printed_numbers
        on source.printed_value is not distinct from printed_numbers.printed_value

),

normalised as (

    select
        *,
        -- Null past DECIMAL(24, 6) (a 14-digit count printed in millions), which stg_reported_figures_value_in_range
        -- names. Widened first: DuckDB multiplies two DECIMALs of width 18 or less within 18 digits, and would stop
        -- the view, and every test that reads it, with an overflow error.
        try_cast(
            {{ to_base_unit('cast(value_printed_unit as decimal(38, 4))', 'unit_id') }} as decimal(24, 6)
        ) as value,
        -- Half a unit of the last printed digit, in base units: the rounding the printed figure carries.
        cast(
            {{ to_base_unit('cast(0.5 as double) / pow(10, printed_decimals)', 'unit_id') }} as decimal(24, 6)
        ) as rounding_half_unit,
        (qualifier is null or qualifier = 'nil') as is_exact
    from parsed

)

select * from normalised
