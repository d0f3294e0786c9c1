"""What sqlfluff's jinja templater lacks of dbt's context (`.sqlfluff`, `library_path`): `adapter.dispatch`,
the `dbt` namespace of cross-database macros, and `target`, each rendering the SQL of the DuckDB build, so the
linter reads what DuckDB runs. Lint only: dbt never imports this.
"""
