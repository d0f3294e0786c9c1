"""kessan.dev.snapshot, the proof that a refactor left every relation unchanged, on small hand-made files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kessan.dev.snapshot import compare, export, main


def database(path: Path, schema: str, rows: str, extra_column: bool = False) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute(f"create schema if not exists {schema}")
        column = ", 'x' as note" if extra_column else ""
        con.execute(
            f"create table {schema}.figures as select figure_id, cast(value as decimal(18, 1)) as value{column}"
            f" from (values {rows}) as t(figure_id, value)"
        )
        con.execute("create or replace view main.kept as select 1 as one")
    return path


def snapshot(tmp_path: Path, name: str, schema: str = "main", rows: str = "('a', 1.5), ('b', 2)", **kwargs) -> Path:
    out = tmp_path / f"{name}_snapshot"
    export(database(tmp_path / f"{name}.duckdb", schema, rows, **kwargs), out)
    return out


def test_identical_builds_compare_equal_whatever_the_row_order(tmp_path: Path) -> None:
    assert compare(snapshot(tmp_path, "one"), snapshot(tmp_path, "two", rows="('b', 2), ('a', 1.5)")) == []


def test_a_changed_value_a_changed_column_and_a_missing_relation_are_each_named(tmp_path: Path) -> None:
    base = snapshot(tmp_path, "base")
    [value] = compare(base, snapshot(tmp_path, "value", rows="('a', 1.5), ('b', 3)"))
    assert value.startswith("main.figures.txt: rows differ (2 vs 2)") and "'b' | Decimal('3.0')" in value
    [column] = compare(base, snapshot(tmp_path, "column", extra_column=True))
    assert column.startswith("main.figures.txt: columns differ")
    assert compare(base, snapshot(tmp_path, "moved", schema="staging")) == [
        f"only in {base}: main.figures.txt",
        f"only in {tmp_path / 'moved_snapshot'}: staging.figures.txt",
    ]


def test_by_name_matches_a_relation_that_moved_schema_and_still_sees_its_changes(tmp_path: Path) -> None:
    base = snapshot(tmp_path, "base")
    assert compare(base, snapshot(tmp_path, "moved", schema="staging"), by_name=True) == []
    [changed] = compare(base, snapshot(tmp_path, "changed", schema="staging", rows="('a', 1.5)"), by_name=True)
    assert changed.startswith("figures.txt: rows differ (2 vs 1)")


def test_by_name_refuses_a_name_in_two_schemas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    twice = tmp_path / "twice.duckdb"
    database(twice, "main", "('a', 1)")
    database(twice, "staging", "('a', 1)")
    export(twice, tmp_path / "twice_snapshot")
    status = main(["compare", "--by-name", str(tmp_path / "twice_snapshot"), str(snapshot(tmp_path, "base"))])
    assert status == 2
    assert "main.figures.txt and staging.figures.txt have one name" in capsys.readouterr().out
