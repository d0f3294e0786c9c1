{% test unique_combination_of_columns(model, combination) %}
{#-
    The columns of `combination` together identify a row: returns every combination that occurs more
    than once, with how often. Documented in tests/generic/_generic_tests.yml.
-#}
with

grouped as (

    select
        {%- for column in combination %}
        {{ column }},
        {%- endfor %}
        count(*) as occurrences
    from {{ model }}
    group by all
    having count(*) > 1

)

select * from grouped

{% endtest %}
