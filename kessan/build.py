"""Build the warehouse, audit it, and publish it only if everything passed; show every failure so it can be fixed.

Usage (from the project directory; `make build` runs it):

    python -m kessan build [--full-refresh] [--allow-removal] [dbt build options, e.g. --select stg_reported_figures+]

Build, audit, publish. The published database is $KESSAN_DB_PATH (default warehouse/kessan.duckdb), what
readers open. A build never writes it: holding the warehouse's lock (kessan.publish; a second build stops at
once, saying who holds it), it builds a fresh DuckDB file in warehouse/.staging/<build id>/ (`dbt build
--full-refresh`, profiles.yml's `build` target, without the unit tests, which `make test` runs), runs the Great
Expectations suites against it (`python -m kessan validate`, in its own process, started alongside dbt so that
importing Great Expectations overlaps the build: it holds the file read-only while it runs), audits it against
the published build (kessan.audit: nothing published may disappear unless --allow-removal), and only when all
passed exports every mart to Parquet, writes manifest.json and publishes the folder with one atomic
switch (kessan.publish), keeping the previous generation for `make rollback`. When anything fails, nothing
is published and the last line says why; the failed build's database stays in staging until the next build.
When only some companies' inputs changed since the published build (kessan.changes: fingerprints the published
manifest recorded), the build is by company (docs/decisions.md D36): it starts from a copy of the published
database and runs `dbt build --vars '{changed_companies: [...]}'`, which recomputes only their rows; otherwise,
or with --full-refresh, it is the full build above, and the first line it prints says which and why.
With dbt options the build is a trial: it starts from a copy of the published database, runs the selection
and the validation, and is never published; options that would make it write another database (--target,
--profile, --profiles-dir, --project-dir) are refused, and dbt's parser checks the options before anything is
touched (`--help` prints kessan.build's own options).

Before anything else, a preflight (kessan.preflight) reads every seed CSV: one that is not UTF-8 (typically CP932,
i.e. Shift_JIS, as Excel on Japanese Windows saves a CSV), whose header is not the seed's columns, or with a row
whose fields do not match the header, a broken quote or a blank line between rows stops the build at once,
naming every such file and line (and, for an encoding, the command that converts it); dbt does not run and
nothing changes. A UTF-8 byte order mark (Excel's "CSV UTF-8") and CRLF line ends are accepted. (Plain `dbt
build` stops on most of these too, or loads them wrong, with messages that name no line: docs/decisions.md D24,
D29.)

After dbt, each failed data test is printed with the model it tests, its number of failing rows and up to
MAX_ROWS of them: the test's compiled query, run again read-only on the file it failed on (dbt stores no failures:
storing them cost a table per test in every build, docs/decisions.md D34).
Each errored node is printed with dbt's error message.

Exit status: 0 when nothing failed or errored (warnings allowed), 1 when something did (in dbt or in
the validation), 2 when dbt or Great Expectations itself could not run (e.g. a YAML or Jinja error, or a
seed the preflight stops at), the export or publishing failed, the options are wrong or refused, or the
warehouse folder cannot be written, 3 when another build or rollback holds the lock.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import duckdb
from click.core import ParameterSource
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import cli, dbtRunner
from dbt.version import __version__ as dbt_version

from kessan.audit import Audit, removals
from kessan.changes import Changes, Inputs, changes, fingerprints
from kessan.preflight import PREFLIGHT_EXIT, seed_problems
from kessan.publish import (
    BUILD_DB_VARIABLE,
    BUILD_TARGET,
    BUILDING,
    BUSY_EXIT,
    MANIFEST,
    Refused,
    Warehouse,
    WarehouseBusy,
    dbt_path,
    export,
    locked,
    new_build_id,
    prepare_staging,
    sources_sha256,
    switch,
)
from kessan.validate import GO

MAX_ROWS = 20  # failing rows printed per test
UNIT_TESTS_EXCLUDED = ("--exclude-resource-type", "unit_test")  # the full build's dbt options (run_dbt)
MAX_CELL = 40  # characters per table cell
MAX_TABLE_WIDTH = 240  # columns past this width are left out of the table (the test's query returns them)
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


def release_warehouse() -> None:
    """Close the DuckDB instance dbt built with, so that the file can be opened read-only.

    dbt-duckdb keeps its instance open for the life of the process (`keep_open` defaults to true), so
    after dbtRunner returns this process still holds the file, and DuckDB refuses a read-only
    connection to it ("different configuration than existing connections"). close_all_connections()
    is what dbt-duckdb itself runs at exit: it drops the instance, which closes the file.
    """
    DuckDBConnectionManager.close_all_connections()


def read_rows(db_path: Path, query: str, limit: int) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Columns (preferred ones first) and up to `limit` rows of a query, opening the file read-only."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        try:  # in column order, i.e. by seed and CSV line for the tests in tests/generic
            cursor = connection.execute(f"select * from ({query}) as failing order by all limit {int(limit)}")
        except duckdb.Error:  # a column type without an order
            cursor = connection.execute(f"select * from ({query}) as failing limit {int(limit)}")
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
    query = getattr(node, "compiled_code", None)
    if node.resource_type != "test" or not query:  # a unit test: dbt's message says it all
        print(result.message or "")
        return
    query = query.strip().rstrip(";")
    print(f"query:         {node.compiled_path}")
    try:  # the test's own query, run again on the file it failed on: its failing rows
        columns, rows = read_rows(db_path, query, MAX_ROWS)
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
        print(f"(first {len(rows)} of {result.failures} rows: the query above, on {db_path})")


def report_error(result: Any) -> None:
    """Print a node that errored, with dbt's error message."""
    node = result.node
    print(banner(f"ERROR  {node.resource_type} {node.name}  ({node.original_file_path})"))
    print(result.message or "(no message)")


def public_relations_built(results: Sequence[Any]) -> list[str]:
    """The public models (access: public, the group `results`: the BI surface in the default schema) that dbt
    built: what is exported to Parquet."""
    return sorted(
        result.node.alias
        for result in results
        if result.node.resource_type == "model"
        and result.node.access == "public"
        and BUCKETS.get(str(result.status)) == "pass"
    )


def run_dbt(
    project_dir: Path, db_path: Path, extra_args: Sequence[str], dbt_db_path: str, by_company: list[str] | None = None
) -> tuple[int, list[str], bool]:
    """`dbt build` into `db_path` (given to dbt as `dbt_db_path`, the same file) with the failures reported: a full
    refresh, or with `by_company` only those companies (the var changed_companies, on a copy of the published
    file); (exit status as main's, public relations built, whether every node ran: only data tests failed, if any)."""
    started = time.monotonic()
    args = [
        "build",
        *(["--full-refresh"] if by_company is None else ["--vars", json.dumps({"changed_companies": by_company})]),
        "--target",
        BUILD_TARGET,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        # The unit tests' inputs are fixed, so a published build learns nothing from them (dbt's advice: run
        # them in development and CI). `make test` runs them on the published warehouse, plain `dbt build` and
        # a trial (with dbt options) run them too.
        *(extra_args or UNIT_TESTS_EXCLUDED),
    ]
    os.environ[BUILD_DB_VARIABLE] = dbt_db_path  # profiles.yml's build target writes there
    os.environ["KESSAN_REPORTS_FAILURES"] = "1"  # the failing rows are printed below, not by dbt's on-run-end hook
    outcome = dbtRunner().invoke(args)
    release_warehouse()

    if outcome.result is None or not hasattr(outcome.result, "results"):
        print(banner("dbt could not run"))
        print(outcome.exception or "(no exception reported)")
        print(f"kessan build: dbt did not run ({time.monotonic() - started:.1f} s)")
        return 2, [], False

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
    every_node_ran = counts["error"] + counts["skip"] == 0
    if failed and not every_node_ran:
        print("kessan build: the accounting identities were not validated: fix the build first")
        return 1, [], False
    return int(failed), public_relations_built(outcome.result.results), every_node_ran


class Validator:
    """The Great Expectations suites over the built warehouse, in a child process (`python -m kessan validate
    --wait`) started before dbt: importing Great Expectations takes seconds, which pass while dbt builds (dbt
    keeps about one core busy); the child opens the file only when told to go, after dbt has closed it."""

    def __init__(self, db_path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kessan", "validate", "--db", str(db_path), "--wait"],
            stdin=subprocess.PIPE,
            text=True,
        )

    def run(self) -> int:
        """Validate now; the exit status."""
        print(banner("Validating the accounting identities (expectations/*.json)"), flush=True)
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(f"{GO}\n")
            self.process.stdin.close()
        except OSError:  # the child is gone already: its exit status says why
            pass
        return self.process.wait()

    def close(self) -> None:
        """Stop the child if it is still waiting (the build stopped before the validation)."""
        if self.process.poll() is not None:
            return
        assert self.process.stdin is not None
        with suppress(OSError):
            self.process.stdin.close()  # the end of input: it exits without opening the file
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def publish(
    project_dir: Path,
    warehouse: Warehouse,
    staging: Path,
    relations: Sequence[str],
    built_at: datetime,
    sources: str,
    audit: dict[str, Any] | None = None,
    inputs: Inputs | None = None,
    by_company: list[str] | None = None,
) -> int:
    """Export the public relations and the manifest next to the validated database, then switch to it; an exit
    status that says whether it is published (kessan.publish.switch raises only before the switch)."""
    started = time.monotonic()
    facts = {
        "build_id": staging.name,
        "built_at": f"{built_at:%Y-%m-%dT%H:%M:%SZ}",
        "dbt_version": dbt_version,
        "sources_sha256": sources,  # of the files as the build started (kessan.publish.SOURCES)
        "audit": audit,  # the comparison with the build it replaces (kessan.audit); None: not audited
        # The fingerprints the next build compares its inputs with (kessan.changes), and the companies this build
        # recomputed when it was built by company (None: every company).
        "inputs": inputs.record() if inputs else None,
        "built_by_company": by_company,
    }
    try:
        export(staging, warehouse.db_path.name, relations, facts, project_dir)
        exported = time.monotonic()
        switched = switch(warehouse, staging)
    except (OSError, duckdb.Error, Refused) as error:
        published = warehouse.release_of(warehouse.current)
        state = f"still build {published}" if published else "nothing published yet"
        print(
            f"kessan build: NOT PUBLISHED: exporting or publishing failed: {type(error).__name__}: {error}. "
            f"{warehouse.db_path} is unchanged ({state})."
        )
        return 2
    done = time.monotonic()
    print(
        f"kessan build: PUBLISHED build {staging.name} as {warehouse.db_path}, with {len(relations)} public relations "
        f"as Parquet and {MANIFEST}; publish step {done - started:.2f} s (export {exported - started:.2f} s, "
        f"switch {done - exported:.3f} s)"
    )
    print(
        f"kessan build: previous generation: {switched.replaced} (`make rollback` restores it)"
        if switched.replaced
        else "kessan build: no previous generation (first publish)"
    )
    for note in switched.notes:
        print(f"kessan build: warning: {note}")
    return 0


def audit_passes(audit: Audit, allow_removal: bool) -> bool:
    """Print the audit against the published build; whether publishing may go on."""
    if audit.unreadable:
        print(f"kessan build: audit: the published database cannot be compared ({audit.unreadable}); it is replaced")
    if not audit.removes:
        compared = f"compared with build {audit.compared_with}" if audit.compared_with else "nothing published yet"
        print(f"kessan build: audit: nothing published is removed ({compared})")
        return True
    print(banner(f"This build removes what build {audit.compared_with} published"))
    for line in audit.lines():
        print(f"  * {line}")
    if allow_removal:
        print("kessan build: audit: removal allowed (--allow-removal); the manifest records it")
        return True
    print(
        "kessan build: audit: if these are meant to go (a figure deleted or moved, a check retired), build again "
        "with `python -m kessan build --allow-removal`"
    )
    return False


def not_published(warehouse: Warehouse, staging: Path, reason: str) -> None:
    """Say why nothing was published, and that the published warehouse is as it was."""
    published = warehouse.release_of(warehouse.current)
    state = f"still build {published}" if published else "nothing published yet"
    print(
        f"kessan build: NOT PUBLISHED: {reason}. {warehouse.db_path} is unchanged ({state}); "
        f"this build's database stays in {staging} until the next build."
    )


class Phases:
    """Wall time of each phase of the build, printed as one line when it ends, however it ends."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.timings: list[tuple[str, float]] = []

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        print(f"kessan build: phase {name} ...", flush=True)
        try:
            yield
        finally:
            self.timings.append((name, time.monotonic() - started))

    def summary(self) -> str:
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.timings)
        return f"kessan build: phases: {phases}; total {time.monotonic() - self.started:.1f} s"


def build_audit_publish(
    project_dir: Path,
    warehouse: Warehouse,
    extra_args: Sequence[str],
    allow_removal: bool = False,
    full_refresh: bool = False,
) -> int:
    """Build into a fresh staging folder, test and validate it, and publish it if everything passed."""
    phases = Phases()
    try:
        return run_phases(project_dir, warehouse, extra_args, phases, allow_removal, full_refresh)
    finally:
        print(phases.summary(), flush=True)


def preflight(project_dir: Path, warehouse: Warehouse) -> int:
    """Stop before dbt, changing nothing, when a seed CSV cannot be loaded as it is (kessan.preflight: not UTF-8,
    a header that is not the seed's columns, a row whose fields do not match it, a broken quote, a blank line
    between rows); an exit status."""
    problems = seed_problems(project_dir)
    if not problems:
        return 0
    print(banner(f"{len(problems)} problem(s) in the seed CSVs: dbt would not load them as they are"))
    for problem in problems:
        print(f"  * {problem}")
    published = warehouse.release_of(warehouse.current)
    state = f"still build {published}" if published else "nothing published yet"
    print(
        "kessan build: NOT STARTED: fix the seeds (above); dbt did not run. "
        f"{warehouse.db_path} is unchanged ({state})."
    )
    return PREFLIGHT_EXIT


def published_manifest(warehouse: Warehouse) -> dict[str, Any] | None:
    """The published build's manifest, None when nothing is published or it cannot be read."""
    try:
        return json.loads((warehouse.current / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def what_to_build(warehouse: Warehouse, now: Inputs, full_refresh: bool) -> Changes:
    """A build by company when only some companies' inputs changed since the published build (kessan.changes),
    else a full one (with the reason); printed."""
    if full_refresh:
        plan = Changes(None, "--full-refresh")
    elif not warehouse.db_path.is_file():
        plan = Changes(None, "nothing is published")
    else:
        plan = changes(published_manifest(warehouse), now)
    if plan.companies is None:
        print(f"kessan build: every company ({len(now.companies)}): {plan.reason}", flush=True)
    else:
        more = len(plan.companies) - 10
        shown = ", ".join(plan.companies[:10]) + (f" and {more} more" if more > 0 else "")
        print(
            f"kessan build: by company: {len(plan.companies)} of {len(now.companies)} companies changed since the "
            f"published build{': ' + shown if shown else ''}; the others' rows are the published ones",
            flush=True,
        )
    return plan


def run_phases(
    project_dir: Path,
    warehouse: Warehouse,
    extra_args: Sequence[str],
    phases: Phases,
    allow_removal: bool,
    full_refresh: bool = False,
) -> int:
    with phases.phase("preflight"):
        status = preflight(project_dir, warehouse)
    if status:
        return status
    built_at = datetime.now(UTC)
    sources = sources_sha256(project_dir)
    with phases.phase("changes"):
        inputs = fingerprints(project_dir)
        by_company = None if extra_args else what_to_build(warehouse, inputs, full_refresh).companies
    staging = prepare_staging(warehouse, new_build_id(built_at))
    db_path = staging / warehouse.db_path.name  # the same file name: DuckDB names the catalog after it
    # A selection, and a build by company, build on a copy of what is published.
    if (extra_args or by_company is not None) and warehouse.db_path.is_file():
        shutil.copyfile(warehouse.db_path, db_path)
    print(f"{BUILDING} {staging.name} into {db_path}", flush=True)

    fixed_path = dbt_path(project_dir, warehouse.building / db_path.name)
    with closing(Validator(db_path)) as validator:  # imports Great Expectations while dbt builds
        with phases.phase("dbt"):
            dbt_status, relations, every_node_ran = run_dbt(project_dir, db_path, extra_args, fixed_path, by_company)
        if dbt_status and not every_node_ran:
            not_published(warehouse, staging, "dbt build failed" if dbt_status == 1 else "dbt could not run")
            return dbt_status
        if dbt_status:  # only data tests failed: the suites run too, for their report and the Data Docs
            print("kessan build: dbt's data tests failed (above); the Great Expectations suites report too")
        with phases.phase("great_expectations"):
            status = validator.run()
    if dbt_status or status:
        reasons = ["dbt's data tests failed"] if dbt_status else []
        if status:
            reasons.append(f"the Great Expectations validation {'failed' if status == 1 else 'could not run'}")
        not_published(warehouse, staging, " and ".join(reasons))
        return max(dbt_status, status)
    if extra_args:
        not_published(warehouse, staging, f"a build with dbt arguments ({' '.join(extra_args)}) is a trial; it passed")
        return 0
    with phases.phase("audit"):
        audit = removals(db_path, warehouse.db_path)
    if not audit_passes(audit, allow_removal):
        not_published(warehouse, staging, "the audit found published rows, checks or figures this build removes")
        return 1
    with phases.phase("publish"):
        audited = audit.record(allow_removal)
        return publish(project_dir, warehouse, staging, relations, built_at, sources, audited, inputs, by_company)


# dbt build's options that would make a trial write another database than its staging copy (another target's, as
# profiles.yml's `bench` target once wrote $KESSAN_DB_PATH itself): refused for a trial.
TRIAL_REFUSED = {"target": "--target/-t", "profile": "--profile", "profiles_dir": "--profiles-dir",
                 "project_dir": "--project-dir"}  # fmt: skip
USAGE_EXIT = 2


def parser() -> argparse.ArgumentParser:
    """kessan.build's own options; every other argument is dbt build's."""
    parser = argparse.ArgumentParser(
        prog="python -m kessan build",
        usage="%(prog)s [-h] [--full-refresh] [--allow-removal] [dbt build options]",
        description="Build the warehouse (dbt build into a staging folder), audit it (dbt's tests, Great "
        "Expectations, the comparison with what is published) and publish it only if everything passed; the "
        "published database is $KESSAN_DB_PATH (default warehouse/kessan.duckdb).",
        epilog="Any other option is dbt build's (`dbt build --help`), e.g. --select stg_reported_figures+. With dbt "
        "options the build is a TRIAL: it starts from a copy of the published database in staging, runs the "
        "selection and the validation, and is never published. Options that would change the database a trial "
        "writes (--target/-t, --profile, --profiles-dir, --project-dir) are refused. Exit status: 0 published "
        "(or a trial passed), 1 a dbt test or the validation failed, 2 dbt or Great Expectations could not run, "
        "a usage error, the warehouse folder cannot be written, or publishing failed (NOT PUBLISHED: the "
        "published files are unchanged), 3 another build or rollback holds the lock.",
        allow_abbrev=False,  # an abbreviation of a dbt option must reach dbt, not match ours
    )
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="build every company, even when only some companies' inputs changed since the published build (which "
        "otherwise are the only ones recomputed, on a copy of the published database: docs/decisions.md D36)",
    )
    parser.add_argument(
        "--allow-removal",
        action="store_true",
        help="publish even if the build has fewer rows, checks or figures than the published one (the audit's "
        "removal check)",
    )
    return parser


def trial_problem(dbt_args: Sequence[str]) -> str | None:
    """Why a trial cannot run with these dbt build arguments, or None: dbt's own parser (its click command) reads
    them without running anything, so a usage error or a refused option changes nothing."""
    command = cli.commands["build"]
    try:
        with cli.make_context("dbt", ["build"]) as parent:
            context = command.make_context("build", list(dbt_args), parent=parent)
    except click.exceptions.Exit:  # dbt's --help (our own --help is argparse's)
        return "dbt's help is `dbt build --help`"
    except click.UsageError as error:
        name = getattr(getattr(error, "param", None), "name", None)
        if name in TRIAL_REFUSED:
            return refusal(name)
        return f"dbt build does not accept these arguments: {error.format_message().rstrip('.')}"
    given = [name for name in TRIAL_REFUSED if context.get_parameter_source(name) is ParameterSource.COMMANDLINE]
    return refusal(given[0]) if given else None


def refusal(name: str) -> str:
    option = TRIAL_REFUSED[name]
    return (
        f"{option} is refused: a build with dbt arguments is a trial, on a copy of the published database in "
        f"staging, and {option} would make dbt write another database (another target's, possibly the published "
        "one). For another target run plain `dbt build`"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Build, audit and publish the warehouse (dbt arguments: a trial build, never published); exit status."""
    options, extra_args = parser().parse_known_args(list(sys.argv[1:] if argv is None else argv))
    if extra_args and (problem := trial_problem(extra_args)):
        print(f"kessan build: NOT STARTED: {problem}. Nothing was changed.")
        return USAGE_EXIT
    project_dir = Path.cwd()
    warehouse = Warehouse.from_environment(project_dir)
    try:
        with locked(warehouse, "make build"):
            try:
                return build_audit_publish(
                    project_dir, warehouse, extra_args, options.allow_removal, options.full_refresh
                )
            except OSError as error:  # raised only before a switch: kessan.publish.switch
                print(f"kessan build: NOT PUBLISHED: {error}. {warehouse.db_path} is unchanged.")
                return USAGE_EXIT
    except WarehouseBusy as error:
        print(f"kessan build: NOT STARTED: {error}")
        return BUSY_EXIT
    except OSError as error:  # the lock file: a folder that is read-only or cannot be created
        print(
            f"kessan build: NOT STARTED: cannot write the warehouse folder {warehouse.root}: {error}. Nothing changed."
        )
        return USAGE_EXIT
