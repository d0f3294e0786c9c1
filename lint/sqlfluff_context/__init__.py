"""What sqlfluff's jinja templater lacks of dbt's context (`.sqlfluff`, `library_path`): `adapter.dispatch`,
the `dbt` namespace of cross-database macros, and `target`, each rendering the SQL of the DuckDB build, so the
linter reads what DuckDB runs. Lint only: dbt never imports this.
"""

from typing import Any

from sqlfluff.core.templaters.builtins.dbt import DBT_BUILTINS

# The vars whose value shapes a model's SQL, as a build by company passes them (sqlfluff renders is_incremental()
# as true, so the linter reads the by-company SQL: the import CTEs' `where company_id in (...)`).
VARS = {"changed_companies": ["company"]}


def var(name: str, default: Any = None) -> Any:
    """dbt's `var`: the values above, else sqlfluff's placeholder."""
    return VARS[name] if name in VARS else DBT_BUILTINS["var"](name, default)


class _Model:
    """dbt's `model` as the by-company macros read it (macros/by_company.sql): a model, not a unit test."""

    resource_type = "model"


model = _Model()
