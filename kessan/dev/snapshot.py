"""Snapshot every relation of a DuckDB build, and compare two snapshots: proof that a refactor of the SQL
left the warehouse unchanged (same relations, same column names and types, same rows).

    python -m kessan snapshot export DB DIR      every table and view of DB, sorted, to DIR/<schema>.<name>.txt
    python -m kessan snapshot compare DIR1 DIR2  exits 1 naming each relation that differs
    python -m kessan snapshot compare --by-name DIR1 DIR2
                                   the same, matching relations by name whatever their schema (a build from
                                   before the schemas of docs/decisions.md D32 against one after)

Each file holds the relation's columns with their DuckDB types, then its rows sorted by every column, each value
as Python's repr (doubles to the last bit, DECIMALs with their scale). The build's own identity (rpt_data_quality's
build_id and built_at) differs from build to build and is left out.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

# Columns that identify the build, not the data.
VOLATILE = {("rpt_data_quality", "build_id"), ("rpt_data_quality", "built_at")}


def export(db: Path, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    relations = con.sql(
        "select schema_name, table_name from duckdb_tables() where database_name = current_database() "
        "union all select schema_name, view_name from duckdb_views() "
        "where not internal and database_name = current_database() order by all"
    ).fetchall()
    for schema, name in relations:
        columns = con.sql(f'describe "{schema}"."{name}"').fetchall()
        kept = [(column, dtype) for column, dtype, *_ in columns if (name, column) not in VOLATILE]
        select = ", ".join(f'"{column}"' for column, _ in kept)
        rows = con.sql(f'select {select} from "{schema}"."{name}" order by all').fetchall()
        lines = [" | ".join(f"{column} {dtype}" for column, dtype in kept)]
        lines += [" | ".join(repr(value) for value in row) for row in rows]
        (out / f"{schema}.{name}.txt").write_text("\n".join(lines) + "\n")
    print(f"{len(relations)} relations of {db} written to {out}")
    return len(relations)


class AmbiguousName(Exception):
    """--by-name, and two schemas of one snapshot hold a relation of the same name."""


def relation_files(folder: Path, by_name: bool) -> dict[str, Path]:
    """A snapshot's files by relation: `schema.name.txt`, or `name.txt` by name alone."""
    files: dict[str, Path] = {}
    for path in sorted(folder.glob("*.txt")):
        key = path.name.split(".", 1)[1] if by_name else path.name
        if key in files:
            raise AmbiguousName(f"{folder}: {files[key].name} and {path.name} have one name: compare them by schema")
        files[key] = path
    return files


def compare(left: Path, right: Path, by_name: bool = False) -> list[str]:
    left_files, right_files = relation_files(left, by_name), relation_files(right, by_name)
    problems = [f"only in {left}: {name}" for name in sorted(left_files.keys() - right_files.keys())]
    problems += [f"only in {right}: {name}" for name in sorted(right_files.keys() - left_files.keys())]
    for name in sorted(left_files.keys() & right_files.keys()):
        left_lines = left_files[name].read_text().splitlines()
        right_lines = right_files[name].read_text().splitlines()
        if left_lines[0] != right_lines[0]:
            problems.append(f"{name}: columns differ:\n  {left_lines[0]}\n  {right_lines[0]}")
        elif left_lines != right_lines:
            only_left = sorted(set(left_lines) - set(right_lines))
            only_right = sorted(set(right_lines) - set(left_lines))
            problems.append(
                f"{name}: rows differ ({len(left_lines) - 1} vs {len(right_lines) - 1}); first only in {left}: "
                f"{only_left[:1]}; first only in {right}: {only_right[:1]}"
            )
    compared = len(left_files.keys() & right_files.keys())
    print(f"{compared} relations compared, {len(problems)} difference(s)")
    for problem in problems:
        print(problem)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kessan snapshot", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    exporting = commands.add_parser("export", help="snapshot every relation of a DuckDB file")
    exporting.add_argument("db", type=Path)
    exporting.add_argument("out", type=Path)
    comparing = commands.add_parser("compare", help="compare two snapshots")
    comparing.add_argument("--by-name", action="store_true", help="match relations by name, whatever their schema")
    comparing.add_argument("left", type=Path)
    comparing.add_argument("right", type=Path)
    args = parser.parse_args(argv)
    if args.command == "export":
        export(args.db, args.out)
        return 0
    try:
        return 1 if compare(args.left, args.right, args.by_name) else 0
    except AmbiguousName as error:
        print(f"kessan snapshot: {error}")
        return 2
