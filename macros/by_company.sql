{#-
    Building by company (docs/decisions.md D36). With the var `changed_companies` (a list of company ids: the
    companies whose inputs changed since the published build, which kessan.changes finds and kessan.build passes),
    every model keyed by company is an incremental model: it reads only those companies' rows
    (for_changed_companies), and replaces only their rows in its table (the strategy replace_companies). Without
    the var every model is a table built from everything, as plain `dbt build` and a full refresh build it.
-#}

{% macro changed_companies() -%}
    {#- The var `changed_companies`: a list of company ids, or none when the build is not by company. -#}
    {%- set companies = var('changed_companies', none) -%}
    {%- if companies is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if companies is string or companies is mapping or companies is not iterable -%}
        {{ exceptions.raise_compiler_error(
            "the var changed_companies must be a list of company ids, not " ~ companies | tojson
        ) }}
    {%- endif -%}
    {%- for company in companies -%}
        {%- if company is not string or not company | trim or "'" in company -%}
            {{ exceptions.raise_compiler_error(
                "the var changed_companies holds " ~ company | tojson ~ ", which is no company id"
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if target.type != 'duckdb' -%}
        {{ exceptions.raise_compiler_error(
            "a build by company (the var changed_companies) replaces rows with DuckDB's delete and insert: DuckDB "
            ~ "only (target type " ~ target.type ~ ")"
        ) }}
    {%- endif -%}
    {{ return(companies | list) }}
{%- endmacro %}


{% macro company_list() -%}
    {#- The changed companies as the list of an SQL `in`: ('A', 'B'), or (null) when there are none. -#}
    {%- set companies = changed_companies() or [] -%}
    ({% for company in companies %}'{{ company }}'{{ ", " if not loop.last }}{% else %}null{% endfor %})
{%- endmacro %}


{% macro by_company_materialization() -%}
    {#- A model keyed by company: incremental in a build by company, else a table. dbt_project.yml spells the same
        rule for the folders (it cannot call the project's macros). -#}
    {{ return('incremental' if changed_companies() is not none else 'table') }}
{%- endmacro %}


{% macro for_changed_companies(keyword='where') -%}
    {#- The `where` (or, after one, `and`) of an import CTE that reads a relation keyed by company: only the
        changed companies' rows when the model is built by company (incremental, its table already there), else
        nothing. -#}
    {#- A unit test's inputs are its fixtures, whole (and is_incremental() cannot look its model's table up). -#}
    {%- if changed_companies() is not none and model.resource_type != 'unit_test' and is_incremental() -%}
    {{ keyword }} company_id in {{ company_list() }}
    {%- endif -%}
{%- endmacro %}


{% macro get_incremental_replace_companies_sql(arg_dict) -%}
    {#-
        The incremental strategy `replace_companies`: the changed companies' rows of the table are deleted, and the
        model's new rows (only theirs: its inputs were read through for_changed_companies) are inserted. Unlike
        dbt's delete+insert, a company whose rows are all gone loses them. A row of another company (a model that
        read an input unfiltered) stops the build, naming the model, rather than doubling that company's rows.
    -#}
    {%- set target_relation = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    select error('{{ this.identifier }} computed rows of companies other than the changed ones '
        || '(an input read without for_changed_companies): ' || string_agg(distinct coalesce(company_id, 'null'), ', '))
    from {{ arg_dict['temp_relation'] }}
    where company_id is null or company_id not in {{ company_list() }}
    having count(*) > 0;

    delete from {{ target_relation }}
    where company_id in {{ company_list() }};

    insert into {{ target_relation }} ({{ columns }})
    select {{ columns }}
    from {{ arg_dict['temp_relation'] }}
{%- endmacro %}


{% macro default__get_where_subquery(relation) -%}
    {#-
        dbt's generic tests read the tested model through this macro (dbt's own, with its `where` config), here
        also limited to the changed companies when the model was built by company: the other companies' rows are
        the published ones, which passed these tests when they were built.
    -#}
    {%- set filters = [] -%}
    {%- if config.get('where') -%}
        {%- do filters.append(config.get('where')) -%}
    {%- endif -%}
    {%- if execute and changed_companies() is not none and model.attached_node in graph.nodes
        and graph.nodes[model.attached_node].config.materialized == 'incremental' -%}
        {%- do filters.append('company_id in ' ~ company_list()) -%}
    {%- endif -%}
    {%- if filters -%}
        {%- do return('(select * from ' ~ relation ~ ' where (' ~ filters | join(') and (') ~ ')) dbt_subquery') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}
