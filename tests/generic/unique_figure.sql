{% test unique_figure(model, columns, seed=none, figure=none) %}
{#-
    Fails every row whose combination of `columns` occurs more than once (every copy, not one row per
    key), led by its seed, CSV line, figure and a message naming the lines of all the copies.
    Documented in tests/generic/_generic_tests.yml.
-#}
{%- set seed = seed_row_test_seed('unique_figure', model, seed) -%}
{%- set figure = seed_row_test_figure(figure, seed) -%}

with

tested as (

    select
        {{ figure }} as figure,
        *
    from {{ model }}

),

-- The keys seen more than once: a count per key first, so that the lines of the copies are listed for
-- those keys only (an ordered string_agg over every key was most of the test's time on millions of rows).
duplicated_keys as (

    select
        {%- for key_column in columns %}
            {{ key_column }},
        {%- endfor %}
        count(*) as copies
    from tested
    group by all
    having count(*) > 1

),

duplicated as (

    select
        {%- for key_column in columns %}
            duplicated_keys.{{ key_column }},
        {%- endfor %}
        duplicated_keys.copies,
        {{ string_agg_ordered('cast(tested.seed_line as string)', ', ', 'tested.seed_line') }} as seed_lines
    from duplicated_keys
    inner join tested
        on
            {%- for key_column in columns %}
            {{ "and " if not loop.first }}duplicated_keys.{{ key_column }} is not distinct from tested.{{ key_column }}
            {%- endfor %}
    group by all

),

failing as (

    select
        '{{ seed }}' as seed_name,
        tested.seed_line,
        tested.figure,
        '{{ seed }}.csv line ' || tested.seed_line || ': ' || tested.figure || ': ' || duplicated.copies
        || ' copies, on lines ' || duplicated.seed_lines || ' (same {{ columns | join(", ") }})' as message,
        {{ star_except(model, ['seed_line', 'figure'], 'tested') }}
    from tested
    inner join duplicated
        on
            {%- for key_column in columns %}
            {{ "and " if not loop.first }}tested.{{ key_column }} is not distinct from duplicated.{{ key_column }}
            {%- endfor %}

)

select * from failing

{% endtest %}
