{% test printed_value_is_a_number(
    model, column_name, printed_column='printed_value', qualifier_column=none, seed=none, figure=none
) %}
{#-
    Fails the rows where `column_name` (the number parsed from the printed text, in any unit) is null:
    the printed text is not a number (or its unit is unknown, which the unit's reference test names).
    With `qualifier_column`, a lone dash and a row qualified `not_meaningful` have no number by design:
    they are left to `dash_is_qualified`. See tests/generic/_generic_tests.yml.
-#}
{%- set skip_when = (
    is_lone_dash(printed_column) ~ " or " ~ qualifier_column ~ " = 'not_meaningful'"
) if qualifier_column else none -%}
{{ test_not_null_parsed(
    model,
    column_name,
    from_column=printed_column,
    problem='is not a number (' ~ column_name ~ ' is null)',
    explain="case when " ~ printed_number_is_too_long(printed_column)
        ~ " then 'it has more than 14 digits before the decimal point, past the DECIMAL(18, 4) it is read as' end",
    seed=seed,
    figure=figure,
    skip_when=skip_when,
) }}
{% endtest %}
