"""Benchmark: build and validate N synthetic companies x Q quarters, for several N, and print one table.

Usage (from the project directory; `make bench` runs it):

    python -m kessan bench [--sizes 1,100,1000,10000] [--quarters 40] [--seed 7] [--out build/bench]

For each N: `python -m kessan synthetic` writes N companies x Q quarters (1% of the companies, at least
one, broken on purpose) to OUT/N/; `dbt build --full-refresh --vars '{external_dir: OUT/N}'` builds them
into OUT/N/kessan.duckdb, the semantic layer's time spine and metric tables too (the synthetic companies' four
fiscal year ends share one spine of fiscal time: docs/decisions.md D25); `python -m kessan validate` runs the
Great Expectations suites over it. Each runs in a child process of its own, so its wall time and peak memory
(ru_maxrss from wait4) are its own.

The floor: the compiled SQL of every model the build ran (`compiled_code` in the run's manifest), executed
in DAG order with the DuckDB Python API as CREATE TABLE / CREATE VIEW statements in a new file holding only
the seeds, then every data test's compiled SQL as a query; build / floor is the overhead of dbt.

One more document (the row "N x Q, one more document"): the generator's files are written without the last
document of the last unbroken company (kessan.dev.synthetic.hold_back), the build above is of the rest; then that
document is appended and built by company, as `make build` would (docs/decisions.md D36): on a copy of the built
file, `dbt build --vars '{external_dir: OUT/N, changed_companies: [its company]}'`, then the validation. The
document must be in dim_documents afterwards, and every other company's rows of rpt_data_quality the first
build's (its invocation id).

Every broken company must be caught: dbt fails on its gate over the checks and on nothing else, a failing
check of rpt_data_quality names the broken figure, and no unbroken company fails. The bench exits 1 otherwise.
The table is printed and written to OUT/results.md, with the slowest nodes of the largest build (run_results.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import duckdb

from kessan.conventions import PROJECT_DIR, figure_id_array_sql
from kessan.dev.synthetic import NEXT_DOCUMENT, append_held_back, hold_back, positive_int
from kessan.folders import UnsafeFolder, fresh_folder

IDENTITY_GATE = "assert_identity_checks_hold"  # dbt's data test over the checks (docs/decisions.md D27)


@dataclass
class Measured:
    seconds: float
    max_rss_mib: float
    returncode: int


@dataclass
class Result:
    companies: int
    quarters: int
    figures: int
    breaks: int
    generate: Measured
    build: Measured
    validate: Measured
    floor_models: float
    floor_tests: float
    floor_rss_mib: float
    largest_mart: str
    largest_mart_rows: int
    caught: int
    false_alarms: int
    load: tuple[float, float]  # the 1-minute load average before the build and after the validation
    next_build: Measured  # one more document, built by company
    next_validate: Measured


def run(command: list[str], log: Path, env: dict[str, str] | None = None) -> Measured:
    """Run a child process (output to `log`); its wall time, peak RSS and exit status."""
    started = time.perf_counter()
    with log.open("w") as handle:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=handle, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return Measured(time.perf_counter() - started, usage.ru_maxrss / 1024, process.returncode)


def dag_order(nodes: dict[str, dict]) -> list[str]:
    """Model node ids, parents first."""
    done: list[str] = []
    seen: set[str] = set()

    def visit(node_id: str) -> None:
        if node_id in seen or node_id not in nodes:
            return
        seen.add(node_id)
        for parent in nodes[node_id]["depends_on"]["nodes"]:
            visit(parent)
        done.append(node_id)

    for node_id in sorted(nodes):
        visit(node_id)
    return done


def floor(directory: Path) -> tuple[float, float]:
    """Run the compiled SQL of the build in DuckDB directly: (seconds for the models, for the data tests)."""
    manifest = json.loads((directory / "target" / "manifest.json").read_text())
    # Only what this build ran (a node it did not run has no compiled SQL).
    ran = {r["unique_id"] for r in json.loads((directory / "target" / "run_results.json").read_text())["results"]}
    nodes = {key: node for key, node in manifest["nodes"].items() if key in ran}
    models = {key: node for key, node in nodes.items() if node["resource_type"] == "model"}
    tests = [node for node in nodes.values() if node["resource_type"] == "test"]
    seeds = [node for node in manifest["nodes"].values() if node["resource_type"] == "seed"]
    # A new, empty file, as the build starts from: only the seeds are copied in (dbt seed loads them;
    # the large inputs are read from Parquet by the models themselves).
    fresh = directory / "floor.duckdb"
    fresh.unlink(missing_ok=True)
    # As the bench target of profiles.yml: the same memory cap, insertion order not kept.
    con = duckdb.connect(
        config={
            "threads": 2,
            "memory_limit": os.environ.get("KESSAN_MEMORY_LIMIT", "3GB"),
            "preserve_insertion_order": False,
        }
    )
    # The compiled SQL names relations by the catalog dbt saw: the built file's name, kessan.
    con.execute(f"attach '{fresh}' as kessan")
    con.execute(f"attach '{directory / 'kessan.duckdb'}' as built (read_only)")
    con.execute("use kessan")
    for node in seeds:
        con.execute(f"create schema if not exists kessan.{node['schema']}")
        con.execute(f"create table {node['relation_name']} as select * from built.{node['schema']}.{node['alias']}")
    con.execute("detach built")
    started = time.perf_counter()
    for node_id in dag_order(models):
        node = models[node_id]
        kind = "view" if node["config"]["materialized"] == "view" else "table"
        con.execute(f"create schema if not exists kessan.{node['schema']}")
        con.execute(f"create or replace {kind} {node['relation_name']} as {node['compiled_code']}")
    models_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for node in tests:
        if node.get("compiled_code"):
            con.execute(f"select count(*) from ({node['compiled_code']})").fetchall()
    tests_seconds = time.perf_counter() - started
    con.close()
    fresh.unlink()
    return models_seconds, tests_seconds


def inspect(db_path: Path, breaks_csv: Path) -> tuple[str, int, int, int, int]:
    """The largest mart and its rows; figures; breaks caught; companies failing without a break."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        marts = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main'"
                " and (table_name like 'fct_%' or table_name like 'rpt_%' or table_name like 'dim_%')"
            ).fetchall()
        ]
        counts = {name: con.execute(f"select count(*) from {name}").fetchone()[0] for name in marts}
        largest = max(counts, key=counts.get)
        figures = con.execute("select count(*) from staging.stg_reported_figures").fetchone()[0]
        figure_id = figure_id_array_sql("reported_figure_ids", "derived_from_figure_ids")
        con.execute(
            f"""
            create temp table failing as
            select company_id, unnest({figure_id}) as figure_id
            from rpt_data_quality where is_failing
            """
        )
        caught, false_alarms = con.execute(
            f"""
            with breaks as (select * from read_csv('{breaks_csv}', all_varchar = true))
            select
                (select count(*) from breaks where exists (
                    select 1 from failing where failing.company_id = breaks.company_id
                    and failing.figure_id = breaks.figure_id)),
                (select count(distinct company_id) from failing
                    where company_id not in (select company_id from breaks))
            """
        ).fetchone()
    return largest, counts[largest], figures, caught, false_alarms


def failed_nodes(run_results: Path) -> list[str]:
    """The nodes of a dbt run that failed or errored, by name (none when it wrote no run results)."""
    if not run_results.is_file():
        return []
    results = json.loads(run_results.read_text())["results"]
    return sorted(result["unique_id"].split(".")[2] for result in results if result["status"] in ("fail", "error"))


def bench(companies: int, quarters: int, seed: int, out: Path) -> Result:
    directory = fresh_folder(out / str(companies), "python -m kessan bench")  # UnsafeFolder: main says so
    python = sys.executable
    breaks = max(1, companies // 100)
    load_before = os.getloadavg()[0]
    generate = run(
        [python, "-m", "kessan", "synthetic", "--companies", str(companies), "--quarters", str(quarters), "--seed",
         str(seed), "--break", str(breaks), "--out", str(directory)],
        directory / "generate.log",
    )  # fmt: skip
    if generate.returncode:
        raise SystemExit(f"the generator failed: {directory / 'generate.log'}")
    next_company = hold_back(directory)
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_USE_COLORS": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }
    build, validate = build_and_validate(
        directory, directory / "kessan.duckdb", {"external_dir": str(directory)}, env, "--full-refresh"
    )
    load_after = os.getloadavg()[0]
    floor_run = run([python, "-m", "kessan", "bench", "--floor", str(directory)], directory / "floor.log")
    if floor_run.returncode:
        raise SystemExit(f"the floor failed: {directory / 'floor.log'}")
    floor_models, floor_tests = json.loads((directory / "floor.json").read_text())
    largest, rows, figures, caught, false_alarms = inspect(directory / "kessan.duckdb", directory / "breaks.csv")
    # One more document, built by company on a copy of the file just built.
    first_build = invocation_id(directory / "target" / "run_results.json")
    document = append_held_back(directory)
    next_db = directory / NEXT_DOCUMENT / "kessan.duckdb"
    shutil.copyfile(directory / "kessan.duckdb", next_db)
    next_build, next_validate = build_and_validate(
        directory / NEXT_DOCUMENT,
        next_db,
        {"external_dir": str(directory), "changed_companies": [next_company]},
        env,
    )
    check_next_document(next_db, document, next_company, first_build)
    next_db.unlink()  # as large as the first build's file
    return Result(
        companies, quarters, figures, breaks, generate, build, validate, floor_models, floor_tests,
        floor_run.max_rss_mib, largest, rows, caught, false_alarms, (load_before, load_after), next_build,
        next_validate,
    )  # fmt: skip


def build_and_validate(
    directory: Path, db_path: Path, dbt_vars: dict[str, object], env: dict[str, str], *options: str
) -> tuple[Measured, Measured]:
    """`dbt build` of the file `db_path` (profiles.yml's bench target; logs and target in DIR), then the
    validation.
    The broken companies must fail dbt's gate over the checks (exit 1) and the validation (exit 1); nothing else
    may fail, nor anything error."""
    dbt = str(Path(sys.executable).parent / "dbt")
    build = run(
        [dbt, "build", *options, "--target", "bench", "--vars", json.dumps(dbt_vars),
         "--target-path", str(directory / "target"), "--log-path", str(directory / "logs")],
        directory / "build.log", {**env, "KESSAN_BENCH_DB_PATH": str(db_path)},
    )  # fmt: skip
    failed = failed_nodes(directory / "target" / "run_results.json")
    if build.returncode != 1 or failed != [IDENTITY_GATE]:
        raise SystemExit(
            f"the build exited {build.returncode}, failing {failed or 'nothing'}: {directory / 'build.log'}"
        )
    validate = run(
        [sys.executable, "-m", "kessan", "validate", "--db", str(db_path), "--docs-dir", str(directory / "data_docs")],
        directory / "validate.log", env,
    )  # fmt: skip
    if validate.returncode != 1:  # the broken companies must fail it (exit 1), and nothing may error (2)
        raise SystemExit(f"the validation exited {validate.returncode}, not 1: {directory / 'validate.log'}")
    return build, validate


def invocation_id(run_results: Path) -> str:
    return json.loads(run_results.read_text())["metadata"]["invocation_id"]


def check_next_document(db_path: Path, document: str, company: str, first_build: str) -> None:
    """The appended document was built, and only its company's rows were recomputed."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        (documents,) = con.execute("select count(*) from dim_documents where document_id = ?", [document]).fetchone()
        builds = dict(
            con.execute(
                "select company_id = ?, list(distinct build_id) from rpt_data_quality group by all", [company]
            ).fetchall()
        )
    if documents != 1 or builds.get(False) != [first_build] or first_build in builds.get(True, [first_build]):
        raise SystemExit(
            f"the build by company of {document} ({company}) is wrong: {documents} row(s) of it in dim_documents; "
            f"rpt_data_quality's builds: the company's {builds.get(True)}, the others' {builds.get(False)}, "
            f"the first build {first_build}"
        )


def slowest_nodes(directory: Path, count: int = 12) -> list[str]:
    results = json.loads((directory / "target" / "run_results.json").read_text())["results"]
    ranked = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:count]
    return [f"| {r['unique_id'].split('.', 2)[-1]} | {r['execution_time']:.2f} |" for r in ranked]


def environment() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    memory_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    packages = ", ".join(
        f"{name} {version(name)}" for name in ("dbt-core", "dbt-duckdb", "duckdb", "great-expectations")
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory_kib / 1024**2:.1f} GiB RAM; Python {platform.python_version()}; "
        f"{packages}"
    )


def table(results: list[Result]) -> str:
    header = (
        "| companies x quarters | figures | build s | validate s | build + validate s | build RSS MiB "
        "| validate RSS MiB | largest mart (rows) | floor s (models + tests) | build / floor | broken caught "
        "| load avg before / after |"
    )
    lines = [header, "|" + "|".join(["---"] * 12) + "|"]
    for r in results:
        floor_total = r.floor_models + r.floor_tests
        lines.append(
            f"| {r.companies:,} x {r.quarters} | {r.figures:,} | {r.build.seconds:.1f} | {r.validate.seconds:.1f} "
            f"| {r.build.seconds + r.validate.seconds:.1f} | {r.build.max_rss_mib:,.0f} "
            f"| {r.validate.max_rss_mib:,.0f} "
            f"| {r.largest_mart} ({r.largest_mart_rows:,}) | {r.floor_models:.1f} + {r.floor_tests:.1f} "
            f"| {r.build.seconds / floor_total:.2f} | {r.caught} / {r.breaks}"
            + (f", {r.false_alarms} unbroken failing" if r.false_alarms else "")
            + f" | {r.load[0]:.1f} / {r.load[1]:.1f} |"
        )
        lines.append(
            f"| {r.companies:,} x {r.quarters}, one more document (by company) | | {r.next_build.seconds:.1f} "
            f"| {r.next_validate.seconds:.1f} | {r.next_build.seconds + r.next_validate.seconds:.1f} "
            f"| {r.next_build.max_rss_mib:,.0f} | {r.next_validate.max_rss_mib:,.0f} | | | | | |"
        )
    return "\n".join(lines)


def sizes(text: str) -> list[int]:
    """--sizes: positive integers, comma-separated (argparse's type)."""
    return [positive_int(size) for size in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kessan bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes, default="1,100,1000,10000", help="companies per build, comma-separated")
    parser.add_argument("--quarters", type=positive_int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--out", type=Path, default=PROJECT_DIR / "build" / "bench", help="one folder per size: OUT/N, emptied first"
    )
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # internal: time the floor of one build
    args = parser.parse_args(argv)
    if args.floor:
        (args.floor / "floor.json").write_text(json.dumps(floor(args.floor)))
        return 0

    out = args.out.resolve()
    results = []
    for size in args.sizes:
        try:
            result = bench(size, args.quarters, args.seed, out)
        except UnsafeFolder as error:
            print(f"kessan bench: {error}")
            return 2
        results.append(result)
        print(
            f"{size:,} companies x {args.quarters} quarters: {result.figures:,} figures; build "
            f"{result.build.seconds:.1f} s, validate {result.validate.seconds:.1f} s; broken caught "
            f"{result.caught} / {result.breaks}; one more document by company: build "
            f"{result.next_build.seconds:.1f} s, validate {result.next_validate.seconds:.1f} s",
            flush=True,
        )
    report = "\n".join(
        [
            f"Environment: {environment()}",
            "",
            table(results),
            "",
            f"Slowest nodes of the {results[-1].companies:,}-company build (run_results.json execution_time, s):",
            "",
            "| node | s |",
            "|---|---|",
            *slowest_nodes(out / str(results[-1].companies)),
        ]
    )
    (out / "results.md").write_text(report + "\n")
    print("\n" + report)
    ok = all(r.caught == r.breaks and not r.false_alarms for r in results)
    print("\nevery broken company caught, no false alarm" if ok else "\nFAILED: a broken company was not caught")
    return 0 if ok else 1
