"""`dbt.<macro>(...)` for sqlfluff: dbt's cross-database macros as dbt-duckdb renders them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dbt.include.duckdb
import dbt.include.global_project

from . import _macros

FOLDERS = (
    str(Path(dbt.include.duckdb.PACKAGE_PATH) / "macros" / "utils"),
    str(Path(dbt.include.global_project.PACKAGE_PATH) / "macros" / "utils"),
)


def __getattr__(name: str) -> Any:
    macro = _macros.dispatch(name, *FOLDERS)

    def rendered(*args: Any, **kwargs: Any) -> str:
        # dbt's macros are laid out over several indented lines; on one line, the linter reads the SQL around them.
        return " ".join(str(macro(*args, **kwargs)).split())

    return rendered
