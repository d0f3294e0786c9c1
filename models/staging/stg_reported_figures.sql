-- One row per printed figure: parsed, typed and converted to the warehouse's base units.
-- The seed (a view), or with the var `external_dir` a Parquet file read natively (a table: the parse
-- runs once, not in every model and test that reads it).
{{ config(materialized=('table' if var('external_dir', none) else 'view')) }}

with

source as (

    {% if var('external_dir', none) -%}
    select
        * exclude (file_row_number),
        -- Row 1 of the file is line 2 of the CSV the generator writes alongside it (after the header).
        file_row_number + 1 as seed_row
    from read_parquet('{{ var("external_dir") }}/reported_figures.parquet', file_row_number = true)
    {%- else -%}
    select
        *,
        -- The seed is loaded with COPY, in file order: row 1 is CSV line 2 (after the header).
        row_number() over (order by rowid) as seed_row
    from {{ ref('reported_figures') }}
    {%- endif %}

),

parsed as (

    select
        seed_row,
        seed_row + 1 as seed_line,
        trim(company_id) as company_id,
        trim(document_id) as document_id,
        trim(slide_id) as slide_id,
        trim(line_item_id) as line_item_id,
        trim(period) as period_code,
        trim(scenario) as scenario,
        trim(basis) as basis,
        printed_value,
        trim(unit_id) as unit_id,
        nullif(trim(qualifier), '') as qualifier,
        note,
        {{ parse_printed_number('printed_value') }} as value_printed_unit,
        {{ printed_decimals('printed_value') }} as printed_decimals,
        -- FY2017 / FY2017-H1 / FY2017-Q1 are durations; an ISO date is an instant.
        case
            when regexp_full_match(trim(period), 'FY\d{4}') then 'fiscal_year'
            when regexp_full_match(trim(period), 'FY\d{4}-H[12]') then 'fiscal_half'
            when regexp_full_match(trim(period), 'FY\d{4}-Q[1-4]') then 'fiscal_quarter'
            when try_strptime(trim(period), '%Y-%m-%d') is not null then 'instant'
        end as period_grain,
        try_cast(regexp_extract(trim(period), '^FY(\d{4})', 1) as integer) as fiscal_year,
        try_cast(regexp_extract(trim(period), '^FY\d{4}-[HQ]([1-4])$', 1) as integer) as period_number,
        cast(try_strptime(trim(period), '%Y-%m-%d') as date) as as_of_date
    from source

),

normalised as (

    select
        *,
        cast({{ to_base_unit('value_printed_unit', 'unit_id') }} as decimal(24, 6)) as value,
        -- Half a unit of the last printed digit, in base units: the rounding the printed figure carries.
        cast(
            {{ to_base_unit('0.5 / pow(10, printed_decimals)::decimal(18, 6)', 'unit_id') }} as decimal(24, 6)
        ) as rounding_half_unit,
        qualifier is null as is_exact
    from parsed

)

select * from normalised
