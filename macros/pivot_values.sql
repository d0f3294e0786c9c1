{% macro pivot_values(line_items, basis='value', value_column='value', suffix='') -%}
    {#-
        One column per line item from a long (line_item_id, basis, value) relation, for use in a
        `group by` over the other keys: `max(value) filter (where line_item_id = 'revenue' and basis = 'value') as revenue`.
    -#}
    {%- for line_item in line_items %}
        max({{ value_column }}) filter (
            where line_item_id = '{{ line_item }}' and basis = '{{ basis }}'
        ) as {{ line_item }}{{ suffix }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
