{% macro identity_term_slots() -%}
    {#-
        How many terms an identity of the `identity_terms` seed may have: int_checks_defined_identities
        keeps one slot per term for the figures each term used. A constant, not read from the seed when the
        model runs, so dbt's unit tests (which replace the seed with fixtures) compile the model unchanged;
        tests/assert_identity_terms_fit_slots.sql fails the build, naming the identity, if one has more.
    -#}
    {{ return(8) }}
{%- endmacro %}


{% macro by_term_slot(column, slot_column) -%}
    {#-
        An array of one aggregate per identity term slot, `max(c) filter (where slot = 1)` ... `slot = n`,
        n = identity_term_slots(), the empty slots (NULL) left out: each element one term's value of `column`
        (list or scalar), in slot order. A max() per slot rather than one list() aggregate: DuckDB spills max()
        states to disk but not list(). (Without the NULLs, flatten() of it is the same on DuckDB, which skips
        NULL elements, and on Spark, which returns NULL for any.)
    -#}
    {%- set slots = [] -%}
    {%- for slot in range(1, identity_term_slots() + 1) -%}
        {%- do slots.append('max(' ~ column ~ ') filter (where ' ~ slot_column ~ ' = ' ~ slot ~ ')') -%}
    {%- endfor -%}
    {{ array_without_nulls(slots) }}
{%- endmacro %}
