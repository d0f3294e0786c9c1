{% macro period_accounting_standard(column) -%}
    {#-
        Aggregate: the accounting standard of a period's values, `column` being each value's standard (its
        document's): that standard when they share one, `mixed` when they do not (a restated comparative next to
        lines no later document reprinted). docs/decisions.md D26.
    -#}
    case when min({{ column }}) = max({{ column }}) then min({{ column }}) else 'mixed' end
{%- endmacro %}


{% macro comparability_break(this_standard, other_standard) -%}
    {#-
        True when a change between two periods compares figures of different accounting standards (or of mixed
        ones), so it is not growth; false when both follow one standard; null when there is no other period.
    -#}
    case
        when {{ other_standard }} is null or {{ this_standard }} is null then null
        else {{ this_standard }} != {{ other_standard }} or {{ this_standard }} = 'mixed'
    end
{%- endmacro %}
