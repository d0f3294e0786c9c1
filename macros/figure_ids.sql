{#- A list of figure ids as rpt_data_quality and rpt_reported_vs_derived publish it: text, ', '-separated.
    One separator in SQL (these two macros) and one in Python (kessan.conventions.FIGURE_ID_SEPARATOR);
    python_tests/test_build.py checks the published lists split into the figures they name. -#}

{% macro figure_id_list(array_expression) -%}
    {#- An array of figure ids as the published text list. -#}
    {{ array_join(array_expression, ', ') }}
{%- endmacro %}

{% macro figure_id_array(columns) -%}
    {#- The figure ids of one or more published text lists (columns; NULLs add none), as one array. DuckDB and
        Spark both have `split` and `concat_ws`, which skips NULLs. -#}
    split(concat_ws(', ', {{ columns | join(', ') }}), ', ')
{%- endmacro %}

{% macro company_of_check(check_id) -%}
    {#- The company of a check id (`<identity>|<figure id>+<figure id>...`, rpt_reported_vs_derived; a figure id
        starts `<company>:`): the text between the first `|` and the next `:`. split_part takes its separator
        as text on DuckDB and Spark alike (no regular expression). -#}
    nullif(split_part(split_part({{ check_id }}, '|', 2), ':', 1), '')
{%- endmacro %}
