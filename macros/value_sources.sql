{% macro restates_a_growth_rate(value_source) -%}
    {#-
        True for a value known only through a printed YoY %: a base implied by next year's value and its YoY %
        (`implied_by_growth`), or both years implied by a printed YoY change and YoY % (`implied_by_change_and_growth`).
        Such a value restates the YoY % it is built from: it never stands in for a value known another way, it is
        no base for checking that YoY % (a tautology), and the statements leave it out (docs/decisions.md D30).
    -#}
    {{ value_source }} in ('implied_by_growth', 'implied_by_change_and_growth')
{%- endmacro %}
