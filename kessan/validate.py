"""Enforce the data-quality outcomes of a build with Great Expectations, and document them as Data Docs.

Usage (from the project directory, after the build; `dbt` must not be writing the file):

    python -m kessan validate [--db PATH] [--docs-dir DIR] [--wait]

dbt evaluates every accounting identity in SQL and writes one row per check to `rpt_data_quality`. This
runner loads every suite of expectations/*.json and summarises the table their `meta.table` names, in two
passes of DuckDB over it, into a small DuckDB file of its own: `data_quality_suites`, one row per suite with its
counts of checks, passes, documented exceptions and failing checks, and `data_quality_findings`, the rows that
are not a plain pass (failing, stale, documented exceptions) or are malformed, each with its `problem`. The suites
validate that summary, never the whole check table (millions of rows at scale), in ONE checkpoint, and the
Data Docs go to DIR (default build/data_docs, emptied first if it holds only what kessan wrote: kessan.folders;
never the project or the warehouse folder, exit 2). The DuckDB file ($KESSAN_DB_PATH, default
warehouse/kessan.duckdb) is opened read-only.

With --wait it imports Great Expectations (seconds), then waits for a line `go` on its standard input before it
opens the file, and exits 0 at once on anything else or the end of input: kessan.build starts it this way,
alongside dbt, which is meanwhile building the file, and tells it to go when dbt has finished.

It prints a line per suite, every failing check as a readable line, the documented exceptions as notes,
the path of the Data Docs and the wall time.

Exit status: 0 when every expectation passed, 1 when a data expectation failed, 2 when Great Expectations
itself errored (a metric raised, e.g. bad SQL) or could not run, or the table could not be summarised (e.g. a
column the summary reads is missing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from kessan import data_docs
from kessan.conventions import database_path, figure_ids
from kessan.folders import UnsafeFolder, fresh_folder

DEFAULT_DOCS_DIR = "build/data_docs"
SUITES_DIR = "expectations"
DATASOURCE = "warehouse"
DOCS_SITE = "local_docs"
UNEXPECTED_ROWS_CAP = 200  # GX returns at most this many unexpected rows
MAX_VALUES = 20  # unexpected values printed for a column expectation
SUMMARY = "data_quality_suites"  # the summary's table per suite: the suites' batch
FINDINGS = "data_quality_findings"  # the summary's rows that are not a plain pass or are malformed
GO = "go"  # what kessan.build writes to a validator started with --wait once dbt has built the file


@dataclass
class SuiteOutcome:
    """What one suite's validation found."""

    suite: str
    checks: int  # rows of the table that belong to the suite
    passed: int = 0
    failures: list[str] = field(default_factory=list)  # readable blocks, one per failed expectation
    errors: list[str] = field(default_factory=list)  # GX errors, one per errored expectation


def number(value: Any) -> str:
    """A value as a person reads it: 176,051 / -10 / 2.5 / 0.116; null for None."""
    if value is None:
        return "null"
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return f"{Decimal(str(value)).normalize():,f}"
    return str(value)


def check_line(suite: str, row: Mapping[str, Any]) -> str:
    """One check of rpt_data_quality (a row with check_id and status) as a sentence."""
    status = row.get("status")
    if row.get("identity_id") is None:
        return (
            f"STALE {suite}: documented exception {row.get('check_id')} has no check any more "
            f"(documented residual {number(row.get('documented_residual'))}); remove or correct it in "
            "seeds/reconciliation_exceptions.csv"
        )
    figure = f"{row.get('line_item_id')} {row.get('period_code')} ({row.get('scenario')}, {row.get('basis')})"
    values = (
        f"reported {number(row.get('reported_value'))} vs derived {number(row.get('derived_value'))} "
        f"from [{row.get('derived_from_figure_ids')}]"
    )
    residual, tolerance = number(row.get("residual")), number(row.get("tolerance"))
    head = f"{suite}: {figure} — identity {row.get('identity_id')}: {values}"
    if status == "fail":
        return f"FAIL {head}; residual {residual} > tolerance {tolerance}"
    if status == "stale_exception":
        return (
            f"STALE {head}; residual {residual} <= tolerance {tolerance}: the documented exception (documented "
            f"residual {number(row.get('documented_residual'))}) reconciles now; remove it from "
            "seeds/reconciliation_exceptions.csv"
        )
    if status == "documented_exception":
        return (
            f"NOTE {head}; residual {residual} > tolerance {tolerance}, documented exception (documented residual "
            f"{number(row.get('documented_residual'))}): {row.get('exception_reason')}"
        )
    return f"FAIL {head}; residual {residual}, tolerance {tolerance}, status {status!r}"


def generic_line(suite: str, row: Mapping[str, Any]) -> str:
    """Any other unexpected row, as key=value pairs."""
    return f"FAIL {suite}: " + ", ".join(f"{key}={number(value)}" for key, value in row.items())


def gx_errors(result: Any) -> list[str]:
    """The exception messages of an expectation result (GX reports metric errors there; it does not raise)."""
    info = result.exception_info or {}
    entries = [info, *info.values()] if isinstance(info, dict) else []
    messages = [
        (str(entry.get("exception_message")).strip().splitlines() or ["?"])[0]  # the error, not the SQL after it
        for entry in entries
        if isinstance(entry, dict) and entry.get("raised_exception")
    ]
    return list(dict.fromkeys(messages))


def describe_failure(suite: str, result: Any) -> str:
    """A failed expectation and every unexpected row or value it found, one per line."""
    config = result.expectation_config
    lines = [f"--- {suite}: {config.description or config.type} ({config.type})"]
    details = result.result or {}
    rows = (details.get("details") or {}).get("unexpected_rows")
    if rows is not None:
        for row in rows:
            if row.get("problem"):  # a malformed row (reported_vs_derived's structure expectation)
                lines.append(
                    f"  MALFORMED {row.get('expectation_suite')}: check {row.get('check_id')}: {row['problem']}"
                )
                continue
            line = check_line if "check_id" in row and "status" in row else generic_line
            lines.append("  " + line(suite, row))
        observed = details.get("observed_value")
        if isinstance(observed, int) and observed > len(rows):
            lines.append(f"  ... and {observed - len(rows)} more (GX returns at most {UNEXPECTED_ROWS_CAP} rows)")
    else:
        values = details.get("unexpected_list") or details.get("partial_unexpected_list") or []
        count = details.get("unexpected_count", len(values))
        shown = ", ".join(number(value) for value in values[:MAX_VALUES])
        more = f" (first {MAX_VALUES})" if len(values) > MAX_VALUES else ""
        column = config.kwargs.get("column")
        lines.append(f"  FAIL {suite}: column {column}: {count} unexpected value(s){more}: {shown}")
        if "observed_value" in details:
            lines.append(f"  observed value: {details['observed_value']}")
    return "\n".join(lines)


def failing_check_rows(checkpoint_result: Any) -> Iterable[Mapping[str, Any]]:
    """Every unexpected row, of every failed expectation, that is a failing check of rpt_data_quality."""
    for validation in checkpoint_result.run_results.values():
        for result in validation.results:
            rows = ((result.result or {}).get("details") or {}).get("unexpected_rows") or []
            yield from (row for row in rows if row.get("is_failing"))


def suspects(seed_lines: Mapping[str, int], rows: Iterable[Mapping[str, Any]], most: int = 10) -> list[str]:
    """The printed figures the failing checks name, most often first, with the seed line of each.

    A wrong figure breaks every identity it is in, so the figure named by the most failing checks is the
    first place to look.
    """
    named: Counter[str] = Counter()
    identities: dict[str, set[str]] = {}
    for row in rows:
        for figure in figure_ids(row.get("reported_figure_ids"), row.get("derived_from_figure_ids")):
            named[figure] += 1
            identities.setdefault(figure, set()).add(str(row.get("identity_id")))
    return [
        f"  {figure}  (seeds/reported_figures.csv line {seed_lines.get(figure, '?')}): in {count} failing check(s):"
        f" {', '.join(sorted(identities[figure]))}"
        for figure, count in named.most_common(most)
    ]


def load_suites(suites_dir: Path) -> list[dict[str, Any]]:
    """Every suite JSON file of `suites_dir`, in name order."""
    return [json.loads(path.read_text()) for path in sorted(suites_dir.glob("*.json"))]


def quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


# What makes a row of the check table malformed, the first that applies (null: well formed). The suites'
# value sets (the suite names, the statuses) are theirs; these are the rules that need a row's columns together.
PROBLEM = """
    case
        when expectation_suite is null then 'no expectation suite'
        when expectation_suite not in ({suites}) then 'a suite no file under expectations/ enforces'
        when identity_id is null and status is distinct from 'stale_exception'
            then 'a row without a check (no identity) that is not a stale exception'
        when identity_id is not null
            and (reported_value is null or derived_value is null or residual is null or tolerance is null)
            then 'a check without its reported value, derived value, residual or tolerance'
        when tolerance < 0 then 'a negative tolerance'
        when status in ('documented_exception', 'stale_exception') and exception_reason is null
            then 'a documented exception without its reason'
    end"""


def summarise(db_path: Path, table: str, suite_names: Sequence[str], summary_path: Path) -> None:
    """Write the summary the suites validate into `summary_path`, a new DuckDB file: SUMMARY (one row per suite
    of `table`, the one place its checks are counted) and FINDINGS (its rows that are not a plain pass or are
    malformed, with their `problem`). Two passes over the table; it is attached read-only."""
    suites = ", ".join(f"'{name}'" for name in suite_names)
    with duckdb.connect(str(summary_path)) as con:
        con.execute("attach '" + str(db_path).replace("'", "''") + "' as warehouse (read_only)")
        con.execute(
            f"create table {FINDINGS} as select *, {PROBLEM.format(suites=suites)} as problem "
            f"from warehouse.main.{quoted(table)} "
            f"where status is distinct from 'pass' or {PROBLEM.format(suites=suites)} is not null"
        )
        con.execute(
            f"create table {SUMMARY} as "
            "select expectation_suite, count(*) as checks, count(*) filter (where status = 'pass') as passing, "
            "count(*) filter (where status = 'documented_exception') as documented_exceptions, "
            "count(*) filter (where is_failing) as failing "
            f"from warehouse.main.{quoted(table)} group by expectation_suite order by expectation_suite"
        )
        con.execute("detach warehouse")


def read_summary(summary_path: Path) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Checks per suite and the documented exceptions, from the summary (closed again before GX opens it)."""
    with duckdb.connect(str(summary_path), read_only=True) as con:
        checks = dict(con.execute(f"select expectation_suite, checks from {SUMMARY}").fetchall())
        cursor = con.execute(
            f"select * from {FINDINGS} where status = 'documented_exception' order by expectation_suite, check_id"
        )
        names = [column[0] for column in cursor.description]
        exceptions = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return checks, exceptions


def named_figures(rows: Iterable[Mapping[str, Any]]) -> set[str]:
    """The figure ids the rows name (reported and derived-from)."""
    named: set[str] = set()
    for row in rows:
        named.update(figure_ids(row.get("reported_figure_ids"), row.get("derived_from_figure_ids")))
    return named


def read_seed_lines(db_path: Path, figures: set[str]) -> dict[str, int]:
    """The seed line of each of `figures` (only those: the failing checks name a few; the warehouse may
    hold millions), read from the warehouse read-only (GX has the summary open, not the warehouse)."""
    if not figures:
        return {}
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            result = con.execute(
                "select figure_id, seed_line from fct_figures_as_reported where list_contains(?, figure_id)",
                [sorted(figures)],
            )
            return {figure: line for figure, line in result.fetchall()}
    except duckdb.Error:  # a warehouse without the figures (tests of the runner alone)
        return {}


def run_checkpoint(summary_path: Path, docs_dir: Path, suites: Sequence[dict[str, Any]]) -> Any:
    """Validate every suite against the summary in one checkpoint that also writes the Data Docs; the
    checkpoint's result."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from kessan.gx_duckdb import enable_duckdb_persisted_connection

    enable_duckdb_persisted_connection()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(
        site_name=DOCS_SITE,
        site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        },
    )
    datasource = context.data_sources.add_sql(
        name=DATASOURCE,
        connection_string=f"duckdb:///{summary_path}",
        kwargs={"connect_args": {"read_only": True}},
    )
    batch = datasource.add_table_asset(name=SUMMARY, table_name=SUMMARY).add_batch_definition_whole_table("whole")
    definitions = []
    for data in suites:
        suite = context.suites.add(gx.ExpectationSuite(**{key: value for key, value in data.items() if key != "id"}))
        definitions.append(
            context.validation_definitions.add(gx.ValidationDefinition(name=suite.name, data=batch, suite=suite))
        )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name="kessan",
            validation_definitions=definitions,
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=[DOCS_SITE])],
            result_format={"result_format": "COMPLETE"},
        )
    )
    return checkpoint.run()


def told_to_go() -> bool:
    """Import Great Expectations, then wait for kessan.build: whether it wrote GO (otherwise the build stopped
    before the validation, or the builder is gone: the end of input)."""
    import great_expectations  # noqa: F401  (the seconds this takes pass while dbt builds)

    import kessan.gx_duckdb  # noqa: F401

    return sys.stdin.readline().strip() == GO


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kessan validate", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        type=Path,
        default=database_path(),
        help="the DuckDB file, opened read-only (default: $KESSAN_DB_PATH or %(default)s)",
    )
    parser.add_argument(
        "--docs-dir",
        type=Path,
        default=Path(DEFAULT_DOCS_DIR),
        help="the Data Docs folder, emptied first if kessan wrote it (default: %(default)s)",
    )
    parser.add_argument(
        "--wait",
        action="store_true",
        help="import Great Expectations, then wait for a line `go` on stdin (anything else: exit 0); kessan.build "
        "starts the validation this way alongside dbt",
    )
    args = parser.parse_args(argv)
    db_path, docs_dir = args.db.resolve(), args.docs_dir.resolve()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    if args.wait and not told_to_go():
        return 0
    started = time.perf_counter()

    suites = load_suites(Path(SUITES_DIR))
    if not suites:
        print(f"ERROR: no expectation suites in {Path(SUITES_DIR).resolve()} (exit 2)")
        return 2
    if untabled := [str(suite.get("name")) for suite in suites if not suite.get("meta", {}).get("table")]:
        print(f"ERROR: suites without meta.table: {', '.join(untabled)} (exit 2)")
        return 2
    if len(tables := {suite["meta"]["table"] for suite in suites}) != 1:
        print(f"ERROR: the suites name {len(tables)} tables ({', '.join(sorted(tables))}); they validate one (exit 2)")
        return 2
    if not db_path.is_file():
        print(f"ERROR: no DuckDB file at {db_path}: build the warehouse first (exit 2)")
        return 2
    with tempfile.TemporaryDirectory(prefix="kessan-validate-") as scratch:
        return validate(db_path, docs_dir, suites, tables.pop(), Path(scratch) / "summary.duckdb", started)


def validate(
    db_path: Path, docs_dir: Path, suites: Sequence[dict[str, Any]], table: str, summary_path: Path, started: float
) -> int:
    """Summarise `table`, validate the summary, print the outcome; the exit status."""
    try:
        summarise(db_path, table, [str(suite["name"]) for suite in suites], summary_path)
        checks, exceptions = read_summary(summary_path)
    except duckdb.Error as error:
        print(f"ERROR: cannot summarise {table} of {db_path}: {error} (exit 2)")
        return 2

    try:
        fresh_folder(docs_dir, "python -m kessan validate")
    except (UnsafeFolder, OSError) as error:
        print(f"ERROR: cannot write the Data Docs into {docs_dir}: {error} (exit 2)")
        return 2
    try:
        checkpoint_result = run_checkpoint(summary_path, docs_dir, suites)
    except Exception as error:  # GX could not run at all: configuration, connection, a changed GX API
        print(f"ERROR: Great Expectations could not run: {type(error).__name__}: {error} (exit 2)")
        return 2

    outcomes: list[SuiteOutcome] = []
    for validation in checkpoint_result.run_results.values():
        outcome = SuiteOutcome(suite=validation.suite_name, checks=checks.get(validation.suite_name, 0))
        for result in validation.results:
            if errors := gx_errors(result):
                config = result.expectation_config
                outcome.errors.append(f"GX ERROR {outcome.suite}: {config.type}: " + " | ".join(errors))
            elif result.success:
                outcome.passed += 1
            else:
                outcome.failures.append(describe_failure(outcome.suite, result))
        outcomes.append(outcome)

    outcomes.sort(key=lambda outcome: outcome.suite)
    width = max(len(outcome.suite) for outcome in outcomes)
    for outcome in outcomes:
        failed = len(outcome.failures) + len(outcome.errors)
        state = "ERROR" if outcome.errors else "FAIL" if outcome.failures else "pass"
        print(
            f"{state:5} {outcome.suite:{width}}  expectations passed {outcome.passed}, failed {failed}; "
            f"checks covered {outcome.checks}"
        )
    for outcome in outcomes:
        for block in outcome.failures:
            print("\n" + "=" * 100 + "\n" + block)
    seed_lines = read_seed_lines(db_path, named_figures(failing_check_rows(checkpoint_result)))
    if culprits := suspects(seed_lines, failing_check_rows(checkpoint_result)):
        print("\nFigures named by the failing checks, most often first (a wrong figure breaks its identities):")
        print("\n".join(culprits))
    for exception in exceptions:
        print("\n" + check_line(str(exception["expectation_suite"]), exception))
    errors = [error for outcome in outcomes for error in outcome.errors]
    for error in errors:
        print("\n" + error)

    for remote in data_docs.localize(docs_dir):
        print(f"note: Data Docs still load from the network: {remote}")
    index = docs_dir / "index.html"
    print(f"\nData Docs: {index}" + ("" if index.is_file() else " (NOT WRITTEN)"))
    failures = sum(len(outcome.failures) for outcome in outcomes)
    if errors:
        status, verdict = 2, f"ERROR: Great Expectations errored on {len(errors)} expectation(s); results incomplete"
    elif failures:
        status, verdict = 1, f"FAILED: {failures} expectation(s) failed"
    else:
        status, verdict = 0, f"passed: {len(outcomes)} suites, {sum(checks.values())} checks"
    print(f"{verdict} (exit {status}); wall time {time.perf_counter() - started:.1f}s")
    return status
