"""`make report` (python -m kessan.report): every chart is drawn, in headless Chromium, from the warehouse's numbers.

The report is rendered from the pristine build's warehouse, and again from a copy of it with a few numbers
changed: each chart must carry (data-value) exactly the numbers the warehouse holds, draw every mark it
carries (the page records, after layout, how many marks of each chart have a box), and follow the changed
numbers, so none of them is hard-coded. Chromium runs with the network off.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kessan.report import RELATIONS

from .browser import ParsedPage, dump_dom, parse, screenshot
from .builds import PROJECT_DIR, Build

COMPANY = "iij"  # the pristine build's one company; its charts are `iij|quarterly` ..., its marks `iij|key`
CHARTS = tuple(f"{COMPANY}|{chart}" for chart in ("quarterly", "segments", "plan", "quality"))
PLAN_LINES = ("revenue", "cost_of_revenue", "gross_margin", "sga_rd", "operating_income")


def render(db_path: Path, out_dir: Path) -> Path:
    """Run `python -m kessan.report` on a warehouse; the page it wrote."""
    completed = subprocess.run(
        [sys.executable, "-m", "kessan.report", "--db", str(db_path), "--out", str(out_dir)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return out_dir / "index.html"


def query(db_path: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [description[0] for description in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def close(shown: str, expected: Any) -> bool:
    """A data-value against the warehouse's value (both null, or equal to 1e-9 relative)."""
    if expected is None:
        return shown == ""
    return shown != "" and math.isclose(float(shown), float(expected), rel_tol=1e-9, abs_tol=1e-12)


def expected_marks(db_path: Path, company: str = COMPANY) -> dict[str, Any]:
    """Every number the report must show of a company, by data-key (`company|key`), queried from the warehouse."""
    expected: dict[str, Any] = {}
    of_company = f"where company_id = '{company}'"
    for row in query(db_path, f"select * from mtr_income_statement_fiscal_quarter {of_company}"):
        quarter = row["fiscal_quarter"]
        for measure in ("revenue", "gross_margin", "operating_income", "gross_margin_ratio", "operating_margin"):
            expected[f"{measure}|{quarter}"] = row[measure]
        if row["revenue_yoy_growth"] is not None:
            expected[f"revenue_yoy_growth|{quarter}"] = row["revenue_yoy_growth"]
    for row in query(db_path, f"select * from fct_segment_gross_margin {of_company}"):
        expected[f"share|FY{str(row['fiscal_year'])[-2:]}|{row['segment_id']}"] = row["share_of_total_gross_margin"]
    plan_lines = ", ".join(f"'{line}'" for line in PLAN_LINES)
    for row in query(
        db_path,
        f"select * from fct_plan_vs_actual where fiscal_period_id = '{company}:FY2018'"
        f" and line_item_id in ({plan_lines})",
    ):
        expected[f"target|{row['line_item_id']}"] = row["target_value"]
        expected[f"actual|{row['line_item_id']}"] = row["prior_year_actual"]
        expected[f"growth|{row['line_item_id']}"] = row["implied_yoy_growth"]
    for row in query(
        db_path, f"select expectation_suite, status, count(*) as n from rpt_data_quality {of_company} group by all"
    ):
        expected[f"{row['expectation_suite']}|{row['status']}"] = row["n"]
    for row in query(db_path, f"select * from rpt_data_quality {of_company} and status != 'pass'"):
        expected[f"reported|{row['check_id']}"] = row["reported_value"]
        expected[f"derived|{row['check_id']}"] = row["derived_value"]
        expected[f"residual|{row['check_id']}"] = row["residual"]
    return {f"{company}|{key}": value for key, value in expected.items()}


def rendered(db_path: Path, out_dir: Path) -> ParsedPage:
    """The report of a warehouse as Chromium rendered it (its DOM after layout and the inline script)."""
    dom = dump_dom(render(db_path, out_dir))
    assert 'data-rendered="true"' in dom, "the page's script did not run"
    return parse(dom)


def assert_shows(page: ParsedPage, expected: dict[str, Any]) -> None:
    """Every chart present and fully drawn, and its marks exactly the warehouse's numbers."""
    for chart in CHARTS:
        attrs = page.charts.get(chart)
        assert attrs is not None, f"chart {chart} is missing"
        marks = int(attrs["data-marks"])
        assert marks > 0, f"chart {chart} has no marks"
        assert attrs["data-drawn"] == attrs["data-marks"], f"chart {chart}: {attrs['data-drawn']} of {marks} drawn"
        assert page.marks(chart), f"chart {chart} carries no numbers"
    shown = page.marks()
    missing = sorted(set(expected) - set(shown))
    assert not missing, f"numbers the report does not show: {missing}"
    wrong = {key: (shown[key].attrs["data-value"], expected[key]) for key in expected}
    wrong = {key: values for key, values in wrong.items() if not close(*values)}
    assert not wrong, f"marks that differ from the warehouse (shown, warehouse): {wrong}"


@pytest.fixture(scope="module")
def pristine_report(pristine_build: Build, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ParsedPage]:
    assert pristine_build.returncode == 0, pristine_build.tail()
    out_dir = tmp_path_factory.mktemp("report")
    return out_dir / "index.html", rendered(pristine_build.db_path, out_dir)


def test_every_chart_is_drawn_from_the_warehouse(pristine_build: Build, pristine_report: tuple[Path, ParsedPage]):
    _, page = pristine_report
    expected = expected_marks(pristine_build.db_path)
    assert len(expected) > 60
    assert_shows(page, expected)
    status = next(e for e in page.elements if "data-status" in e.attrs)
    assert status.attrs["data-status"] == "ok"


def test_report_is_offline_and_reads_only_the_declared_relations(pristine_report: tuple[Path, ParsedPage]):
    path, page = pristine_report
    text = path.read_text()
    # No resource from elsewhere: no src/href to a URL, no CSS import or url(); SVG's namespace is not fetched.
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert not re.search(r"@import|url\(", text, re.I)
    assert not [
        e
        for e in page.elements
        if e.tag in ("script", "link", "img", "iframe") and ("src" in e.attrs or "href" in e.attrs)
    ]
    assert "relations read: " + ", ".join(RELATIONS) in text


def test_screenshot(pristine_report: tuple[Path, ParsedPage], tmp_path: Path) -> None:
    """The page renders to a picture (kept next to the page for a reader to look at)."""
    path, _ = pristine_report
    png = screenshot(path, tmp_path / "report.png")
    shutil.copy(png, path.parent / "screenshot.png")


def test_report_follows_the_warehouse(pristine_build: Build, pristine_report: tuple[Path, ParsedPage], tmp_path: Path):
    """Change a number behind each chart in a copy of the warehouse: the page shows and draws the new ones.

    The copy has another file name, so this also proves the mtr_ views survive a renamed warehouse file.
    """
    _, before = pristine_report
    db_path = tmp_path / "changed.duckdb"
    shutil.copy(pristine_build.db_path, db_path)
    with duckdb.connect(str(db_path)) as connection:
        connection.execute(
            "update fct_income_statement_quarterly set revenue = revenue + 5000"
            " where fiscal_period_id = 'iij:FY2017-Q3'"
        )
        connection.execute(
            "update fct_segment_gross_margin set share_of_total_gross_margin = 0.5"
            " where segment_gross_margin_id = 'iij:FY2017:network_services'"
        )
        connection.execute(
            "update fct_plan_vs_actual set target_value = 150000 where plan_line_id = 'iij:FY2018:revenue'"
        )
        connection.execute(
            "update rpt_data_quality set status = 'fail'"
            " where check_id = (select min(check_id) from rpt_data_quality where status = 'pass')"
        )
    after = rendered(db_path, tmp_path / "report")
    expected = expected_marks(db_path)
    assert_shows(after, expected)

    changed = {
        f"{COMPANY}|revenue|FY2017-Q3": ("height", 44624 + 5000),
        f"{COMPANY}|share|FY17|network_services": ("width", 0.5),
        f"{COMPANY}|target|revenue": ("width", 150000),
    }
    for key, (size, value) in changed.items():
        old, new = before.marks()[key].attrs, after.marks()[key].attrs
        assert close(new["data-value"], value), (key, new["data-value"])
        assert old[size] != new[size], f"{key}: the mark's {size} did not change ({old[size]})"
    status = next(e for e in after.elements if "data-status" in e.attrs)
    assert status.attrs["data-status"] == "failing"
    fails = [key for key in after.marks(f"{COMPANY}|quality") if key.endswith("|fail")]
    assert fails, "the failing check is not drawn"
