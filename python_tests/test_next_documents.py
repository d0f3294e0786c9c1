"""The next documents, as they arrive: examples/next_documents/ appended to the seeds, built with `make build`'s
entry point (the session's build, conftest.build_next_documents, which test_calendars shares). IIJ's FY2017 deck
with a 1Q FY2018 document that restates comparatives and a 3Q document (a year in progress), and a December-year
company whose 決算短信 truncates and prints ▲ negatives.

The marts show the latest document's values; rpt_restatements lists exactly the changed figures; each check is
evaluated in its own document; no check of the FY2017 deck changes its status; truncation explains what
round-to-nearest cannot (the same document declared `round` fails).
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from .builds import Build, Seed, add_next_documents, copy_built, run_dbt_build
from .test_semantic_layer import mf_query

FY2017_DECK = "iij-fy2017-results"
Q1_DOCUMENT = "iij-1q-fy2018-results"
Q3_DOCUMENT = "iij-3q-fy2018-results"
TANSHIN = "hoshi-fy2018-tanshin"
# The comparatives the two IIJ documents restate (FY2017 deck's value -> the later one), and nothing else.
RESTATED = {
    ("FY2017-Q1", "revenue"): (FY2017_DECK, 40964, Q1_DOCUMENT, 41210),
    ("FY2017-Q1", "cost_of_revenue"): (FY2017_DECK, 34434, Q1_DOCUMENT, 34680),
    ("FY2017-Q2", "revenue"): (FY2017_DECK, 42024, Q3_DOCUMENT, 42290),
    ("FY2017-Q2", "cost_of_revenue"): (FY2017_DECK, 35529, Q3_DOCUMENT, 35795),
    ("FY2017-Q3", "revenue"): (FY2017_DECK, 44624, Q3_DOCUMENT, 44880),
    ("FY2017-Q3", "cost_of_revenue"): (FY2017_DECK, 37894, Q3_DOCUMENT, 38150),
}
HOSHI_YEAR_SUM = f"quarters_sum_to_period|hoshi:FY2018:revenue:actual:value@{TANSHIN}/1"
HOSHI_YEAR_GROWTH = f"yoy_pct|hoshi:FY2018:revenue:actual:yoy_pct@{TANSHIN}/1"


def rows(db_path: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [description[0] for description in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def built(next_documents: Build) -> Build:
    assert next_documents.returncode == 0, next_documents.tail(120)
    return next_documents


def test_the_next_documents_build_and_publish(built: Build) -> None:
    assert "kessan build: PUBLISHED" in built.output
    documents = rows(
        built.db_path,
        "select document_id, document_rank, is_latest_document from dim_documents where company_id in ('iij', 'hoshi')",
    )
    ranks = {row["document_id"]: (row["document_rank"], row["is_latest_document"]) for row in documents}
    assert ranks == {FY2017_DECK: (1, False), Q1_DOCUMENT: (2, False), Q3_DOCUMENT: (3, True), TANSHIN: (1, True)}


def test_restatements_list_exactly_the_changed_figures(built: Build) -> None:
    listed = {
        (row["period_code"], row["line_item_id"]): (
            row["earlier_document_id"],
            row["earlier_value"],
            row["later_document_id"],
            row["later_value"],
        )
        for row in rows(built.db_path, "select * from rpt_restatements")
    }
    assert listed == {key: (a, Decimal(b), c, Decimal(d)) for key, (a, b, c, d) in RESTATED.items()}
    standards = rows(
        built.db_path, "select distinct is_standard_change, later_accounting_standard from rpt_restatements"
    )
    assert standards == [{"is_standard_change": True, "later_accounting_standard": "IFRS"}]


def test_the_marts_show_the_latest_values(built: Build) -> None:
    quarters = {
        row["fiscal_period_id"]: row
        for row in rows(built.db_path, "select * from fct_income_statement_quarterly where company_id = 'iij'")
    }
    for (period, line), (_, _, _, restated) in RESTATED.items():
        assert quarters[f"iij:{period}"][line] == Decimal(restated), (period, line)
    assert quarters["iij:FY2017-Q4"]["revenue"] == Decimal("48439.0")  # not reprinted: the FY2017 deck's
    assert quarters["iij:FY2018-Q3"]["revenue"] == Decimal("50310.0")
    # Every printing stays, as reported: the first value beside the latest.
    printed = rows(
        built.db_path,
        "select document_id, value, is_latest, first_reported_value from fct_figures_as_reported"
        " where company_id = 'iij' and period_code = 'FY2017-Q1' and line_item_id = 'revenue'"
        " and basis = 'value' and unit_id = 'jpy_million'",
    )
    assert {r["document_id"]: (r["value"], r["is_latest"], r["first_reported_value"]) for r in printed} == {
        FY2017_DECK: (Decimal(40964), False, Decimal(40964)),
        Q1_DOCUMENT: (Decimal(41210), False, Decimal(40964)),
        Q3_DOCUMENT: (Decimal(41210), True, Decimal(40964)),
    }


def test_a_change_of_standard_is_flagged_not_read_as_growth(built: Build) -> None:
    quarters = {
        row["fiscal_period_id"]: row
        for row in rows(built.db_path, "select * from fct_income_statement_quarterly where company_id = 'iij'")
    }
    assert quarters["iij:FY2017-Q4"]["accounting_standard"] == "US GAAP"
    assert quarters["iij:FY2018-Q2"]["accounting_standard"] == "IFRS"
    assert quarters["iij:FY2018-Q1"]["is_qoq_comparability_break"] is True  # against US GAAP 4Q17
    assert quarters["iij:FY2018-Q2"]["is_qoq_comparability_break"] is False
    assert quarters["iij:FY2016-Q2"]["is_yoy_comparability_break"] is None  # no FY2015


def test_each_check_is_evaluated_in_its_document(built: Build, pristine_build: Build) -> None:
    """The 1Q18 YoY % against the 1Q17 base as the 1Q document restates it; the FY2017 deck's checks as before."""
    checks = {row["check_id"]: row for row in rows(built.db_path, "select * from rpt_data_quality")}
    growth = checks[f"yoy_pct|iij:FY2018-Q1:revenue:actual:yoy_pct@{Q1_DOCUMENT}/2"]
    assert growth["document_id"] == Q1_DOCUMENT and growth["status"] == "pass", growth
    assert f"iij:FY2017-Q1:revenue:actual:value@{Q1_DOCUMENT}/2" in growth["derived_from_figure_ids"]
    before = {row["check_id"]: row for row in rows(pristine_build.db_path, "select * from rpt_data_quality")}
    deck = {check_id: row for check_id, row in checks.items() if row["document_id"] == FY2017_DECK}
    assert set(deck) == set(before)
    changed = [
        (check_id, before[check_id][column], row[column])
        for check_id, row in deck.items()
        for column in ("status", "reported_value", "derived_value", "residual", "tolerance")
        if row[column] != before[check_id][column]
    ]
    assert not changed, changed[:5]
    assert {row["status"] for row in checks.values()} == {"pass", "documented_exception"}


def test_a_year_in_progress_is_not_a_full_year(built: Build) -> None:
    annual = rows(
        built.db_path,
        "select fiscal_period_id, scenario, quarters_reported from fct_income_statement_annual"
        " where company_id = 'iij' and period_grain = 'fiscal_year'",
    )
    by_period = {(row["fiscal_period_id"], row["scenario"]): row["quarters_reported"] for row in annual}
    assert by_period[("iij:FY2017", "actual")] == 4
    assert ("iij:FY2018", "actual") not in by_period  # Q1..Q3 only: no total yet
    assert by_period[("iij:FY2018", "target")] is None


def test_a_december_year_company_and_its_conventions(built: Build) -> None:
    quarter = rows(
        built.db_path, "select start_date, end_date from dim_fiscal_periods where fiscal_period_id = 'hoshi:FY2018-Q1'"
    )
    assert [(str(q["start_date"]), str(q["end_date"])) for q in quarter] == [("2018-01-01", "2018-03-31")]
    printed = {
        (row["line_item_id"], row["period_code"], row["basis"]): row["value"]
        for row in rows(built.db_path, f"select * from fct_figures_as_reported where document_id = '{TANSHIN}'")
    }
    assert printed[("operating_income", "FY2018-Q1", "value")] == Decimal(-50)  # ▲50
    assert printed[("net_income_attributable", "FY2017", "value")] == Decimal(-120)  # ▲120
    assert printed[("revenue", "FY2017", "value")] == Decimal(4200)  # full-width digits
    assert printed[("net_income_attributable", "FY2018", "yoy_pct")] is None  # a dash: not meaningful
    assert printed[("dividend_per_share", "FY2018", "yoy_change")] == Decimal(0)  # a dash: unchanged


def test_truncation_explains_what_rounding_cannot(built: Build, tmp_path: Path) -> None:
    """The tanshin's quarters sum 3 below its year, and its YoY % is cut, not rounded: both pass as truncated
    figures (intervals [v, v + 1)), and fail when the same document is declared `round`."""
    truncated = {row["check_id"]: row for row in rows(built.db_path, "select * from rpt_data_quality")}
    year_sum = truncated[HOSHI_YEAR_SUM]
    assert (year_sum["status"], year_sum["residual"], year_sum["tolerance"]) == ("pass", Decimal(3), Decimal(4))
    assert truncated[HOSHI_YEAR_GROWTH]["status"] == "pass"

    project = copy_built(built, tmp_path / "kessan").project_dir  # the project's seeds, the build's warehouse
    add_next_documents(project)
    documents = Seed(project / "seeds" / "source_documents.csv")
    line = documents.find(document_id=TANSHIN)
    documents.replace(line, [documents.render({**documents.record(line), "rounding": "round"})])
    declared_round = run_dbt_build(project, "--select", "+rpt_data_quality", "--exclude", "test_type:data")
    assert declared_round.returncode == 0, declared_round.tail()
    rounded = {row["check_id"]: row for row in rows(declared_round.built_db_path, "select * from rpt_data_quality")}
    assert rounded[HOSHI_YEAR_SUM]["status"] == "fail"
    assert rounded[HOSHI_YEAR_SUM]["tolerance"] == Decimal("2.5")
    assert rounded[HOSHI_YEAR_GROWTH]["status"] == "fail"


def test_mf_and_the_report_show_every_company(built: Build, tmp_path: Path) -> None:
    """`mf query` by fiscal year and company, and `make report`'s page, over the next documents' warehouse."""
    readable = copy_built(built, tmp_path / "kessan")
    shown = {
        (row["company"], row["metric_time__fiscal_year"]): row
        for row in mf_query(readable, ("revenue", "quarters_reported"), ("metric_time__fiscal_year", "company"))
    }
    # IIJ's FY2017 as it stands (1Q17..3Q17 restated, 4Q17 the FY2017 deck's), its FY2018 in progress (Q1..Q3),
    # and the December company's own January - December year.
    assert float(shown["iij", "FY2017"]["revenue"]) == 41210 + 42290 + 44880 + 48439
    assert shown["iij", "FY2018"]["quarters_reported"] == "3"
    assert float(shown["hoshi", "FY2018"]["revenue"]) == 1000 + 1100 + 1200 + 1300
    completed = subprocess.run(
        [sys.executable, "-m", "kessan", "report", "--db", str(readable.db_path), "--out", str(tmp_path / "report")],
        cwd=readable.project_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert 'data-company="iij"' in page and 'data-company="hoshi"' in page
    assert "fiscal years end in December" in page
