{% macro seed_row_test_seed(test_name, model, seed) -%}
    {#- The seed a tested staging model reads: `seed` when given, else the model's name without `stg_`. -#}
    {%- if seed is not none -%}
        {{ return(seed) }}
    {%- endif -%}
    {%- if model.identifier is not defined -%}
        {{ exceptions.raise_compiler_error(test_name ~ ": pass `seed` when the test has a `where` config") }}
    {%- endif -%}
    {{ return(model.identifier | replace('stg_', '', 1)) }}
{%- endmacro %}


{% macro seed_row_test_figure(figure) -%}
    {#- SQL naming a row's figure: `figure` when given, else company, line item, period, scenario, basis, slide. -#}
    {{ return(figure or (
        "concat(company_id, ' ', line_item_id, ' ', period_code, ' (', scenario, ', ', basis, '), slide ', slide_id)"
    )) }}
{%- endmacro %}
