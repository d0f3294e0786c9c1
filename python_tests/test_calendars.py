"""Companies with different fiscal year ends, and a year in progress, built and published together.

The session's build of the next documents (conftest.build_next_documents): beside IIJ and its next documents, a
copy of IIJ's FY2017 deck as a December-year company whose years are named by their end (`DECEMBER`: its FY2017 is
January - December 2017), and a second copy (`IN_PROGRESS`, March) that has also reported FY2018-Q1 alone. The
December copy's dated figures (the balance sheets at 2017-03-31 and 2018-03-31, KPIs at a date) are moved to its
own year ends (three months earlier): left where they are they would fall in its first quarters, and the
roll-forward, ROE and "changes" checks that pair a year-end balance with its fiscal year would have nothing to pair
with. The copies hold the FY2017 deck's values (IIJ's own, restated by its next documents, are
test_next_documents').

The semantic layer (docs/decisions.md D25): `mf query` by fiscal year and quarter gives each company its own
calendar's quarters and agrees with the mtr_ tables; the calendar grains count each quarter by its real dates; a
year in progress says how many quarters it holds, and its YoY compares the same quarters a year earlier. The report
has a section per company, and `--company` one company.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from .builds import Build
from .conftest import DECEMBER, IN_PROGRESS
from .test_semantic_layer import QUARTER_METRICS, YEAR_METRICS, compare, mf_query, same, view

IIJ_REVENUE = {"FY2016": 157789, "FY2017": 176051}
IIJ_QUARTERS = {"FY2016-Q4": 44187, "FY2017-Q1": 40964, "FY2017-Q2": 42024, "FY2017-Q3": 44624, "FY2017-Q4": 48439}


@pytest.fixture(scope="module")
def calendars(next_documents: Build) -> Build:
    assert next_documents.returncode == 0, next_documents.tail()
    return next_documents


def test_the_build_publishes(calendars: Build) -> None:
    assert "kessan build: PUBLISHED build" in calendars.output
    companies = {row["company_id"]: row for row in view(calendars, "dim_companies")}
    assert set(companies) == {"iij", "hoshi", DECEMBER, IN_PROGRESS}
    assert companies[DECEMBER]["fiscal_year_end_month"] == 12


def test_each_company_has_its_own_fiscal_quarters(calendars: Build) -> None:
    """The same fiscal quarter code is each company's own quarter: real dates differ, fiscal time is shared."""
    rows = {(r["company_id"], r["fiscal_quarter"]): r for r in view(calendars, "mtr_income_statement_fiscal_quarter")}
    assert rows["iij", "FY2017-Q1"]["start_date"].isoformat() == "2017-04-01"
    assert rows[DECEMBER, "FY2017-Q1"]["start_date"].isoformat() == "2017-01-01"
    assert rows[DECEMBER, "FY2017-Q4"]["end_date"].isoformat() == "2017-12-31"
    for company in (DECEMBER, IN_PROGRESS):
        for quarter, revenue in IIJ_QUARTERS.items():
            assert rows[company, quarter]["revenue"] == revenue
    assert rows[IN_PROGRESS, "FY2018-Q1"]["revenue"] == Decimal("45123.0")
    mf_rows = mf_query(calendars, QUARTER_METRICS, ("metric_time__fiscal_quarter", "company"))
    compare(mf_rows, rows, "metric_time__fiscal_quarter", QUARTER_METRICS)


def test_fiscal_year_revenue_of_every_company(calendars: Build) -> None:
    mf_rows = mf_query(calendars, YEAR_METRICS, ("metric_time__fiscal_year", "company"))
    rows = {(r["company_id"], r["fiscal_year"]): r for r in view(calendars, "mtr_income_statement_fiscal_year")}
    compare(mf_rows, rows, "metric_time__fiscal_year", YEAR_METRICS)
    # IIJ's FY2017 is April 2017 - March 2018, the December company's January - December 2017: each the sum of
    # its own four quarters.
    for company in (DECEMBER, IN_PROGRESS):
        for year, revenue in IIJ_REVENUE.items():
            assert rows[company, year]["revenue"] == revenue and rows[company, year]["quarters_reported"] == 4
        assert rows[company, "FY2017"]["adjusted_ebitda"] == Decimal("19127.0")
        assert abs(rows[company, "FY2017"]["revenue_yoy_growth"] - (176051 / 157789 - 1)) < 1e-12


def test_a_year_in_progress_is_compared_year_to_date(calendars: Build) -> None:
    rows = {(r["company_id"], r["fiscal_year"]): r for r in view(calendars, "mtr_income_statement_fiscal_year")}
    year = rows[IN_PROGRESS, "FY2018"]
    assert year["quarters_reported"] == 1
    assert year["revenue"] == Decimal("45123.0")
    # Q1 against Q1 a year earlier, never against the full FY2017 (176,051).
    assert abs(year["revenue_yoy_growth"] - (45123 / 40964 - 1)) < 1e-12
    gross_margin_q1 = 40964 - next(
        r["cost_of_revenue"]
        for r in view(calendars, "mtr_income_statement_fiscal_quarter")
        if (r["company_id"], r["fiscal_quarter"]) == (IN_PROGRESS, "FY2017-Q1")
    )
    assert abs(year["gross_margin_yoy_growth"] - ((45123 - 38001) / float(gross_margin_q1) - 1)) < 1e-12
    assert year["adjusted_ebitda"] is None and year["adjusted_ebitda_yoy_growth"] is None
    # The full year before keeps its own YoY; the others have no FY2018.
    assert rows[IN_PROGRESS, "FY2017"]["revenue_yoy_growth"] == rows[DECEMBER, "FY2017"]["revenue_yoy_growth"]
    assert (DECEMBER, "FY2018") not in rows
    mf_rows = mf_query(
        calendars, ("quarters_reported", "revenue", "revenue_yoy_growth"), ("metric_time__fiscal_year", "company")
    )
    shown = {(r["company"], r["metric_time__fiscal_year"]): r for r in mf_rows}
    assert shown[IN_PROGRESS, "FY2018"]["quarters_reported"] == "1"
    assert same(shown[IN_PROGRESS, "FY2018"]["revenue_yoy_growth"], year["revenue_yoy_growth"])


def test_calendar_grains_count_quarters_by_their_real_dates(calendars: Build) -> None:
    grain = "fiscal_quarter_period__calendar_date__year"
    shown = {
        (row["company"], row[grain][:4]): (row["revenue"], row["quarters_reported"])
        for row in mf_query(calendars, ("revenue", "quarters_reported"), (grain, "company"))
    }
    # A March company's calendar 2017 is 4Q16 + 1Q17..3Q17; the December company's calendar 2017 is its FY2017.
    assert float(shown[IN_PROGRESS, "2017"][0]) == 44187 + 40964 + 42024 + 44624
    assert float(shown[DECEMBER, "2017"][0]) == IIJ_REVENUE["FY2017"]
    assert shown[DECEMBER, "2017"][1] == "4"
    assert float(shown[IN_PROGRESS, "2018"][0]) == 48439 + 45123
    quarter = "fiscal_quarter_period__calendar_date__quarter"
    by_quarter = {
        (r["company"], r[quarter][:10]): r["revenue"] for r in mf_query(calendars, ("revenue",), (quarter, "company"))
    }
    assert float(by_quarter[DECEMBER, "2017-10-01"]) == IIJ_QUARTERS["FY2017-Q4"]
    assert float(by_quarter[IN_PROGRESS, "2017-10-01"]) == IIJ_QUARTERS["FY2017-Q3"]


def report(build: Build, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kessan", "report", "--db", str(build.db_path), "--out", str(out), *args],
        cwd=build.project_dir,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_report_has_a_section_per_company(calendars: Build, tmp_path: Path) -> None:
    completed = report(calendars, tmp_path / "all")
    assert completed.returncode == 0, completed.stderr
    page = (tmp_path / "all" / "index.html").read_text()
    for company in ("iij", "hoshi", DECEMBER, IN_PROGRESS):
        assert f'data-company="{company}"' in page
    for company in ("iij", DECEMBER, IN_PROGRESS):
        assert f'data-key="{company}|revenue|FY2017-Q3"' in page
    assert 'data-key="hoshi|revenue|FY2018-Q3"' in page
    assert f'data-key="{DECEMBER}|revenue|FY2018-Q1"' not in page
    assert f'data-key="{IN_PROGRESS}|revenue|FY2018-Q1"' in page
    assert "fiscal years end in December" in page and "fiscal years end in March" in page

    completed = report(calendars, tmp_path / "one", "--company", DECEMBER)
    assert completed.returncode == 0, completed.stderr
    page = (tmp_path / "one" / "index.html").read_text()
    assert f'data-company="{DECEMBER}"' in page and 'data-company="iij"' not in page
    # Only the company's own checks.
    assert 'data-key="iij|' not in page

    completed = report(calendars, tmp_path / "none", "--company", "nosuch")
    assert completed.returncode == 2
    assert "nosuch" in completed.stderr and f"{DECEMBER}, hoshi, iij, {IN_PROGRESS}" in completed.stderr


def test_a_calendar_the_layer_cannot_hold_fails_naming_it(calendars: Build, tmp_path: Path) -> None:
    """A fiscal year ending in another month (here February: quarters March - May ...) has fiscal quarters that are
    not calendar quarters, so the calendar grains cannot hold it: the build's test on sem_income_statement_quarters
    fails with a row naming the company, the quarter and its dates (run here as the build runs it, on a copy of the
    warehouse with the December company's quarters moved by two months in the mart the view reads)."""
    compiled = next((calendars.project_dir / "target" / "compiled").rglob("fiscal_quarters_fit_calendar_*.sql"))
    warehouse = tmp_path / "kessan.duckdb"  # the catalog the compiled SQL names
    shutil.copy(calendars.built_db_path, warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        assert connection.execute(compiled.read_text()).fetchall() == []
        connection.execute(
            "update fct_income_statement_quarterly set start_date = start_date + interval 2 month,"
            f" end_date = last_day(end_date + interval 2 month) where company_id = '{DECEMBER}'"
        )
        messages = [row[-1] for row in connection.execute(compiled.read_text()).fetchall()]
    assert len(messages) == 8
    expected = f"company {DECEMBER}: fiscal quarter {DECEMBER}:FY2017-Q1 (2017-03-01 .. 2017-05-31) is not a calendar"
    assert any(message.startswith(expected) for message in messages), messages
