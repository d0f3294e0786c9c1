{% macro to_base_unit(value_column, unit_column) -%}
    {#-
        Converts a printed value to the warehouse's base unit of its dimension (JPY million for money,
        a fraction for ratios, a plain count for counts), with the multipliers of the `units` seed.
        The seed is read when the model runs, so the multipliers live in one place (the seed) and an
        unknown unit gives NULL, which the `unit_id` relationship test reports by seed row. So does a unit whose
        multiplier is no number (the seed holds it as text; `seed_text_is_typed` names its line).
    -#}
    {%- set units_relation = ref('units') -%}
    {%- if execute -%}
        {%- set units = run_query(
            'select unit_id, ' ~ seed_typed('to_base_multiplier', 'decimal(18, 6)') ~ ' from ' ~ units_relation
            ~ ' order by unit_id'
        ) -%}
        case {{ unit_column }}
        {%- for unit in units.rows if unit[1] is not none %}
            when '{{ unit[0] | replace("'", "''") }}' then {{ value_column }} * {{ unit[1] }}
        {%- endfor %}
        end
    {%- else -%}
        null
    {%- endif -%}
{%- endmacro %}
