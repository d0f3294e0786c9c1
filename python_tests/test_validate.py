"""kessan.validate on small hand-made `rpt_data_quality` tables: passes, failures, vacuous suites, malformed rows,
the summary the suites read, GX errors.

Each case writes a DuckDB file with the columns (and types) _reports.yml declares for rpt_data_quality, then runs
`python -m kessan validate` on it from the project directory, as `make` does, but in this process
(`kessan.validate.main`): importing Great Expectations takes seconds, once per test process rather than
once per case.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from kessan import validate as validation

PROJECT_DIR = Path(__file__).resolve().parents[1]
SUITES = ["balance_sheet", "cash_flow", "income_statement", "plans", "reported_vs_derived", "segments"]
REASON = "The document's FY16 EBITDA uses a different D&A. See docs/decisions.md D6."


def declared_columns() -> list[tuple[str, str]]:
    """rpt_data_quality's columns and data types, as _reports.yml declares them."""
    models = yaml.safe_load((PROJECT_DIR / "models/reports/_reports.yml").read_text())["models"]
    model = next(model for model in models if model["name"] == "rpt_data_quality")
    return [(column["name"], column["data_type"]) for column in model["columns"]]


def check(suite: str, line_item: str, identity: str, **values: Any) -> dict[str, Any]:
    """A passing check of `suite`; `values` override its columns."""
    figure = f"iij:FY2017:{line_item}:actual:value"
    row = {
        "build_id": "test",
        "built_at": "2026-01-01 00:00:00",
        "check_id": f"{identity}|{figure}@iij-fy2017-results/III-2",
        "identity_id": identity,
        "document_id": "iij-fy2017-results",
        "published_on": "2018-05-15",
        "family": "time",
        "expectation_suite": suite,
        "company_id": "iij",
        "fiscal_period_id": "iij:FY2017",
        "period_code": "FY2017",
        "scenario": "actual",
        "line_item_id": line_item,
        "basis": "value",
        "reported_figure_ids": f"{figure}@iij-fy2017-results/III-2",
        "derived_from_figure_ids": f"iij:FY2017-Q1:{line_item}:actual:value@iij-fy2017-results/III-2, "
        f"iij:FY2017-Q2:{line_item}:actual:value@iij-fy2017-results/III-2",
        "reported_value": Decimal("100"),
        "derived_value": Decimal("100"),
        "residual": Decimal("0"),
        "tolerance": Decimal("2.5"),
        "status": "pass",
        "documented_residual": None,
        "exception_reason": None,
    }
    return row | values


def passing_rows() -> list[dict[str, Any]]:
    """A check per suite, all passing, and one documented exception."""
    return [
        check("income_statement", "revenue", "quarters_sum_to_period"),
        check(
            "income_statement",
            "adjusted_ebitda",
            "adjusted_ebitda",
            period_code="FY2016",
            reported_value=Decimal("16100"),
            derived_value=Decimal("16028"),
            residual=Decimal("72"),
            tolerance=Decimal("51.5"),
            status="documented_exception",
            documented_residual=Decimal("72"),
            exception_reason=REASON,
        ),
        check("segments", "gross_margin_si", "quarters_sum_to_period"),
        check("balance_sheet", "total_shareholders_equity", "shareholders_equity"),
        check("cash_flow", "net_income_including_noncontrolling", "consolidated_net_income"),
        check("plans", "revenue_target", "pct_of_revenue", scenario="target"),
        check("reported_vs_derived", "mobile_subscriptions", "mobile_subscriptions"),
    ]


def failing(row: dict[str, Any]) -> dict[str, Any]:
    """The row with is_failing as the model defines it from its status (unless the case sets it)."""
    return {"is_failing": row["status"] not in ("pass", "documented_exception"), **row}


def write_table(db_path: Path, rows: list[dict[str, Any]], drop: str | None = None) -> None:
    """`rows` as a fresh rpt_data_quality (without column `drop`) in a new DuckDB file."""
    columns = [(name, data_type) for name, data_type in declared_columns() if name != drop]
    with duckdb.connect(str(db_path)) as con:
        con.execute(f"create table rpt_data_quality ({', '.join(f'{n} {t}' for n, t in columns)})")
        con.executemany(
            f"insert into rpt_data_quality values ({', '.join('?' for _ in columns)})",
            [[failing(row).get(name) if name == "is_failing" else row[name] for name, _ in columns] for row in rows],
        )


def validate(tmp_path: Path, rows: list[dict[str, Any]], drop: str | None = None) -> tuple[int, str]:
    """Write `rows` to a fresh rpt_data_quality (without column `drop`), run kessan.validate on it."""
    db_path = tmp_path / "kessan.duckdb"
    write_table(db_path, rows, drop)
    output, directory = io.StringIO(), os.getcwd()
    os.chdir(PROJECT_DIR)
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            returncode = validation.main(["--db", str(db_path), "--docs-dir", str(tmp_path / "docs")])
    finally:
        os.chdir(directory)
    return returncode, output.getvalue()


def test_suite_files_cover_the_suites_the_table_may_name() -> None:
    files = sorted(PROJECT_DIR.glob("expectations/*.json"))
    assert [path.stem for path in files] == SUITES
    for path in files:
        suite = json.loads(path.read_text())
        assert suite["name"] == path.stem and suite["meta"]["table"] == "rpt_data_quality"
        for expectation in suite["expectations"]:
            assert expectation.get("description"), (path.name, expectation["type"])
            query = expectation["kwargs"].get("unexpected_rows_query")
            assert query is None or "{batch}" in query, (path.name, query)
    structure = json.loads((PROJECT_DIR / "expectations/reported_vs_derived.json").read_text())["expectations"]
    in_set = [e for e in structure if e["type"] == "expect_column_values_to_be_in_set"]
    assert [sorted(e["kwargs"]["value_set"]) for e in in_set if e["kwargs"]["column"] == "expectation_suite"] == [
        SUITES
    ]


def test_all_passing_exits_0_and_writes_data_docs(tmp_path: Path) -> None:
    returncode, output = validate(tmp_path, passing_rows())
    assert returncode == 0, output
    assert "NOTE income_statement: adjusted_ebitda FY2016" in output and REASON in output
    docs = tmp_path / "docs"
    assert (docs / "index.html").is_file()
    for suite in SUITES:
        assert (docs / "expectations" / f"{suite}.html").is_file(), suite
        assert list((docs / "validations" / suite).rglob("*.html")), suite


def test_a_failing_check_exits_1_and_names_the_figure(tmp_path: Path) -> None:
    rows = passing_rows()
    rows[0] |= {
        "reported_value": Decimal("176051"),
        "derived_value": Decimal("176061"),
        "residual": Decimal("-10"),
        "status": "fail",
    }
    returncode, output = validate(tmp_path, rows)
    assert returncode == 1, output
    assert (
        "FAIL income_statement: revenue FY2017 (actual, value) — identity quarters_sum_to_period: "
        "reported 176,051 vs derived 176,061 from [iij:FY2017-Q1:revenue:actual:value@iij-fy2017-results/III-2, "
        "iij:FY2017-Q2:revenue:actual:value@iij-fy2017-results/III-2]; residual -10 > tolerance 2.5"
    ) in output


def test_a_suite_without_checks_exits_1(tmp_path: Path) -> None:
    rows = [row for row in passing_rows() if row["expectation_suite"] != "cash_flow"]
    returncode, output = validate(tmp_path, rows)
    assert returncode == 1, output
    assert "FAIL cash_flow: expectation_suite=cash_flow, checks=0" in output


def test_stale_exceptions_exit_1(tmp_path: Path) -> None:
    rows = passing_rows()
    rows[1] |= {"derived_value": Decimal("16099"), "residual": Decimal("1"), "status": "stale_exception"}
    gone = {name: None for name in ("identity_id", "family", "reported_value", "derived_value", "residual")}
    rows.append(
        check("reported_vs_derived", "operating_income", "operating_income", check_id="operating_income|gone")
        | gone
        | {"tolerance": None, "status": "stale_exception", "documented_residual": Decimal("3"), "exception_reason": "x"}
    )
    returncode, output = validate(tmp_path, rows)
    assert returncode == 1, output
    assert (
        "STALE income_statement: adjusted_ebitda FY2016 (actual, value) — identity adjusted_ebitda: reported 16,100 "
        "vs derived 16,099"
    ) in output
    assert "residual 1 <= tolerance 51.5: the documented exception (documented residual 72) reconciles now" in output
    assert "STALE reported_vs_derived: documented exception operating_income|gone has no check any more" in output


def test_malformed_rows_exit_1_and_name_the_problem(tmp_path: Path) -> None:
    rows = passing_rows()
    rows[0] |= {"tolerance": Decimal("-1")}  # a pass: only its form is wrong
    rows[2] |= {"expectation_suite": "segmentz"}
    rows[1] |= {"exception_reason": None}
    returncode, output = validate(tmp_path, rows)
    assert returncode == 1, output
    check_ids = [row["check_id"] for row in rows]
    assert f"MALFORMED income_statement: check {check_ids[0]}: a negative tolerance" in output
    assert f"MALFORMED segmentz: check {check_ids[2]}: a suite no file under expectations/ enforces" in output
    assert f"MALFORMED income_statement: check {check_ids[1]}: a documented exception without its reason" in output


def test_the_suites_read_a_summary_of_the_failing_rows_only(tmp_path: Path) -> None:
    rows = passing_rows()
    many = [check("segments", "gross_margin_si", "quarters_sum_to_period", check_id=f"c{i}") for i in range(500)]
    rows[0] |= {"residual": Decimal("-10"), "status": "fail"}
    db_path, summary_path = tmp_path / "kessan.duckdb", tmp_path / "summary.duckdb"
    write_table(db_path, rows + many)
    validation.summarise(db_path, "rpt_data_quality", SUITES, summary_path)
    with duckdb.connect(str(summary_path), read_only=True) as con:
        findings = con.execute(f"select check_id, status, problem from {validation.FINDINGS} order by all").fetchall()
        summary = con.execute(f"select * from {validation.SUMMARY} order by expectation_suite").fetchall()
    assert findings == [
        (rows[1]["check_id"], "documented_exception", None),
        (rows[0]["check_id"], "fail", None),
    ]
    assert ("segments", 501, 501, 0, 0) in summary and ("income_statement", 2, 0, 1, 1) in summary
    assert sum(row[1] for row in summary) == len(rows) + len(many)


def test_a_table_without_a_column_the_summary_needs_exits_2(tmp_path: Path) -> None:
    returncode, output = validate(tmp_path, passing_rows(), drop="exception_reason")
    assert returncode == 2, output
    assert "ERROR: cannot summarise rpt_data_quality" in output and "exception_reason" in output


def test_a_gx_error_exits_2_not_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    suites = tmp_path / "expectations"
    suites.mkdir()
    for path in (PROJECT_DIR / "expectations").glob("*.json"):
        text = path.read_text()
        if path.stem == "plans":  # a query GX cannot run: a column the summary does not have
            text = text.replace("f.exception_reason from", "f.no_such_column from")
        (suites / path.name).write_text(text)
    monkeypatch.setattr(validation, "SUITES_DIR", str(suites))
    returncode, output = validate(tmp_path, passing_rows())
    assert returncode == 2, output
    assert "GX ERROR plans" in output and "no_such_column" in output
