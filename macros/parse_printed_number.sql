{% macro parse_printed_number(column) -%}
    {#-
        A number as printed in a results document -> DECIMAL(18, 4), or NULL when the text is not a number.
        "36,179" -> 36179; "(556)" -> -556 (parentheses are negatives); "+13.2%" -> 13.2; "-0.4" -> -0.4;
        Japanese printings read the same once normalised (printed_number_text): "▲1,234" and "△1,234" ->
        -1234, "１７６．１" -> 176.1, "－０．４％" -> -0.4. A lone dash ("-", "－", "―" ...) is no number by itself:
        NULL here; the row's qualifier says whether it is nil (zero) or not meaningful (stg_reported_figures).
        Thousands separators must be well placed ("1,2,3" is not a number), so a typo in a seed surfaces as
        NULL and fails the `printed_value_is_a_number` test instead of loading as a wrong figure. So does a number
        with more than 14 digits before the point (printed_number_is_too_long), which DECIMAL(18, 4) cannot hold:
        the cast would stop the build with a conversion error that names no line.
    -#}
    {%- set text = printed_number_text(column) -%}
    case
        {#- No backslashes in the patterns: DuckDB and Spark read them differently in string literals. A sign
            may be followed by spaces ("△ 1,234", as 決算短信 print it); no space inside the number. #}
        when {{ regexp_full_match(
            text,
            '[+-]? *([0-9]{1,3}(,[0-9]{3})+|[0-9]+)([.][0-9]+)?%?|[(]([0-9]{1,3}(,[0-9]{3})+|[0-9]+)([.][0-9]+)?%?[)]'
        ) }}
            and not {{ printed_number_is_too_long(column) }}
            then
                (case when {{ text }} like '(%' then -1 else 1 end)
                * cast({{ regexp_replace_all(text, '[ ,+%()]', '') }} as decimal(18, 4))
    end
{%- endmacro %}


{% macro printed_number_is_too_long(column) -%}
    {#- True when the printed number has more digits before its decimal point than DECIMAL(18, 4) holds (14):
        `1,000,000,000,000,000` is 19. Without its separators, the text's first run of digits is the integer part. -#}
    (length(regexp_extract({{ regexp_replace_all(printed_number_text(column), '[ ,]', '') }}, '[0-9]+', 0)) > 14)
{%- endmacro %}


{% macro printed_decimals(column) -%}
    {#- How many decimals a printed number carries ("176.1" -> 1, "36,179" -> 0, "１７６．１" -> 1): its precision. -#}
    length(coalesce(regexp_extract({{ printed_number_text(column) }}, '[.]([0-9]+)', 1), ''))
{%- endmacro %}


{% macro printed_number_text(column) -%}
    {#-
        The printed text with the Japanese printing conventions normalised (/work/shared/DOMAIN.md), trimmed:
        full-width digits ０-９, comma ，, period ．, plus ＋, percent ％ and parentheses （） become their ASCII
        forms; the full-width minus － (U+FF0D), the minus sign − (U+2212) and the negative marks ▲ and △
        become "-"; the full-width space (U+3000) becomes a space. translate() maps character for character,
        alike on DuckDB and Spark.
    -#}
    trim(translate({{ column }}, '０１２３４５６７８９，．＋％（）－−▲△　', '0123456789,.+%()---- '))
{%- endmacro %}


{% macro is_lone_dash(column) -%}
    {#-
        True when the printed text is a dash alone: "-", the full-width "－", the minus sign "−", the
        horizontal bar "―" (U+2015), the em dash "—" or the en dash "–", with spaces around it (full-width
        ones too). Japanese and English decks print it for nil ("no change") and for "not meaningful / not
        available": the seed row's qualifier says which (`nil`, `not_meaningful`).
    -#}
    (trim(translate({{ column }}, '　', ' ')) in ('-', '－', '−', '―', '—', '–'))
{%- endmacro %}
