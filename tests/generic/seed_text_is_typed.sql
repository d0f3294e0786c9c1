{% test seed_text_is_typed(model, column_name, type, seed, figure=none) %}
{#-
    A typed seed column loads as text and staging types it with `seed_typed`: fails every row of the seed whose
    cell is not empty but is no `type` (`March` as a month, `2018-13-45` as a date, `x` as a display order),
    led by its seed, CSV line, figure and a message quoting the text. It reads the seed, where the text is (the
    staging column holds the typed value, null here), and is attached to that staging column so that a bad
    cell fails this test without skipping the staging model, and with it the tests of every other seed: a
    build names every bad cell at once. `seed` is required: dbt records the seed as a dependency at parse, when the
    tested model's name is not known yet. Documented in tests/generic/_generic_tests.yml.
-#}
{%- set figure = seed_row_test_figure(figure, seed) -%}

with

seed_rows as (

    {{ seed_with_rows(ref(seed)) }}

),

tested as (

    select
        {{ figure }} as figure,
        seed_row + 1 as seed_line,
        {{ seed_typed(column_name, type) }} as typed_value,
        *
    from seed_rows

),

failing as (

    select
        '{{ seed }}' as seed_name,
        seed_line,
        figure,
        '{{ seed }}.csv line ' || seed_line || ': ' || figure || ': {{ column_name }} '
        || chr(39) || {{ column_name }} || chr(39) || ' is not {{ type }}' as message,
        {{ column_name }} as seed_text
    from tested
    where
        typed_value is null
        and trim({{ column_name }}) != ''

)

select * from failing

{% endtest %}
