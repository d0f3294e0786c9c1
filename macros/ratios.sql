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


{% macro quotient_uncertainty(side, n, n_below, n_above, d, d_below, d_above) -%}
    {#-
        How far the true N / D can lie above (`side` = 'above') or below ('below') the computed N / D, N and D being
        known within [n - n_below, n + n_above] and [d - d_below, d + d_above]: first-order propagation of the two
        intervals through the division, as DOUBLE. N / D rises with N when D > 0 and with D when N < 0, so
        its upper end takes N's upper end and D's lower end when both are positive, and so on. With symmetric
        intervals (round-to-nearest) both sides are n_u / |d| + |n| d_u / d^2, the rule of docs/decisions.md D7.
        (A growth rate N / D - 1 has the same intervals.) In DOUBLE, as DuckDB divides DECIMALs; the products
        too: a DECIMAL product keeps both scales, and d^2 of a sum of terms overflowed DECIMAL(38) at 10^7.
    -#}
    {%- set rising = (side == 'above') -%}
    {%- set n_rising, n_falling = (n_above, n_below) if rising else (n_below, n_above) -%}
    {%- set d_rising, d_falling = (d_above, d_below) if rising else (d_below, d_above) -%}
    (
        cast(case when {{ d }} > 0 then {{ n_rising }} else {{ n_falling }} end as double) / cast(abs({{ d }}) as double)
        + cast(abs({{ n }}) as double) * cast(case when {{ n }} < 0 then {{ d_rising }} else {{ d_falling }} end as double)
        / (cast({{ d }} as double) * cast({{ d }} as double))
    )
{%- endmacro %}
