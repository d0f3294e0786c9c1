"""The semantic layer: `mf query` on the pristine build agrees with the mtr_ tables BI tools read.

MetricFlow runs as a user runs it (`mf query` in the project, the profile's read-only target), on the warehouse
of a copy of the session's pristine build. Amounts and ratios must match the views exactly (to 1e-9 relative), at the
fiscal-quarter and fiscal-year grains of the fiscal calendar, and at the calendar quarter and year. Companies with
other year ends and a year in progress: test_calendars.py.
"""

from __future__ import annotations

import csv
import math
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from .builds import Build, copy_built

MF = Path(sys.executable).parent / "mf"
QUARTER_METRICS = (
    "revenue",
    "cost_of_revenue",
    "gross_margin",
    "sga_rd",
    "operating_income",
    "gross_margin_ratio",
    "operating_margin",
    "revenue_yoy_growth",
    "gross_margin_yoy_growth",
    "operating_income_yoy_growth",
)
YEAR_METRICS = (*QUARTER_METRICS, "adjusted_ebitda", "adjusted_ebitda_yoy_growth", "quarters_reported")
# Calendar grains: metric_time is fiscal time (docs/decisions.md D25), so calendar quarters and years are those of
# the quarter's real first day, a time dimension of its own.
CALENDAR_DATE = "fiscal_quarter_period__calendar_date"


def mf_query(build: Build, metrics: tuple[str, ...], group_by: tuple[str, ...]) -> list[dict[str, str]]:
    """`mf query --csv` in the built project; its rows."""
    out = build.project_dir / f"mf_{'_'.join(group_by)}.csv"
    environment = {
        **os.environ,
        "KESSAN_DB_PATH": str(build.db_path),
        "DBT_PROFILES_DIR": str(build.project_dir),
        "DBT_TARGET": "readonly",
    }
    command = [str(MF), "query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by), "--csv", str(out)]
    completed = subprocess.run(
        command, cwd=build.project_dir, env=environment, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0 and out.is_file(), f"{' '.join(command)}:\n{completed.stdout}{completed.stderr}"
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


def view(build: Build, name: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(build.db_path), read_only=True) as connection:
        cursor = connection.execute(f"select * from {name}")
        names = [description[0] for description in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def same(from_mf: str, from_view: Any) -> bool:
    if from_view is None:
        return from_mf == ""
    return from_mf != "" and math.isclose(float(from_mf), float(from_view), rel_tol=1e-9, abs_tol=1e-12)


def compare(mf_rows: list[dict[str, str]], view_rows: dict[tuple[str, str], dict[str, Any]], time_column: str, metrics):
    """mf rows (by company and time) against view rows: same keys with data, same values."""
    by_key = {(row["company"], row[time_column]): row for row in mf_rows}
    with_data = {key for key, row in by_key.items() if any(row[metric] != "" for metric in ("revenue",))}
    assert with_data == set(view_rows), f"mf: {sorted(with_data)}; view: {sorted(view_rows)}"
    differences = [
        (key, metric, by_key[key][metric], row[metric])
        for key, row in view_rows.items()
        for metric in metrics
        if not same(by_key[key][metric], row[metric])
    ]
    assert not differences, f"(key, metric, mf, view): {differences}"


@pytest.fixture(scope="module")
def built(pristine_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Build:
    assert pristine_build.returncode == 0, pristine_build.tail()
    return copy_built(pristine_build, tmp_path_factory.mktemp("semantic") / "kessan")


def test_fiscal_quarter_metrics_agree_with_the_view(built: Build) -> None:
    mf_rows = mf_query(built, QUARTER_METRICS, ("metric_time__fiscal_quarter", "company"))
    rows = {(r["company_id"], r["fiscal_quarter"]): r for r in view(built, "mtr_income_statement_fiscal_quarter")}
    assert len(rows) == 8
    compare(mf_rows, rows, "metric_time__fiscal_quarter", QUARTER_METRICS)
    assert rows["iij", "FY2017-Q3"]["revenue"] == Decimal("44624.0")


def test_fiscal_year_metrics_agree_with_the_view(built: Build) -> None:
    mf_rows = mf_query(built, YEAR_METRICS, ("metric_time__fiscal_year", "company"))
    rows = {(r["company_id"], r["fiscal_year"]): r for r in view(built, "mtr_income_statement_fiscal_year")}
    assert set(rows) == {("iij", "FY2016"), ("iij", "FY2017")}
    compare(mf_rows, rows, "metric_time__fiscal_year", YEAR_METRICS)
    # The fiscal year is April - March (the sum of its fiscal quarters), with EBITDA from the annual statement.
    assert rows["iij", "FY2017"]["revenue"] == Decimal("176051.0")
    assert rows["iij", "FY2017"]["adjusted_ebitda"] == Decimal("19127.0")
    assert rows["iij", "FY2017"]["quarters_reported"] == 4
    assert math.isclose(rows["iij", "FY2017"]["revenue_yoy_growth"], 176051 / 157789 - 1, rel_tol=1e-12)


def test_ratios_are_re_aggregated_never_averaged(built: Build) -> None:
    quarters = [q for q in view(built, "mtr_income_statement_fiscal_quarter") if q["fiscal_year"] == "FY2017"]
    year = next(y for y in view(built, "mtr_income_statement_fiscal_year") if y["fiscal_year"] == "FY2017")
    for ratio, numerator in (("gross_margin_ratio", "gross_margin"), ("operating_margin", "operating_income")):
        of_sums = float(sum(q[numerator] for q in quarters)) / float(sum(q["revenue"] for q in quarters))
        average = sum(q[ratio] for q in quarters) / len(quarters)
        assert math.isclose(year[ratio], of_sums, rel_tol=1e-12)
        assert not math.isclose(year[ratio], average, rel_tol=1e-6), f"{ratio} looks like an average of ratios"


def test_calendar_quarter_and_year_grains(built: Build) -> None:
    """`mf query --metrics revenue --group-by fiscal_quarter_period__calendar_date__quarter` (calendar quarters)
    answers too. (`metric_time__quarter` is a quarter of fiscal time: IIJ's FY2017-Q1 on 2017-01-01.)"""
    mf_rows = mf_query(built, ("revenue",), (f"{CALENDAR_DATE}__quarter", "company"))
    by_start = {
        (r["company_id"], r["start_date"].isoformat()): r["revenue"]
        for r in view(built, "mtr_income_statement_fiscal_quarter")
    }
    shown = {(row["company"], row[f"{CALENDAR_DATE}__quarter"][:10]): row["revenue"] for row in mf_rows}
    # IIJ's fiscal quarters are calendar quarters (April - June is calendar Q2), so each matches one.
    assert set(shown) == set(by_start)
    assert all(same(shown[key], value) for key, value in by_start.items())
    # A calendar year is not a fiscal year: calendar 2017 = 4Q16 + 1Q17..3Q17.
    calendar = {
        row[f"{CALENDAR_DATE}__year"][:4]: row["revenue"]
        for row in mf_query(built, ("revenue",), (f"{CALENDAR_DATE}__year",))
    }
    assert float(calendar["2017"]) == 44187 + 40964 + 42024 + 44624
    # metric_time's own year is the fiscal year (fiscal time).
    fiscal = {
        row["metric_time__year"][:4]: row["revenue"] for row in mf_query(built, ("revenue",), ("metric_time__year",))
    }
    assert float(fiscal["2017"]) == 176051
