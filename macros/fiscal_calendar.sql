{% macro fiscal_year_end_date(fiscal_year, end_month, named_by) -%}
    {#-
        The last day of fiscal year `fiscal_year` of a calendar whose years end in month `end_month` and are named
        by their `start` or `end` (seed `companies`): month M of year N (named by its end) or of N + 1 (named by its
        start, unless M = 12). The one definition of a company's calendar (int_fiscal_periods, and the missing-quarter
        test, which reads the staging models only).
    -#}
    last_day(
        make_date(
            cast(
                {{ fiscal_year }} + case when {{ named_by }} = 'start' and {{ end_month }} < 12 then 1 else 0 end
                as bigint
            ),
            {{ end_month }},
            1
        )
    )
{%- endmacro %}


{% macro calendar_in_force(column, fiscal_year, companies='companies') -%}
    {#-
        The company's calendar `column` (fiscal_year_end_month or fiscal_year_named_by) in force for `fiscal_year`:
        the previous calendar before the year its calendar changed in (`calendar_changed_in_fiscal_year`), the
        current one from then on.
    -#}
    case
        when {{ fiscal_year }} < {{ companies }}.calendar_changed_in_fiscal_year
            then {{ companies }}.previous_{{ column }}
        else {{ companies }}.{{ column }}
    end
{%- endmacro %}
