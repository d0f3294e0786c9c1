{% macro vocabulary(name) -%}
    {#-
        The closed vocabularies of the seeds' enumerated columns: the one definition of each, read by the
        `in_vocabulary` tests in models/staging/_staging.yml. They live here, beside the SQL, not in a seed: the
        models compare against these very words (`scenario = 'actual'`, `basis = 'yoy_change'`, `rounding =
        'truncate'` ...), so a word added to a seed would load and then be ignored by every model; a new word
        needs new SQL, and is added here with it. A vocabulary that is data (units, statements, line items) is a
        seed, and `references_exist` checks it. docs/decisions.md D29.
    -#}
    {%- set vocabularies = {
        'scenario': ['actual', 'target', 'estimate'],
        'basis': ['value', 'yoy_pct', 'yoy_change', 'pct_of_revenue'],
        'qualifier': ['approx', 'over', 'nil', 'not_meaningful'],
        'period_kind': ['duration', 'instant'],
        'sign': ['1', '-1'],
        'dimension': ['money', 'per_share', 'ratio', 'count'],
        'base_unit': ['jpy_million', 'jpy', 'fraction', 'count'],
        'month': ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'],
        'fiscal_year_named_by': ['start', 'end'],
        'rounding': ['round', 'truncate'],
        'identity_kind': ['restatement', 'time_sum', 'pct_of_revenue', 'yoy_pct', 'yoy_change', 'sum', 'ratio',
            'ratio_change', 'growth'],
        'result_period_relation': ['same', 'closing'],
        'term_part': ['sum', 'numerator', 'denominator'],
        'period_relation': ['same', 'prior_year', 'opening', 'closing'],
        'expectation_suite': ['income_statement', 'segments', 'balance_sheet', 'cash_flow', 'plans',
            'reported_vs_derived'],
    } -%}
    {%- if name not in vocabularies -%}
        {{ exceptions.raise_compiler_error("vocabulary: no vocabulary named " ~ name) }}
    {%- endif -%}
    {{ return(vocabularies[name]) }}
{%- endmacro %}
