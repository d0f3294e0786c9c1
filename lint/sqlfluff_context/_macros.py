"""Loads macros from .sql files into a plain Jinja module, to call them as dbt's dispatch would on DuckDB."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def module(*folders: str) -> Any:
    source = "\n".join(path.read_text() for folder in folders for path in sorted(Path(folder).glob("*.sql")))
    environment = jinja2.Environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])
    return environment.from_string(source).module


def dispatch(name: str, *folders: str) -> Any:
    """The DuckDB variant of macro `name`: duckdb__name, else default__name, as dbt dispatches."""
    macros = module(*folders)
    for prefix in ("duckdb__", "default__"):
        if hasattr(macros, prefix + name):
            return getattr(macros, prefix + name)
    raise AttributeError(f"no duckdb__ or default__ variant of {name} in {folders}")
