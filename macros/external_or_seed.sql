{% macro external_dir() -%}
    {#-
        The dbt var `external_dir` (none when unset). Reading it is DuckDB's native Parquet reader
        (`read_parquet`): on another engine a build given the var stops here, with this message, rather than
        on an unknown function.
    -#}
    {%- set directory = var('external_dir', none) -%}
    {%- if directory and target.type != 'duckdb' -%}
        {{ exceptions.raise_compiler_error(
            "external_dir is read with DuckDB's read_parquet: DuckDB only (target type " ~ target.type ~ ")"
        ) }}
    {%- endif -%}
    {{ return(directory) }}
{%- endmacro %}


{% macro seed_with_rows(seed) -%}
    {#- `select` of every column of `seed` and `seed_row`, the row's position in the CSV (1 = the line after the
        header). -#}
    {{ return(adapter.dispatch('seed_with_rows', 'kessan')(seed)) }}
{%- endmacro %}

{% macro default__seed_with_rows(seed) -%}
    {#- DuckDB: dbt-duckdb loads the seed with COPY, in file order, so rowid follows the CSV. -#}
    select
        *,
        row_number() over (order by rowid) as seed_row
    from {{ seed }}
{%- endmacro %}

{% macro spark__seed_with_rows(seed) -%}
    {#- Spark: the seed loader (macros/spark_seeds.sql) stores each row's position as `seed_row`. -#}
    select * from {{ seed }}
{%- endmacro %}


{% macro seed_source(name, external=false) -%}
    {#- A `select` of every column of the seed `name` and `seed_row`, the row's position in its CSV (1 = the line
        after the header), the first CTE of a staging model. With `external` and the var `external_dir`, the
        folder's `name`.parquet instead, numbered by file_row_number (row 1 is line 2 of the CSV the generator
        writes alongside it). -#}
    {%- if external and external_dir() -%}
    select
        * exclude (file_row_number),
        file_row_number + 1 as seed_row
    from read_parquet('{{ external_dir() }}/{{ name }}.parquet', file_row_number = true)
    {%- else -%}
    {{ seed_with_rows(ref(name)) }}
    {%- endif -%}
{%- endmacro %}


{% macro seed_typed(column, type) -%}
    {#-
        A seed's text cell as `type` (integer, date, boolean, decimal(p, s) ...): null when the cell is empty, or
        when its text is not a value of that type, which the test `seed_text_is_typed` then names by line. The
        seeds load these columns as text (seeds/_seeds.yml), so a cell such as `March` in an integer column
        reaches staging instead of stopping the seed's load with an error that names no line. An integer must be
        digits (an optional sign): casts would round `1.5` on DuckDB and truncate it on Spark.
    -#}
    {%- set text = 'trim(cast(' ~ column ~ ' as string))' -%}
    {%- if type == 'integer' -%}
    case when {{ regexp_full_match(text, '[+-]?[0-9]+') }} then try_cast({{ text }} as integer) end
    {%- else -%}
    try_cast(nullif({{ text }}, '') as {{ type }})
    {%- endif -%}
{%- endmacro %}
