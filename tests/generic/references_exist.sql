{% test references_exist(
    model, to, field=none, column_name=none, columns=none, fields=none, optional=false, seed=none, figure=none
) %}
{#-
    Like `relationships`, but returns the whole failing row (led by its seed, CSV line, figure and a
    message), fails a null reference too (unless `optional`: an empty cell then means no reference), and takes
    composite keys (`columns` -> `fields`).
    Documented in tests/generic/_generic_tests.yml.
-#}
{%- set columns = columns or [column_name] -%}
{%- set fields = fields or [field or column_name] -%}
{%- if columns | length != fields | length -%}
    {{ exceptions.raise_compiler_error("references_exist: `columns` and `fields` differ in length") }}
{%- endif -%}
{%- set seed = seed_row_test_seed('references_exist', model, seed) -%}
{%- set figure = seed_row_test_figure(figure, seed) -%}
{%- set parent_name = to.identifier if to.identifier is defined else to -%}

with

child as (

    select
        {{ figure }} as figure,
        *
    from {{ model }}

),

parent as (

    select distinct
        {%- for parent_field in fields %}
            {{ parent_field }} as referenced_{{ loop.index }},
        {%- endfor %}
        true as is_referenced
    from {{ to }}

),

failing as (

    select
        '{{ seed }}' as seed_name,
        child.seed_line,
        child.figure,
        '{{ seed }}.csv line ' || child.seed_line || ': ' || child.figure || ': '
        {%- for child_column in columns %}
        || '{{ child_column }} ' || coalesce(chr(39) || cast(child.{{ child_column }} as string) || chr(39), 'null')
        {{- " || ', '" if not loop.last }}
        {%- endfor %}
        || ' is not in {{ parent_name }} ({{ fields | join(", ") }})' as message,
        {{ star_except(model, ['seed_line', 'figure'], 'child') }}
    from child
    left join parent
        on
            {%- for child_column in columns %}
            {{ "and " if not loop.first }}child.{{ child_column }} = parent.referenced_{{ loop.index }}
            {%- endfor %}
    where
        parent.is_referenced is null
        {%- if optional %}
            and child.{{ columns | join(' is not null and child.') }} is not null
        {%- endif %}

)

select * from failing

{% endtest %}
