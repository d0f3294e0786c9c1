"""`adapter.dispatch(name, 'kessan')` for sqlfluff: the project's DuckDB variant (macros/)."""

from __future__ import annotations

from typing import Any

from . import _macros


def dispatch(macro_name: str, macro_namespace: str | None = None) -> Any:
    return _macros.dispatch(macro_name, str(_macros.ROOT / "macros"))
