{% macro identity_term_slots() -%}
    {#-
        The most terms any identity of the `identity_terms` seed has (read when the model runs, as
        `to_base_unit` reads the units): int_checks_defined_identities keeps one slot per term for the
        figures each term used.
    -#}
    {%- set identity_terms = ref('identity_terms') -%}
    {%- if execute -%}
        {%- set query -%}
            select max(terms) from (
                select count(*) as terms from {{ identity_terms }} group by identity_id
            ) as counts
        {%- endset -%}
        {{ return(run_query(query).columns[0].values()[0] | int) }}
    {%- endif -%}
    {{ return(1) }}
{%- endmacro %}


{% macro by_term_slot(column, slot_column) -%}
    {#-
        A list of one aggregate per identity term slot: `[max(c) filter (where slot = 1), ..., slot = n]`,
        n = identity_term_slots(). Each slot holds one term's value of `column` (list or scalar), in slot order.
        A max() per slot rather than one list() aggregate: DuckDB spills max() states to disk but not list().
    -#}
    [
    {%- for slot in range(1, identity_term_slots() + 1) -%}
        max({{ column }}) filter (where {{ slot_column }} = {{ slot }}){{ ', ' if not loop.last }}
    {%- endfor -%}
    ]
{%- endmacro %}
