{% macro external_or_seed(name) -%}
    {#-
        The relation a staging model reads: the seed `name` (the real data, loaded by `dbt seed`), or, when
        the dbt var `external_dir` names a folder, that folder's `name`.parquet read with DuckDB's native
        Parquet reader (large data sets, e.g. python -m kessan.synthetic: never through `dbt seed`, which
        loads CSVs row by row). `dbt build --vars '{external_dir: /path/to/dir}'`.
    -#}
    {%- set external_dir = var('external_dir', none) -%}
    {%- if external_dir -%}
        read_parquet('{{ external_dir }}/{{ name }}.parquet')
    {%- else -%}
        {{ ref(name) }}
    {%- endif -%}
{%- endmacro %}
