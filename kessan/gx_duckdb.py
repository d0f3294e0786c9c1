"""The one workaround that lets Great Expectations (GX Core 1.24.1) validate a DuckDB file.

GX's SQL execution engine opens a pooled SQLAlchemy connection per metric query and closes it (a ROLLBACK)
before it has read the results. With duckdb-engine the results are gone by then, so every metric fails:
"list index out of range" for column metrics, "'NoneType' object is not subscriptable" for
UnexpectedRowsExpectation. Upstream: https://github.com/great-expectations/great_expectations/issues/10738
and https://github.com/great-expectations/great_expectations/issues/11579.

GX already keeps ONE persisted connection (a StaticPool engine plus `engine._connection`) for the dialects
listed in `sqlalchemy_execution_engine._PERSISTED_CONNECTION_DIALECTS` (sqlite, mssql, bigquery,
databricks). Adding "duckdb" there makes GX read every result on a connection that stays open. Two code
paths read the tuple at call time, in two ways, so the entry must satisfy both:

* `_dialect_requires_persisted_connection()` calls `connection_string.startswith(entry.value)`;
* `SqlAlchemyExecutionEngine.get_connection()` tests `self.dialect_name in _PERSISTED_CONNECTION_DIALECTS`.

The entry is therefore a `str` equal to "duckdb" with a `.value` property. The persisted connection holds the
DuckDB file's lock for as long as the process lives: open the file read-only
(`kwargs={"connect_args": {"read_only": True}}`) and validate in a process of its own, after dbt finished.

python_tests/test_gx_duckdb_route.py pins GX's version, checks that GX still fails without this patch
(so we learn when it can go) and that it works with it.
"""

from __future__ import annotations

import great_expectations.execution_engine.sqlalchemy_execution_engine as _engine_module

DIALECT = "duckdb"
_TUPLE_NAME = "_PERSISTED_CONNECTION_DIALECTS"


class _DuckDBDialect(str):
    """ "duckdb" as GX's two code paths want it: a `str` (for `in`) with a `.value` (for `startswith`)."""

    @property
    def value(self) -> str:
        return str(self)


def _check_gx_internals() -> None:
    """Raise RuntimeError unless the GX internals this workaround relies on are still there."""
    problems: list[str] = []
    dialects = getattr(_engine_module, _TUPLE_NAME, None)
    if not isinstance(dialects, tuple) or not all(hasattr(d, "value") for d in dialects):
        problems.append(f"{_engine_module.__name__}.{_TUPLE_NAME} is no longer a tuple of dialects with `.value`")
    engine_class = getattr(_engine_module, "SqlAlchemyExecutionEngine", None)
    readers = {  # the functions that must read the tuple (get_connection is wrapped by @contextmanager)
        "_dialect_requires_persisted_connection": getattr(
            _engine_module, "_dialect_requires_persisted_connection", None
        ),
        "SqlAlchemyExecutionEngine.get_connection": getattr(
            getattr(engine_class, "get_connection", None), "__wrapped__", None
        ),
    }
    for name, function in readers.items():
        code = getattr(function, "__code__", None)
        if code is None or _TUPLE_NAME not in code.co_names:
            problems.append(f"{name} no longer reads {_TUPLE_NAME}")
    if problems:
        raise RuntimeError(
            "kessan.gx_duckdb: the Great Expectations internals the DuckDB workaround patches have changed ("
            + "; ".join(problems)
            + "). Re-check GX issues #10738 / #11579: the workaround may be unnecessary or need rewriting."
        )


def enable_duckdb_persisted_connection() -> None:
    """Make GX keep one persisted SQLAlchemy connection for DuckDB, as it does for SQLite. Idempotent.

    Call it before the first validation runs (GX reads the setting when it builds its execution engine).
    Raises RuntimeError if the GX internals it patches have changed (e.g. after a GX upgrade).
    """
    _check_gx_internals()
    dialects: tuple[object, ...] = getattr(_engine_module, _TUPLE_NAME)
    if DIALECT not in dialects:
        setattr(_engine_module, _TUPLE_NAME, (*dialects, _DuckDBDialect(DIALECT)))
