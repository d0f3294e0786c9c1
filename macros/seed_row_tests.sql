{% macro seed_row_test_seed(test_name, tested, seed) -%}
    {#- The seed a tested staging model reads: `seed` when given, else the model's name without `stg_`. `tested` is
        the relation the test reads; when that is a subquery (a `where` config, or a build by company:
        macros/by_company.sql), the model is the one the test node (the context's `model`) is attached to. -#}
    {%- if seed is not none -%}
        {{ return(seed) }}
    {%- endif -%}
    {%- if tested.identifier is defined -%}
        {{ return(tested.identifier | replace('stg_', '', 1)) }}
    {%- endif -%}
    {%- if execute and model.attached_node in graph.nodes -%}
        {{ return(graph.nodes[model.attached_node].alias | replace('stg_', '', 1)) }}
    {%- endif -%}
    {%- if execute -%}
        {{ exceptions.raise_compiler_error(test_name ~ ": pass `seed`: the tested model is not known") }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}


{% macro seed_row_test_figure(figure, seed='reported_figures') -%}
    {#- SQL naming a row of `seed` by its key: `figure` when given, else the seed's own naming (a reported figure:
        company, line item, period, scenario, basis, slide). Every seed's key columns keep their names in staging,
        so the same SQL names a row of the seed and of its staging model. -#}
    {%- set figures = {
        'reported_figures':
            "concat(company_id, ' ', line_item_id, ' ', period_code, ' (', scenario, ', ', basis, '), slide ', slide_id)",
        'companies': "concat('company ', coalesce(company_id, 'null'))",
        'source_documents': "concat('document ', coalesce(document_id, 'null'))",
        'slides': "concat('slide ', coalesce(document_id, 'null'), ':', coalesce(slide_id, 'null'))",
        'line_items': "concat('line item ', coalesce(line_item_id, 'null'))",
        'units': "concat('unit ', coalesce(unit_id, 'null'))",
        'statements': "concat('statement ', coalesce(statement, 'null'))",
        'segments': "concat('segment ', coalesce(segment_id, 'null'))",
        'identities': "concat('identity ', coalesce(identity_id, 'null'))",
        'identity_terms':
            "concat('identity ', coalesce(identity_id, 'null'), ' term ', coalesce(line_item_id, 'constant'))",
        'reconciliation_exceptions': "concat('exception ', coalesce(check_id, 'null'))",
    } -%}
    {{ return(figure or figures[seed]) }}
{%- endmacro %}
