{% macro external_or_seed(name) -%}
    {#-
        The relation a staging model reads: the seed `name` (the real data, loaded by `dbt seed`), or, when
        the dbt var `external_dir` names a folder, that folder's `name`.parquet read with DuckDB's native
        Parquet reader (large data sets, e.g. python -m kessan.synthetic: never through `dbt seed`, which
        loads CSVs row by row). `dbt build --vars '{external_dir: /path/to/dir}'`.
    -#}
    {%- if external_dir() -%}
        read_parquet('{{ external_dir() }}/{{ name }}.parquet')
    {%- else -%}
        {{ ref(name) }}
    {%- endif -%}
{%- endmacro %}


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
