{% test in_vocabulary(model, column_name, vocabulary=none, values=none, seed=none, figure=none) %}
{#-
    A closed vocabulary: fails every row whose `column_name` is neither null (empty) nor one of `values`, like
    `accepted_values` but returning the whole row, led by its seed, CSV line, figure and a message that lists
    the vocabulary: `vocabulary`, the name of one of macros/vocabularies.sql, or else the list `values`.
    Documented in tests/generic/_generic_tests.yml.
-#}
{%- set values = kessan.vocabulary(vocabulary) if vocabulary else values -%}
{%- set seed = seed_row_test_seed('in_vocabulary', model, seed) -%}
{%- set figure = seed_row_test_figure(figure, seed) -%}
{%- set quoted = [] -%}
{%- for value in values -%}
    {%- do quoted.append("'" ~ value ~ "'") -%}
{%- endfor %}

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
        || chr(39) || cast({{ column_name }} as string) || chr(39)
        || ' is not one of: (empty), {{ values | join(", ") }}' as message,
        {{ star_except(model, ['seed_line', 'figure'], 'tested') }}
    from tested
    where
        tested.{{ column_name }} is not null
        -- As text: the vocabulary of an integer column (sign, month) is its printed values.
        and cast(tested.{{ column_name }} as string) not in ({{ quoted | join(', ') }})

)

select * from failing

{% endtest %}
