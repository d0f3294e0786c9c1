{% macro report_failures(results, max_rows=20) -%}
    {#-
        on-run-end (dbt_project.yml): for every data test that failed, print the `message` column of up to
        `max_rows` of its failing rows (its compiled query, run again) in dbt's own output, so that plain `dbt build`
        names the seed file, line, figure and value, as kessan.build does. Tests without a `message` column are
        left to dbt's "Got N results". Skipped when kessan.build runs dbt (KESSAN_REPORTS_FAILURES): it prints
        the failing rows itself.
    -#}
    {%- if execute and not env_var('KESSAN_REPORTS_FAILURES', '') -%}
        {%- for result in results
            if result.node.resource_type == 'test' and result.status | string in ('fail', 'warn')
            and result.node.compiled_code -%}
            {%- set rows = run_query(
                'select * from (' ~ result.node.compiled_code ~ ') as failing limit ' ~ (max_rows | int)
            ) -%}
            {%- if 'message' in rows.column_names -%}
                {%- do log('', info=true) -%}
                {%- do log(
                    result.status | string | upper ~ ' ' ~ result.node.name ~ ': ' ~ result.failures
                    ~ ' failing row(s) (the query: ' ~ result.node.compiled_path ~ ')',
                    info=true
                ) -%}
                {%- for row in rows -%}
                    {%- do log('  * ' ~ row['message'], info=true) -%}
                {%- endfor -%}
                {%- if (result.failures or 0) > rows | length -%}
                    {%- do log('  ... and ' ~ (result.failures - rows | length) ~ ' more', info=true) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
