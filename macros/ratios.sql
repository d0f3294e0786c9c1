{% macro safe_ratio(numerator, denominator) -%}
    {#- numerator / denominator as DOUBLE; NULL when the denominator is NULL or zero. -#}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}


{% macro growth_rate(current, prior) -%}
    {#-
        Growth as a fraction: current / prior - 1 (0.116 = +11.6%). NULL when either side is NULL and
        when the prior value is zero or negative: a growth rate over such a base has no meaning (from a
        loss of -100 to a profit of 50 is not "-150%"). The rule is the decision log's.
    -#}
    case
        when cast({{ prior }} as double) > 0
            then cast({{ current }} as double) / cast({{ prior }} as double) - 1
    end
{%- endmacro %}
