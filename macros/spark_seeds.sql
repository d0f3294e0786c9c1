{#-
    `dbt seed` on Spark. dbt-spark 1.11's own loader binds each CSV value as '<value>' unescaped, so a quote in
    a seed breaks the statement and an empty cell loads as the text 'None'; and Spark keeps no row order, while
    stg_reported_figures numbers each figure by its CSV line. These two overrides of dbt-spark's macros (the
    root project's win dispatch) load every value as an escaped literal or NULL, and add `seed_row`, the row's
    position in the CSV (1 = the line after the header), as each seed's last column. Spark only (DuckDB loads
    seeds with COPY, in file order).
-#}
{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set sql -%}
        create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
            {%- set type = column_override.get(col_name, inferred_type) %}
            {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ type }},
        {%- endfor %}
            seed_row int
        )
        {{ file_format_clause() }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{% endmacro %}


{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set first_row = loop.index0 * batch_size -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            (
                {%- for value in row -%}
                    {%- if value is none -%}
                        null
                    {%- else -%}
                        {#- Spark string literals take backslash escapes: escape the backslash, then the quote. -#}
                        cast('{{ (value | string).replace("\\", "\\\\").replace("'", "\\'") }}' as {{ types[loop.index0] }})
                    {%- endif -%},
                {%- endfor -%}
                {{ first_row + loop.index }}
            ){{ "," if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}
