{% test printed_value_is_a_number(model, column_name, printed_column='printed_value', seed=none, figure=none) %}
{#-
    Fails the rows where `column_name` (the number parsed from the printed text, in any unit) is null:
    the printed text is not a number (or its unit is unknown, which the unit's reference test names).
    See tests/generic/_generic_tests.yml.
-#}
{{ test_not_null_parsed(
    model,
    column_name,
    from_column=printed_column,
    problem='is not a number (' ~ column_name ~ ' is null)',
    seed=seed,
    figure=figure,
) }}
{% endtest %}
