{% test dash_is_qualified(
    model, printed_column='printed_value', qualifier_column='qualifier', seed=none, figure=none
) %}
{#-
    A lone dash (is_lone_dash) means nil or "not meaningful" and nothing tells the two apart but the row: fails
    every row whose printed text is a lone dash without the qualifier `nil` or `not_meaningful`, and every row
    with one of those qualifiers whose printed text is not a lone dash. Returns the whole row, led by its seed,
    CSV line, figure and a message that says what to set. Documented in tests/generic/_generic_tests.yml.
-#}
{%- set seed = seed_row_test_seed('dash_is_qualified', model, seed) -%}
{%- set figure = seed_row_test_figure(figure, seed) -%}
{%- set is_dash = is_lone_dash('tested.' ~ printed_column) -%}
{%- set qualifier = 'tested.' ~ qualifier_column -%}

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
        tested.seed_line,
        tested.figure,
        '{{ seed }}.csv line ' || tested.seed_line || ': ' || tested.figure || ': {{ printed_column }} '
        || chr(39) || tested.{{ printed_column }} || chr(39)
        || case
            when {{ is_dash }}
                then ' is a lone dash '
                    || coalesce('qualified ' || chr(39) || {{ qualifier }} || chr(39), 'without a qualifier')
                    || ': set {{ qualifier_column }} to nil (the dash is zero: no change) or not_meaningful'
                    || ' (no number: not available, not meaningful)'
            else ' is not a lone dash, but {{ qualifier_column }} is ' || chr(39) || {{ qualifier }} || chr(39)
                || ', which only a lone dash takes: clear the qualifier'
        end as message,
        {{ star_except(model, ['seed_line', 'figure'], 'tested') }}
    from tested
    where
        ({{ is_dash }} and coalesce({{ qualifier }}, '') not in ('nil', 'not_meaningful'))
        or (not {{ is_dash }} and {{ qualifier }} in ('nil', 'not_meaningful'))

)

select * from failing

{% endtest %}
