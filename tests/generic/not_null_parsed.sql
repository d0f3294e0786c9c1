{% test not_null_parsed(
    model, column_name, from_column, problem=none, explain=none, seed=none, figure=none, skip_when=none
) %}
{#-
    Fails the rows where `column_name`, parsed from the seed's text column `from_column`, is null:
    the text did not parse. Returns the whole row, led by its seed, CSV line, figure and a message.
    Rows where the SQL condition `skip_when` holds are not tested (they have no parse by design). `explain`, a SQL
    text expression on the row, is appended to the message where it is not null (why the text did not parse).
    Documented in tests/generic/_generic_tests.yml.
-#}
{%- set seed = seed_row_test_seed('not_null_parsed', model, seed) -%}
{%- set figure = seed_row_test_figure(figure, seed) -%}
{%- set problem = problem or "gives no " ~ column_name -%}

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
        '{{ seed }}.csv line ' || seed_line || ': ' || figure || ': {{ from_column }} '
        || coalesce(chr(39) || cast({{ from_column }} as string) || chr(39), 'null') || ' {{ problem }}'
        {%- if explain %} || coalesce(': ' || ({{ explain }}), ''){% endif %} as message,
        {{ star_except(model, ['seed_line', 'figure'], 'tested') }}
    from tested
    where
        tested.{{ column_name }} is null
        {%- if skip_when %}
            and not coalesce({{ skip_when }}, false)
        {%- endif %}

)

select * from failing

{% endtest %}
