{% test not_null_parsed(model, column_name, from_column, problem=none, seed=none, figure=none) %}
{#-
    Fails the rows where `column_name`, parsed from the seed's text column `from_column`, is null:
    the text did not parse. Returns the whole row, led by its seed, CSV line, figure and a message.
    Documented in tests/generic/_generic_tests.yml.
-#}
{%- if seed is none -%}
    {%- if model.identifier is not defined -%}
        {{ exceptions.raise_compiler_error("not_null_parsed: pass `seed` when the test has a `where` config") }}
    {%- endif -%}
    {%- set seed = model.identifier | replace('stg_', '', 1) -%}
{%- endif -%}
{%- set figure = figure or (
    "concat(company_id, ' ', line_item_id, ' ', period_code, ' (', scenario, ', ', basis, '), slide ', slide_id)"
) -%}
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
        || coalesce('''' || cast({{ from_column }} as varchar) || '''', 'null') || ' {{ problem }}' as message,
        * exclude (seed_line, figure)
    from tested
    where {{ column_name }} is null

)

select * from failing

{% endtest %}
