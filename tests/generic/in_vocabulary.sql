{% test in_vocabulary(model, column_name, values, seed=none, figure=none) %}
{#-
    Like `accepted_values`, but returns the whole failing row led by its seed, CSV line, figure and a message
    naming the value and the vocabulary; a null fails too. Documented in tests/generic/_generic_tests.yml.
-#}
{%- set seed = seed_row_test_seed('in_vocabulary', model, seed) -%}
{%- set figure = seed_row_test_figure(figure) -%}

with

tested as (

    select
        {{ figure }} as figure,
        *
    from {{ model }}

),

failing as (

    select
        '{{ seed }}' as seed_name,
        seed_line,
        figure,
        '{{ seed }}.csv line ' || seed_line || ': ' || figure || ': {{ column_name }} '
        || coalesce(chr(39) || cast({{ column_name }} as string) || chr(39), 'null')
        || ' is not one of {{ values | join(", ") }}' as message,
        {{ star_except(model, ['seed_line', 'figure'], 'tested') }}
    from tested
    where {{ column_name }} is null or {{ column_name }} not in (
        {%- for value in values %}'{{ value }}'{{ ", " if not loop.last }}{% endfor -%}
    )

)

select * from failing

{% endtest %}
