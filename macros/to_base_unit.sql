{% macro to_base_unit(value_column, unit_column) -%}
    {#-
        Converts a printed value to the warehouse's base unit of its dimension (JPY million for money,
        a fraction for ratios, a plain count for counts), with the multipliers of the `units` seed.
        The seed is read when the model runs, so the multipliers live in one place (the seed) and an
        unknown unit gives NULL, which the `unit_id` relationship test reports by seed row.
    -#}
    {%- set units_relation = ref('units') -%}
    {%- if execute -%}
        {%- set units = run_query('select unit_id, to_base_multiplier from ' ~ units_relation ~ ' order by unit_id') -%}
        case {{ unit_column }}
        {%- for unit in units.rows %}
            when '{{ unit[0] }}' then {{ value_column }} * {{ unit[1] }}
        {%- endfor %}
        end
    {%- else -%}
        null
    {%- endif -%}
{%- endmacro %}
