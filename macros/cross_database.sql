{#-
    SQL that DuckDB and Spark spell differently, for what dbt's own cross-database macros (dbt.safe_cast,
    dbt.array_construct, dbt.array_concat ...) do not cover. Each macro dispatches (`adapter.dispatch(..., 'kessan')`)
    to `default__` (DuckDB's SQL, the project's engine: the DuckDB warehouse is built from exactly this) or
    `spark__` (Apache Spark 3.5; dbt-databricks falls back to it too). docs/decisions.md D21.
-#}

{% macro regexp_full_match(expression, pattern) -%}
    {#- True when the whole of `expression` matches the regular expression `pattern` (no backslashes: DuckDB and
        Spark read them differently in string literals; write [0-9], [.], [(] instead). -#}
    {{ return(adapter.dispatch('regexp_full_match', 'kessan')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regexp_full_match(expression, pattern) -%}
    ({{ expression }} rlike '^(?:{{ pattern }})$')
{%- endmacro %}


{% macro regexp_replace_all(expression, pattern, replacement) -%}
    {#- Every match of `pattern` in `expression` replaced by `replacement`. -#}
    {{ return(adapter.dispatch('regexp_replace_all', 'kessan')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}


{% macro try_to_date(expression) -%}
    {#- An ISO date ('2018-03-31') as a DATE; NULL when the text is not one. -#}
    {{ return(adapter.dispatch('try_to_date', 'kessan')(expression)) }}
{%- endmacro %}

{% macro default__try_to_date(expression) -%}
    cast(try_strptime({{ expression }}, '%Y-%m-%d') as date)
{%- endmacro %}

{% macro spark__try_to_date(expression) -%}
    {#- NULL on a mismatch with ANSI mode off, which dbt-spark enforces. -#}
    to_date({{ expression }}, 'yyyy-MM-dd')
{%- endmacro %}


{% macro add_months(date_expression, months) -%}
    {#- The DATE `months` calendar months after `date_expression` (a month-end clamps: Jan 31 + 1 -> Feb 28). -#}
    {{ return(adapter.dispatch('add_months', 'kessan')(date_expression, months)) }}
{%- endmacro %}

{% macro default__add_months(date_expression, months) -%}
    cast({{ date_expression }} + to_months({{ months }}) as date)
{%- endmacro %}

{% macro spark__add_months(date_expression, months) -%}
    add_months({{ date_expression }}, {{ months }})
{%- endmacro %}


{% macro add_days(date_expression, days) -%}
    {#- The DATE `days` days after `date_expression` (negative: before). -#}
    {{ return(adapter.dispatch('add_days', 'kessan')(date_expression, days)) }}
{%- endmacro %}

{% macro default__add_days(date_expression, days) -%}
    cast({{ date_expression }} + to_days({{ days }}) as date)
{%- endmacro %}

{% macro spark__add_days(date_expression, days) -%}
    date_add({{ date_expression }}, {{ days }})
{%- endmacro %}


{% macro integer_series(first, last) -%}
    {#- A select-list expression that yields one row per integer from `first` to `last` (set-returning). -#}
    {{ return(adapter.dispatch('integer_series', 'kessan')(first, last)) }}
{%- endmacro %}

{% macro default__integer_series(first, last) -%}
    unnest(generate_series({{ first }}, {{ last }}))
{%- endmacro %}

{% macro spark__integer_series(first, last) -%}
    explode(sequence({{ first }}, {{ last }}))
{%- endmacro %}


{% macro array_elements(array_expression) -%}
    {#- A select-list expression that yields one row per element of an array (set-returning). -#}
    {{ return(adapter.dispatch('array_elements', 'kessan')(array_expression)) }}
{%- endmacro %}

{% macro default__array_elements(array_expression) -%}
    unnest({{ array_expression }})
{%- endmacro %}

{% macro spark__array_elements(array_expression) -%}
    explode({{ array_expression }})
{%- endmacro %}


{% macro day_series(first, last) -%}
    {#- A select-list expression that yields one row per DATE from `first` to `last` (set-returning). -#}
    {{ return(adapter.dispatch('day_series', 'kessan')(first, last)) }}
{%- endmacro %}

{% macro default__day_series(first, last) -%}
    cast(unnest(generate_series({{ first }}, {{ last }}, interval 1 day)) as date)
{%- endmacro %}

{% macro spark__day_series(first, last) -%}
    explode(sequence({{ first }}, {{ last }}, interval 1 day))
{%- endmacro %}


{% macro array_agg_ordered(expression, order_by, where=none) -%}
    {#- Aggregate: the values of `expression` as an array, ordered by `order_by` (ties in any order), of the rows
        where `where` holds (all rows when none). NULL values are kept on DuckDB, dropped on Spark: filter them. -#}
    {{ return(adapter.dispatch('array_agg_ordered', 'kessan')(expression, order_by, where)) }}
{%- endmacro %}

{% macro default__array_agg_ordered(expression, order_by, where=none) -%}
    list({{ expression }} order by {{ order_by }}){% if where %} filter (where {{ where }}){% endif %}
{%- endmacro %}

{% macro spark__array_agg_ordered(expression, order_by, where=none) -%}
    transform(
        array_sort(
            collect_list(struct({{ order_by }} as sort_key, {{ expression }} as item))
            {%- if where %} filter (where {{ where }}){% endif %}
        ),
        entry -> entry.item
    )
{%- endmacro %}


{% macro array_without_nulls(elements) -%}
    {#- An array of the non-null values of the expressions `elements` (a list), in their order. -#}
    {{ return(adapter.dispatch('array_without_nulls', 'kessan')(elements)) }}
{%- endmacro %}

{% macro default__array_without_nulls(elements) -%}
    list_filter([{{ elements | join(', ') }}], lambda element: element is not null)
{%- endmacro %}

{% macro spark__array_without_nulls(elements) -%}
    filter(array({{ elements | join(', ') }}), element -> element is not null)
{%- endmacro %}


{% macro array_join(array_expression, separator) -%}
    {#- The elements of an array as text, joined by `separator` (NULL elements left out). -#}
    {{ return(adapter.dispatch('array_join', 'kessan')(array_expression, separator)) }}
{%- endmacro %}

{% macro default__array_join(array_expression, separator) -%}
    array_to_string({{ array_expression }}, '{{ separator }}')
{%- endmacro %}

{% macro spark__array_join(array_expression, separator) -%}
    array_join({{ array_expression }}, '{{ separator }}')
{%- endmacro %}


{% macro string_agg_ordered(expression, separator, order_by, distinct=false) -%}
    {#- Aggregate: the text values of `expression` joined by `separator`, ordered by `order_by`; `distinct`
        keeps each value once (then `order_by` must be `expression`). -#}
    {{ return(adapter.dispatch('string_agg_ordered', 'kessan')(expression, separator, order_by, distinct)) }}
{%- endmacro %}

{% macro default__string_agg_ordered(expression, separator, order_by, distinct=false) -%}
    string_agg({{ "distinct " if distinct }}{{ expression }}, '{{ separator }}' order by {{ order_by }})
{%- endmacro %}

{% macro spark__string_agg_ordered(expression, separator, order_by, distinct=false) -%}
    array_join(
        transform(
            array_sort({{ "collect_set" if distinct else "collect_list" }}(
                struct({{ order_by }} as sort_key, {{ expression }} as item)
            )),
            entry -> entry.item
        ),
        '{{ separator }}'
    )
{%- endmacro %}


{% macro star_except(relation, columns, alias) -%}
    {#- Every column of `alias` but `columns`, where `alias` names a CTE that selects `relation`'s columns (plus
        at most the excluded ones): DuckDB's `alias.* exclude (...)`; Spark has no `* except`, so there the
        columns of `relation` (a relation or a subquery) are listed, in order, when the model runs. -#}
    {{ return(adapter.dispatch('star_except', 'kessan')(relation, columns, alias)) }}
{%- endmacro %}

{% macro default__star_except(relation, columns, alias) -%}
    {{ alias }}.* exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(relation, columns, alias) -%}
    {%- if not execute -%}
        {{ return(alias ~ '.*') }}
    {%- endif -%}
    {%- set excluded = columns | map('lower') | list -%}
    {%- set kept = [] -%}
    {%- for column in get_columns_in_query('select * from ' ~ relation) -%}
        {%- if column | lower not in excluded -%}
            {%- do kept.append(alias ~ '.' ~ column) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ kept | join(', ') }}
{%- endmacro %}
