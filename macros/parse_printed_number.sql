{% macro parse_printed_number(column) -%}
    {#-
        A number as printed in a results document -> DECIMAL(18, 4), or NULL when the text is not a number.
        "36,179" -> 36179; "(556)" -> -556 (parentheses are negatives); "+13.2%" -> 13.2; "-0.4" -> -0.4;
        a lone "-" -> 0 (nil). Thousands separators must be well placed ("1,2,3" is not a number), so a
        typo in a seed surfaces as NULL and fails the `printed_value_is_a_number` test instead of loading
        as a wrong figure.
    -#}
    case
        when trim({{ column }}) = '-' then cast(0 as decimal(18, 4))
        {#- No backslashes in the patterns: DuckDB and Spark read them differently in string literals. #}
        when {{ regexp_full_match(
            'trim(' ~ column ~ ')',
            '[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)([.][0-9]+)?%?|[(]([0-9]{1,3}(,[0-9]{3})+|[0-9]+)([.][0-9]+)?%?[)]'
        ) }}
            then
                (case when trim({{ column }}) like '(%' then -1 else 1 end)
                * cast({{ regexp_replace_all('trim(' ~ column ~ ')', '[,+%()]', '') }} as decimal(18, 4))
    end
{%- endmacro %}


{% macro printed_decimals(column) -%}
    {#- How many decimals a printed number carries ("176.1" -> 1, "36,179" -> 0): its precision. -#}
    length(coalesce(regexp_extract(trim({{ column }}), '[.]([0-9]+)', 1), ''))
{%- endmacro %}
