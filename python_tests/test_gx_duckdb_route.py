"""Pins the route by which Great Expectations reads DuckDB: kessan.gx_duckdb's workaround.

GX 1.24.1 fails every metric on a DuckDB file (issues #10738, #11579). These tests prove that it still
does without the workaround (so we learn when upstream fixed it and the patch can go) and that with it an
UnexpectedRowsExpectation returns its rows, Decimals intact. Each GX run is a subprocess, so that neither
the patch nor the DuckDB lock of GX's persisted connection leaks into the test process.
"""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
GX_VERSION = "1.24.1"

# Argument 1: the DuckDB file; argument 2: "patched" or "unpatched". Prints one JSON line per expectation.
CHILD = textwrap.dedent(
    """
    import json, os, sys
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    if sys.argv[2] == "patched":
        from kessan.gx_duckdb import enable_duckdb_persisted_connection
        enable_duckdb_persisted_connection()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    datasource = context.data_sources.add_sql(
        name="db", connection_string="duckdb:///" + sys.argv[1], kwargs={"connect_args": {"read_only": True}}
    )
    batch = datasource.add_table_asset(name="checks", table_name="checks").add_batch_definition_whole_table("all")
    suite = context.suites.add(gx.ExpectationSuite(name="s", expectations=[
        gx.expectations.UnexpectedRowsExpectation(
            description="failing", unexpected_rows_query="select * from {batch} where abs(residual) > tolerance"
        ),
        gx.expectations.UnexpectedRowsExpectation(
            description="passing", unexpected_rows_query="select * from {batch} where residual is null"
        ),
    ]))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name="v", data=batch, suite=suite))
    for result in definition.run(result_format="COMPLETE").results:
        info = result.exception_info or {}
        errors = [e.get("exception_message") for e in [info, *info.values()]
                  if isinstance(e, dict) and e.get("raised_exception")]
        rows = ((result.result or {}).get("details") or {}).get("unexpected_rows")
        print(json.dumps({
            "description": result.expectation_config.description,
            "success": result.success,
            "errors": errors,
            "rows": None if rows is None else [
                {key: [type(value).__name__, str(value)] for key, value in row.items()} for row in rows
            ],
        }))
    """
)


@pytest.fixture(scope="module")
def checks_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file with a table of checks, one beyond its tolerance."""
    path = tmp_path_factory.mktemp("gx_route") / "checks.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table checks (check_id varchar, residual decimal(24, 6), tolerance decimal(24, 6))")
        con.execute("insert into checks values ('ok', 0.001, 0.5), ('bad', -10, 2.5)")
    return path


def run_child(db_path: Path, mode: str) -> dict[str, dict[str, Any]]:
    """Run CHILD; its results by expectation description."""
    process = subprocess.run(
        [sys.executable, "-c", CHILD, str(db_path), mode],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert process.returncode == 0, process.stderr[-3000:]
    results = [json.loads(line) for line in process.stdout.splitlines() if line.startswith("{")]
    return {result["description"]: result for result in results}


def test_great_expectations_version_is_pinned() -> None:
    version = importlib.metadata.version("great_expectations")
    assert version == GX_VERSION, (
        f"great_expectations is {version}, not {GX_VERSION}: re-check the DuckDB workaround in kessan/gx_duckdb.py "
        "(GX issues #10738, #11579) and this test before upgrading."
    )


def test_without_the_workaround_gx_cannot_read_duckdb(checks_db: Path) -> None:
    results = run_child(checks_db, "unpatched")
    assert results["failing"]["errors"] and results["passing"]["errors"], (
        "GX now reads DuckDB without kessan.gx_duckdb's workaround: upstream fixed issues #10738 / #11579, so "
        f"the workaround can probably be removed. Results: {results}"
    )
    assert results["failing"]["success"] is False and results["passing"]["success"] is False


def test_with_the_workaround_unexpected_rows_come_back(checks_db: Path) -> None:
    results = run_child(checks_db, "patched")
    failing, passing = results["failing"], results["passing"]
    assert failing["errors"] == [] and passing["errors"] == [], results
    assert failing["success"] is False
    assert failing["rows"] == [
        {"check_id": ["str", "bad"], "residual": ["Decimal", "-10.000000"], "tolerance": ["Decimal", "2.500000"]}
    ]
    assert passing["success"] is True and passing["rows"] == []


def test_the_workaround_is_idempotent_and_checks_gx_internals(monkeypatch: pytest.MonkeyPatch) -> None:
    import great_expectations.execution_engine.sqlalchemy_execution_engine as engine_module

    from kessan import gx_duckdb

    monkeypatch.setattr(engine_module, "_PERSISTED_CONNECTION_DIALECTS", engine_module._PERSISTED_CONNECTION_DIALECTS)
    gx_duckdb.enable_duckdb_persisted_connection()
    gx_duckdb.enable_duckdb_persisted_connection()
    dialects = engine_module._PERSISTED_CONNECTION_DIALECTS
    assert [d for d in dialects if d == "duckdb"] == ["duckdb"]
    assert engine_module._dialect_requires_persisted_connection(connection_string="duckdb:////tmp/x.duckdb")

    monkeypatch.delattr(engine_module, "_PERSISTED_CONNECTION_DIALECTS")
    with pytest.raises(RuntimeError, match="#10738"):
        gx_duckdb.enable_duckdb_persisted_connection()
