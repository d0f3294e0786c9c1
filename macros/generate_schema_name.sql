{% macro generate_schema_name(custom_schema_name, node) -%}
    {#-
        A node's schema. Without a `schema` config, the target's (DuckDB: `main`, the published BI surface).
        With one (`raw`, `staging`, `intermediate`, `semantic`, `audit`: dbt_project.yml): on DuckDB that name
        as it is, since the file is the warehouse's own namespace; on a shared engine (Spark, Databricks) the
        target's schema then the name (`kessan_staging`), dbt's default, so that it cannot take another
        project's database.
    -#}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.type == 'duckdb' -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
