"""`make build-spark`: the same dbt project on Apache Spark, checked against DuckDB.

1. Java: stops with what to install when there is no `java` (PySpark 3.5 runs on Java 17).
2. Spark: `dbt build --target spark` (seeds, models, data tests, unit tests) in this process, in a fresh
   $KESSAN_SPARK_DIR (default warehouse/spark: Parquet tables and a Derby metastore; never published). dbt-spark's
   session method starts a local SparkSession (profiles.yml). A failure prints each failed node and the first
   failing rows of each failed test, and stops, unless the only failure is the identities' gate
   (tests/assert_identity_checks_hold.sql), which step 3 reports.
3. Data quality: every accounting-identity check of the Spark build's rpt_data_quality must pass or be a documented
   exception (the gate above, and on DuckDB the Great Expectations suites too); a failing check is printed with its
   figures and their seed lines, and the build stops.
4. DuckDB: `dbt build --target build` of the same seeds into a scratch file in that folder (a subprocess).
5. Compares every mart (models/marts, with the mtr_ tables, and the time spine dim_fiscal_days), read through
   the same SparkSession, with DuckDB's: the same columns and types, the same keys, DECIMALs exactly, DOUBLEs
   within 1e-9 (relative above 1), everything else equal. Exits 1 naming the table, key and column that differ.

python -m kessan spark-build [--keep]   (--keep: do not wipe the Spark folder first)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kessan.conventions import PROJECT_DIR, figure_id_array_sql
from kessan.folders import UnsafeFolder, fresh_folder

DOUBLE_TOLERANCE = 1e-9
# The build's own identity: each build has its own (dbt's invocation id, its start time).
VOLATILE = {("rpt_data_quality", "build_id"), ("rpt_data_quality", "built_at")}
MAX_DIFFERENCES = 20
IDENTITY_GATE = "assert_identity_checks_hold"  # the data test over rpt_data_quality's statuses (D27)


@dataclass
class Table:
    """A relation read from one engine: column names, their types in Spark's spelling, and the rows."""

    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]


@dataclass
class Comparison:
    tables: int = 0
    rows: int = 0
    differences: list[str] = field(default_factory=list)


def spark_type(duckdb_type: str) -> str:
    """A DuckDB column type as Spark spells it (the types the project's contracts use)."""
    duckdb_type = duckdb_type.upper()
    decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", duckdb_type)
    if decimal:
        return f"decimal({decimal.group(1)},{decimal.group(2)})"
    names = {
        "VARCHAR": "string",
        "INTEGER": "int",
        "BIGINT": "bigint",
        "DOUBLE": "double",
        "BOOLEAN": "boolean",
        "DATE": "date",
        "TIMESTAMP": "timestamp_ntz",
    }
    return names.get(duckdb_type, duckdb_type.lower())


def same_value(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, float) or isinstance(right, float):
        return abs(float(left) - float(right)) <= DOUBLE_TOLERANCE * max(1.0, abs(float(left)))
    if isinstance(left, Decimal) and isinstance(right, Decimal):
        return left == right  # exact: the types (so the scales) are compared first
    return left == right


def compare_table(name: str, key: str | None, duckdb: Table, spark: Table) -> list[str]:
    """What differs between DuckDB's and Spark's version of one table, one message per difference."""
    if duckdb.columns != spark.columns:
        return [f"{name}: columns differ: DuckDB {duckdb.columns} vs Spark {spark.columns}"]
    differences = [
        f"{name}: column {column} is {left} on DuckDB, {right} on Spark"
        for column, left, right in zip(duckdb.columns, duckdb.types, spark.types, strict=True)
        if left != right
    ]
    compared = [i for i, column in enumerate(duckdb.columns) if (name, column) not in VOLATILE]
    if key is None:
        # No key: the rows as multisets (NULLs sort first).
        def ordered(table: Table) -> list[tuple[Any, ...]]:
            rows = [tuple(row[i] for i in compared) for row in table.rows]
            return sorted(rows, key=lambda row: tuple((value is not None, str(value)) for value in row))

        left_rows, right_rows = ordered(duckdb), ordered(spark)
        if len(left_rows) != len(right_rows):
            differences.append(f"{name}: {len(left_rows)} rows on DuckDB, {len(right_rows)} on Spark")
        for number, (left_row, right_row) in enumerate(zip(left_rows, right_rows, strict=False), start=1):
            for i, left, right in zip(compared, left_row, right_row, strict=True):
                if not same_value(left, right):
                    differences.append(
                        f"{name} (row {number} in sorted order), column {duckdb.columns[i]}: "
                        f"DuckDB {left!r}, Spark {right!r}"
                    )
        return differences
    position = duckdb.columns.index(key)
    left_rows = {row[position]: row for row in duckdb.rows}
    right_rows = {row[position]: row for row in spark.rows}
    if len(left_rows) != len(duckdb.rows) or len(right_rows) != len(spark.rows):
        differences.append(f"{name}: key {key} is not unique ({len(duckdb.rows)} and {len(spark.rows)} rows)")
    for missing in sorted(left_rows.keys() - right_rows.keys(), key=str):
        differences.append(f"{name}, {key} = {missing!r}: on DuckDB only")
    for extra in sorted(right_rows.keys() - left_rows.keys(), key=str):
        differences.append(f"{name}, {key} = {extra!r}: on Spark only")
    for value in sorted(left_rows.keys() & right_rows.keys(), key=str):
        for i in compared:
            left, right = left_rows[value][i], right_rows[value][i]
            if not same_value(left, right):
                differences.append(
                    f"{name}, {key} = {value!r}, column {duckdb.columns[i]}: DuckDB {left!r}, Spark {right!r}"
                )
    return differences


def marts(manifest: dict[str, Any]) -> dict[str, str | None]:
    """Every public relation (marts, reports, metric tables) and the semantic layer's models, with its key: the
    column its `unique` test tests (None without one)."""
    models = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        and node["package_name"] == "kessan"
        and (node.get("access") == "public" or node["fqn"][1] == "semantic")
    }
    keys: dict[str, str | None] = {node["name"]: None for node in models.values()}
    for node in manifest["nodes"].values():
        metadata = node.get("test_metadata") or {}
        if metadata.get("name") == "unique" and node.get("attached_node") in models:
            keys[models[node["attached_node"]]["name"]] = node["column_name"]
    return dict(sorted(keys.items()))


def schemas(manifest: dict[str, Any], names: Iterable[str]) -> dict[str, str]:
    """Each model's schema in the build the manifest describes (Spark's and DuckDB's differ: generate_schema_name)."""
    wanted = set(names)
    return {
        node["name"]: node["schema"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"] in wanted
    }


def read_duckdb(path: Path, schema_of: dict[str, str]) -> dict[str, Table]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    tables = {}
    for name, schema in schema_of.items():
        described = con.sql(f'describe "{schema}"."{name}"').fetchall()
        tables[name] = Table(
            [row[0] for row in described],
            [spark_type(row[1]) for row in described],
            con.sql(f'select * from "{schema}"."{name}"').fetchall(),
        )
    con.close()
    return tables


def read_spark(schema_of: dict[str, str]) -> dict[str, Table]:
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()  # the session dbt-spark started, with the profile's settings
    tables = {}
    for name, schema in schema_of.items():
        frame = spark.table(f"{schema}.{name}")
        tables[name] = Table(
            [column.name for column in frame.schema.fields],
            [column.dataType.simpleString() for column in frame.schema.fields],
            [tuple(row) for row in frame.collect()],
        )
    return tables


def check_java() -> str:
    java = shutil.which("java")
    if not java:
        sys.exit(
            "error: java not found: Spark (PySpark 3.5) needs a Java runtime, 17 recommended "
            "(Debian: apt-get install openjdk-17-jre-headless)"
        )
    completed = subprocess.run([java, "-version"], capture_output=True, text=True)
    first_line = (completed.stderr or completed.stdout).splitlines()[0] if completed.returncode == 0 else ""
    return first_line or java


def failing_rows(node: Any, limit: int = 10) -> list[str]:
    """The first failing rows of a failed data test (its compiled query, run again), by their `message` where they
    have one."""
    from pyspark.sql import SparkSession

    query = (getattr(node, "compiled_code", None) or "").strip().rstrip(";")
    if not query:
        return []
    try:
        rows = SparkSession.builder.getOrCreate().sql(f"select * from ({query}) as failing limit {limit}").collect()
    except Exception as error:  # the query does not run (the test errored too)
        return [f"(no failing rows: {str(error).splitlines()[0]})"]
    return [str(row["message"]) if "message" in row.asDict() else str(row.asDict()) for row in rows]


def data_quality(schema: str) -> tuple[Counter, list[str]]:
    """The statuses of the Spark build's rpt_data_quality, and what to print when a check fails the build
    (`is_failing`: `fail`, `stale_exception`): each such check, then the figures they name, most often first, with
    their seed lines (a wrong figure breaks its identities). On DuckDB the Great Expectations suites enforce these
    statuses (kessan.validate); on Spark this does."""
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()
    rows = spark.sql(f"select status, count(*) as checks from {schema}.rpt_data_quality group by status").collect()
    statuses = Counter({row["status"]: row["checks"] for row in rows})
    failing = spark.sql(f"select * from {schema}.rpt_data_quality where is_failing order by check_id").collect()
    lines = [
        f"{row['status'].upper()} {row['identity_id']}: {row['line_item_id']} {row['period_code']} "
        f"({row['scenario']}, {row['basis']}): reported {row['reported_value']} vs derived {row['derived_value']} "
        f"from [{row['derived_from_figure_ids']}]; residual {row['residual']}, tolerance {row['tolerance']}"
        for row in failing
    ]
    if failing:
        named = spark.sql(
            f"""
            with named as (
                select explode({figure_id_array_sql("reported_figure_ids", "derived_from_figure_ids")}) as figure_id
                from {schema}.rpt_data_quality
                where is_failing
            )
            select named.figure_id, count(*) as checks, min(figures.seed_line) as seed_line
            from named
            left join {schema}.fct_figures_as_reported as figures on named.figure_id = figures.figure_id
            where named.figure_id != ''
            group by named.figure_id
            order by checks desc, named.figure_id
            limit 10
            """
        ).collect()
        lines.append("Figures named by the failing checks, most often first (a wrong figure breaks its identities):")
        lines += [
            f"  {row['figure_id']}  (seeds/reported_figures.csv line {row['seed_line']}): "
            f"in {row['checks']} failing check(s)"
            for row in named
        ]
    return statuses, lines


def run_spark_build(target_path: str) -> tuple[bool, Counter, float, set[str]]:
    """dbt build on the spark target in this process: (success, passed nodes by kind, seconds, failed nodes)."""
    from dbt.cli.main import dbtRunner

    started = time.monotonic()
    result = dbtRunner().invoke(["build", "--target", "spark", "--target-path", target_path])
    seconds = time.monotonic() - started
    passed: Counter = Counter()
    failed = []
    for node_result in getattr(result.result, "results", None) or []:
        node = node_result.node
        kind = node.resource_type.value if hasattr(node.resource_type, "value") else str(node.resource_type)
        if kind == "test" and "unit" in type(node).__name__.lower():
            kind = "unit_test"
        status = str(getattr(node_result.status, "value", node_result.status))
        if status in ("success", "pass", "warn"):  # a warning is reported by dbt and does not fail the build
            passed[kind] += 1
        elif status not in ("skipped", "no-op"):
            failed.append((node, kind, status, node_result.message))
    if result.exception is not None:
        print(f"error: dbt failed on Spark: {result.exception}")
    for node, kind, status, message in failed:
        print(f"FAILED on Spark: {kind} {node.name}: {status}: {message}")
        if kind == "test":
            for row in failing_rows(node):
                print(f"    {row}")
    return result.success and not failed, passed, seconds, {node.name for node, *_ in failed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kessan spark-build", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", action="store_true", help="keep the Spark folder of the last build")
    args = parser.parse_args(argv)
    started = time.monotonic()
    os.chdir(PROJECT_DIR)
    os.environ["DBT_PROFILES_DIR"] = str(PROJECT_DIR)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # The driver listens on the loopback interface only (and Spark stops warning about the host's address).
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    spark_dir = Path(os.environ.setdefault("KESSAN_SPARK_DIR", "warehouse/spark"))

    print(f"build-spark: {check_java()}")
    try:
        if args.keep:
            spark_dir.mkdir(parents=True, exist_ok=True)
        else:
            fresh_folder(spark_dir, "python -m kessan spark-build")
    except (UnsafeFolder, OSError) as error:
        print(f"build-spark: NOT STARTED: {error}")
        return 2

    ok, passed, spark_seconds, failed = run_spark_build("target/spark")
    summary = (
        f"{passed['seed']} seeds, {passed['model']} models, {passed['test']} data tests, "
        f"{passed['unit_test']} unit tests passed in {spark_seconds:.0f} s"
    )
    if not ok and failed != {IDENTITY_GATE}:
        print(f"build-spark: FAILED: dbt build on Spark ({summary}); nothing compared")
        return 1
    # Only the identities' gate failed: the checks are reported below, with the figures they name.
    print(f"build-spark: dbt build on Spark: {summary}{'' if ok else f'; {IDENTITY_GATE} failed'}")

    manifest = json.loads(Path("target/spark/manifest.json").read_text())
    keys = marts(manifest)
    spark_schemas = schemas(manifest, keys)
    statuses, failing = data_quality(spark_schemas["rpt_data_quality"])
    print(f"build-spark: data quality on Spark: {', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))}")
    for line in failing:
        print(line)
    if failing:
        print("build-spark: FAILED: accounting-identity checks fail on Spark (rpt_data_quality); nothing compared")
        return 1

    duckdb_path = spark_dir / "duckdb" / "kessan.duckdb"
    duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    duckdb_path.unlink(missing_ok=True)
    reference_started = time.monotonic()
    reference = subprocess.run(
        [sys.executable, "-m", "dbt.cli.main", "build", "--target", "build", "--target-path", "target/spark-duckdb"],
        env={**os.environ, "KESSAN_BUILD_DB_PATH": str(duckdb_path)},
        capture_output=True,
        text=True,
    )
    if reference.returncode != 0:
        print(reference.stdout[-4000:] + reference.stderr[-2000:])
        print("build-spark: FAILED: the DuckDB build to compare with failed; nothing compared")
        return 1
    print(f"build-spark: DuckDB build to compare with: {time.monotonic() - reference_started:.0f} s")

    duckdb_manifest = json.loads(Path("target/spark-duckdb/manifest.json").read_text())
    duckdb_tables = read_duckdb(duckdb_path, schemas(duckdb_manifest, keys))
    spark_tables = read_spark(spark_schemas)
    comparison = Comparison()
    for name, key in keys.items():
        comparison.tables += 1
        comparison.rows += len(duckdb_tables[name].rows)
        comparison.differences += compare_table(name, key, duckdb_tables[name], spark_tables[name])
    for difference in comparison.differences[:MAX_DIFFERENCES]:
        print(f"DIFF {difference}")
    if len(comparison.differences) > MAX_DIFFERENCES:
        print(f"... and {len(comparison.differences) - MAX_DIFFERENCES} more differences")
    verdict = "identical" if not comparison.differences else f"{len(comparison.differences)} DIFFERENCES"
    print(
        f"build-spark: Spark vs DuckDB: {comparison.tables} tables, {comparison.rows} rows: {verdict} "
        f"(DECIMALs exactly, DOUBLEs within {DOUBLE_TOLERANCE:g}); {time.monotonic() - started:.0f} s in all"
    )
    return 1 if comparison.differences else 0
