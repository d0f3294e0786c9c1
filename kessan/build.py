"""Build the warehouse with `dbt build`, validate it, and show every failure in a form that says what to fix.

Usage (from the project directory; `make build` runs it):

    python -m kessan.build [dbt build options, e.g. --select stg_reported_figures+]

The build is always a full refresh: the seeds are small, and reloading them means a seed whose columns
changed never meets the table of its old shape. When dbt succeeds, the Great Expectations suites run
(`python -m kessan.validate`, in its own process: it holds the DuckDB file read-only while it runs).

The dbt project and its profiles.yml are the current directory's. The DuckDB file is
$KESSAN_DB_PATH (as in profiles.yml; default warehouse/kessan.duckdb); its folder is created if missing.

After the build, each failed data test is printed with the model it tests, its number of failing rows
and up to MAX_ROWS of them, read from the relation dbt stored them in (`+store_failures: true` in
dbt_project.yml). Each errored node is printed with dbt's error message. The last line sums up.

Exit status: 0 when nothing failed or errored (warnings allowed), 1 when something did (in dbt or in
the validation), 2 when dbt or Great Expectations itself could not run (e.g. a YAML or Jinja error).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

DEFAULT_DB_PATH = "warehouse/kessan.duckdb"  # profiles.yml's default when KESSAN_DB_PATH is not set
MAX_ROWS = 20  # failing rows printed per test
MAX_CELL = 40  # characters per table cell
MAX_TABLE_WIDTH = 240  # columns past this width are left out of the table (they are in the stored relation)
# Columns printed first when a failing row has them: where the bad input is, and what is wrong.
PREFERRED_COLUMNS = ("seed_name", "seed_line", "seed_lines", "figure_id", "figure", "message")
# dbt node statuses -> summary buckets.
BUCKETS = {
    "success": "pass",
    "pass": "pass",
    "warn": "warn",
    "fail": "fail",
    "error": "error",
    "runtime error": "error",
    "partial success": "error",
    "skipped": "skip",
    "no-op": "no-op",
}


def database_path(project_dir: Path) -> Path:
    """The DuckDB file profiles.yml points dbt at, as an absolute path."""
    path = Path(os.environ.get("KESSAN_DB_PATH", DEFAULT_DB_PATH))
    return path if path.is_absolute() else project_dir / path


def release_warehouse() -> None:
    """Close the DuckDB instance dbt built with, so that the file can be opened read-only.

    dbt-duckdb keeps its instance open for the life of the process (`keep_open` defaults to true), so
    after dbtRunner returns this process still holds the file, and DuckDB refuses a read-only
    connection to it ("different configuration than existing connections"). close_all_connections()
    is what dbt-duckdb itself runs at exit: it drops the instance, which closes the file.
    """
    DuckDBConnectionManager.close_all_connections()


def read_rows(db_path: Path, relation: str, limit: int) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Columns (preferred ones first) and up to `limit` rows of a relation, opening the file read-only."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        try:  # in column order, i.e. by seed and CSV line for the tests in tests/generic
            cursor = connection.execute(f"select * from {relation} order by all limit {int(limit)}")
        except duckdb.Error:  # a column type without an order
            cursor = connection.execute(f"select * from {relation} limit {int(limit)}")
        columns = [description[0] for description in cursor.description]
        rows = cursor.fetchall()
    order = sorted(range(len(columns)), key=lambda i: (columns[i] not in PREFERRED_COLUMNS, i))
    return [columns[i] for i in order], [tuple(row[i] for i in order) for row in rows]


def cell(value: Any) -> str:
    """One table cell: null for None, one line, at most MAX_CELL characters."""
    text = "null" if value is None else " ".join(str(value).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned text table; columns that would make it wider than MAX_TABLE_WIDTH are left out."""
    cells = [[cell(value) for value in row] for row in rows]
    widths: list[int] = []
    for i, column in enumerate(columns):
        width = max([len(column), *(len(row[i]) for row in cells)])
        if widths and sum(widths) + 3 * len(widths) + width > MAX_TABLE_WIDTH:
            break
        widths.append(width)
    shown = len(widths)
    lines = [
        " | ".join(column.ljust(width) for column, width in zip(columns, widths, strict=False)),
        "-+-".join("-" * width for width in widths),
        *(" | ".join(value.ljust(width) for value, width in zip(row, widths, strict=False)) for row in cells),
    ]
    if shown < len(columns):
        lines.append(f"(+ {len(columns) - shown} more columns: {', '.join(columns[shown:])})")
    return "\n".join(line.rstrip() for line in lines)


def banner(title: str) -> str:
    """A loud header line."""
    return f"\n{'=' * 100}\n{title}\n{'=' * 100}"


def tested_models(node: Any) -> str:
    """The model(s) a test node tests: its attached node, else the models and seeds it depends on."""
    attached = getattr(node, "attached_node", None)
    parents = [attached] if attached else [p for p in node.depends_on.nodes if p.split(".")[0] in ("model", "seed")]
    return ", ".join(parent.split(".", 2)[-1] for parent in parents) or "(none)"


def report_failed_test(result: Any, db_path: Path) -> None:
    """Print a failed test: name, tested model, failing row count and rows (or dbt's message)."""
    node = result.node
    print(banner(f"FAILED TEST  {node.name}"))
    print(f"tests:         {tested_models(node)}")
    print(f"failing rows:  {result.failures}")
    relation = getattr(node, "relation_name", None)
    if not relation:  # a unit test, or a data test without stored failures: dbt's message says it all
        print(result.message or "")
        return
    print(f"stored in:     {relation}")
    try:
        columns, rows = read_rows(db_path, relation, MAX_ROWS)
    except duckdb.Error as error:
        print(f"(could not read the failing rows: {error})")
        return
    if "message" in columns:  # printed in full, and left out of the table
        position = columns.index("message")
        print()
        for row in rows:
            print(f"  * {row[position]}")
        columns = columns[:position] + columns[position + 1 :]
        rows = [row[:position] + row[position + 1 :] for row in rows]
    print()
    print(format_table(columns, rows))
    if (result.failures or 0) > len(rows):
        print(f"(first {len(rows)} of {result.failures} rows: select * from {relation})")


def report_error(result: Any) -> None:
    """Print a node that errored, with dbt's error message."""
    node = result.node
    print(banner(f"ERROR  {node.resource_type} {node.name}  ({node.original_file_path})"))
    print(result.message or "(no message)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run `dbt build` with the given extra arguments, report failures, return the exit status."""
    extra_args = list(sys.argv[1:] if argv is None else argv)
    project_dir = Path.cwd()
    db_path = database_path(project_dir)
    db_path.parent.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    args = [
        "build",
        "--full-refresh",
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        *extra_args,
    ]
    outcome = dbtRunner().invoke(args)
    release_warehouse()

    if outcome.result is None or not hasattr(outcome.result, "results"):
        print(banner("dbt could not run"))
        print(outcome.exception or "(no exception reported)")
        print(f"kessan build: dbt did not run ({time.monotonic() - started:.1f} s)")
        return 2

    counts: Counter[str] = Counter()
    for result in outcome.result.results:
        bucket = BUCKETS.get(str(result.status), "error")
        counts[bucket] += 1
        if bucket == "fail":
            report_failed_test(result, db_path)
        elif bucket == "error":
            report_error(result)

    failed = counts["fail"] + counts["error"] > 0 or not outcome.success
    summary = " ".join(f"{name.upper()}={counts[name]}" for name in ("pass", "warn", "fail", "error", "skip"))
    elapsed = time.monotonic() - started
    print(f"\nkessan build: {'FAILED' if failed else 'OK'}  {summary}  in {elapsed:.1f} s  ({db_path})")
    if failed:
        print("kessan build: the accounting identities were not validated: fix the build first")
        return 1
    return validate(db_path)


def validate(db_path: Path) -> int:
    """Run the Great Expectations suites over the built warehouse in a child process; its exit status."""
    print(banner("Validating the accounting identities (expectations/*.json)"), flush=True)
    environment = {**os.environ, "KESSAN_DB_PATH": str(db_path)}
    return subprocess.run([sys.executable, "-m", "kessan.validate"], env=environment, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
