"""`make report` (python -m kessan report): every chart is drawn, in headless Chromium, from the warehouse's numbers.

The report is rendered from the pristine build's warehouse, and again from a copy of it with a few numbers
changed: each chart must carry (data-value) exactly the numbers the warehouse holds, draw every mark it
carries (the page records, after layout, how many marks of each chart have a box), and follow the changed
numbers, so none of them is hard-coded. Every table beside a chart must show, cell by cell, the warehouse's
number of the row and column it names, formatted as the deck prints it (`deck` below: the rules of
kessan.report.formats, written out again), and its CSV link must decode to the table's rows at full
precision. The headline tiles show the printed figures and flag those a non-passing check disagrees with.
Written-out expectations carry their arithmetic from the seeds' printed figures (seeds/reported_figures.csv,
by line). Chromium runs with the network off.
"""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import duckdb
import pytest

from kessan.report import RELATIONS

from .browser import ParsedPage, dump_dom, parse, screenshot
from .builds import PROJECT_DIR, Build

COMPANY = "iij"  # the pristine build's one company; its charts are `iij|quarterly` ..., its marks `iij|key`
CHART_IDS = ("quarterly", "segments", "balance_sheet", "cash_flow", "plan", "kpis", "quality")
CHARTS = tuple(f"{COMPANY}|{chart}" for chart in CHART_IDS)
# The tables of the page, by section: every chart has at least one beside it, the annual tiles theirs.
TABLES = ("annual", "quarterly", "quarterly_lines", "segments", "segment_components", "balance_sheet",
          "balance_sheet_ratios", "cash_flow", "plan", "kpis", "quality", "checks_not_passing")  # fmt: skip
PLAN_LINES = ("revenue", "cost_of_revenue", "gross_margin", "sga_rd", "operating_income")


def render(db_path: Path, out_dir: Path) -> Path:
    """Run `python -m kessan report` on a warehouse; the page it wrote."""
    completed = subprocess.run(
        [sys.executable, "-m", "kessan", "report", "--db", str(db_path), "--out", str(out_dir)],
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
            if row[measure] is not None or not measure.endswith(("_ratio", "_margin")):  # a margin's point, if any
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
    for row in query(db_path, f"select * from fct_balance_sheet {of_company}"):
        date = str(row["as_of_date"])
        if row["line_item_id"] in ("total_assets", "total_liabilities", "total_shareholders_equity"):
            expected[f"{row['line_item_id']}|{date}"] = row["amount"]
        for column in ("noncontrolling_interests_implied", "equity_ratio", "roe"):
            expected[f"{column}|{date}"] = row[column]
    for row in query(
        db_path,
        f"select * from fct_cash_flow {of_company}"
        f" and fiscal_period_id = (select max(fiscal_period_id) from fct_cash_flow {of_company})",
    ):
        expected[f"amount|{row['cash_flow_line_id']}"] = row["amount"]
        expected[f"prior|{row['cash_flow_line_id']}"] = row["prior_year_amount_implied"]
    for row in query(db_path, f"select * from fct_operating_kpis {of_company} and yoy_growth_reported is not null"):
        expected[f"yoy|{row['kpi_fact_id']}"] = row["yoy_growth_reported"]
    for row in query(db_path, f"select * from rpt_restatements {of_company}"):
        expected[f"difference|{row['restatement_id']}"] = row["difference"]
    return {f"{company}|{key}": value for key, value in expected.items()}


def rendered(db_path: Path, out_dir: Path) -> ParsedPage:
    """The report of a warehouse as Chromium rendered it (its DOM after layout and the inline script)."""
    return rendered_tree(db_path, out_dir)[0]


def rendered_tree(db_path: Path, out_dir: Path) -> tuple[ParsedPage, Node]:
    """The same, also as a tree of elements with their text (for the tables and tiles)."""
    dom = dump_dom(render(db_path, out_dir))
    assert 'data-rendered="true"' in dom, "the page's script did not run"
    return parse(dom), tree(dom)


def assert_shows(page: ParsedPage, expected: dict[str, Any], charts: tuple[str, ...] = CHARTS) -> None:
    """Every chart present and fully drawn, and its marks exactly the warehouse's numbers."""
    for chart in charts:
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


# ---------------------------------------------------------------------------------------------------------------
# Tables, CSV links and tiles, as Chromium rendered them

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Node] = field(default_factory=list)

    def find(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Descendants with this tag and these attributes (`data_table=` for data-table; `True` for any value)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and all(
                name in child.attrs and (value is True or child.attrs[name] == value) for name, value in wanted.items()
            ):
                found.append(child)
            found += child.find(tag, **attrs)
        return found

    @property
    def words(self) -> str:
        return " ".join(self.text.split())


class TreeParser(HTMLParser):
    """The DOM as a tree of nodes with their text (an element's text includes its descendants')."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        for node in self.stack[1:]:
            node.text += data


def tree(dom: str) -> Node:
    parser = TreeParser()
    parser.feed(dom)
    parser.close()
    return parser.root


@dataclass
class ShownTable:
    """A table of the page: its source relation and key, column names, and rows of cells (attributes, text)."""

    key: str
    source: str
    source_key: str
    columns: list[str]
    rows: list[list[Node]]
    csv_name: str
    csv_href: str


def tables(page: Node, company: str = COMPANY) -> dict[str, ShownTable]:
    """The tables of a company's article, by table id, with their CSV links."""
    (article,) = page.find("article", data_company=company)
    shown = {}
    for block in article.find("div", **{"class": "table-block"}):
        (table,) = block.find("table", data_table=True)
        (link,) = block.find("a", data_csv=True)
        assert link.attrs["data-csv"] == table.attrs["data-table"]
        shown[table.attrs["data-table"].split("|", 1)[1]] = ShownTable(
            key=table.attrs["data-table"],
            source=table.attrs["data-source"],
            source_key=table.attrs["data-source-key"],
            columns=[th.attrs["data-name"] for th in table.find("th")],
            rows=[row.find("td") for row in table.find("tbody")[0].find("tr")],
            csv_name=link.attrs["download"],
            csv_href=link.attrs["href"],
        )
    return shown


GROWTH = ("growth", "change", "count_change")  # the formats of a change: signed


def deck(raw: str, fmt: str) -> str:
    """A value as the deck prints it (the report's rules, written out again): JPY million with thousands
    separators and a decimal only where the value has one, counts whole, JPY per share with two decimals,
    ratios in percent with one decimal, changes signed, negatives with a minus sign, a missing figure n/a."""
    if fmt == "text":
        return raw
    if raw == "":
        return "n/a"
    if fmt == "flag":
        return {"true": "yes", "false": "no"}[raw]
    value, suffix = Decimal(raw), ""
    if fmt in ("percent", "growth"):
        value, suffix, decimals = value * 100, "%", 1
    elif fmt == "yen":
        decimals = 2
    elif fmt in ("count", "count_change"):
        decimals = 0
    else:
        decimals = 0 if value == value.to_integral_value() else 1
    magnitude = f"{abs(value):,.{decimals}f}"
    if set(magnitude) <= set("0.,"):
        return magnitude + suffix
    return ("-" if value < 0 else "+" if fmt in GROWTH else "") + magnitude + suffix


UNIT_FORMATS = {"jpy_million": "amount", "count": "count", "fraction": "percent", "jpy": "yen"}
UNIT_CHANGE_FORMATS = {"jpy_million": "change", "count": "count_change", "fraction": "growth", "jpy": "yen"}


RATIO_TYPES = ("DOUBLE", "DECIMAL(10,4)")  # the marts' ratios: computed (DOUBLE) and as printed (README, D2)


def expected_format(column: str, row: dict[str, Any], data_type: str) -> str:
    """How a warehouse column is printed: a KPI's or a restatement's values by their unit, a check's by its
    basis (a ratio's in percent), else by the column's type and name (ratio, growth, change, JPY, amount)."""
    if data_type == "BOOLEAN":
        return "flag"
    if data_type in ("VARCHAR", "DATE") or column == "fiscal_year":  # a year is a label, not an amount
        return "text"
    unit = row.get("unit_id", row.get("base_unit_id"))
    if column in ("value", "earlier_value", "later_value") or column.startswith("prior_year_value"):
        return UNIT_FORMATS.get(unit, "amount")
    if column == "difference" or (column == "yoy_change_reported" and "kpi_id" in row):
        return UNIT_CHANGE_FORMATS.get(unit, "change")
    if column in ("reported_value", "derived_value", "residual", "tolerance"):
        return "percent" if row["basis"] in ("yoy_pct", "pct_of_revenue") else "amount"
    if "growth" in column:
        return "growth"
    if data_type in RATIO_TYPES:
        return "percent"
    if "change" in column:
        return "change"
    return "yen" if column.endswith("_jpy") else "amount"


def column_types(db_path: Path, relation: str) -> dict[str, str]:
    return {
        row["column_name"]: row["data_type"]
        for row in query(
            db_path, f"select column_name, data_type from duckdb_columns() where table_name = '{relation}'"
        )
    }


def warehouse_rows(db_path: Path, source: str, key: str) -> dict[str, dict[str, Any]]:
    return {str(row[key]): row for row in query(db_path, f"select * from {source}")}


def assert_tables_show(page: Node, db_path: Path, company: str = COMPANY) -> dict[str, ShownTable]:
    """Every table present; each cell that names a warehouse row and column shows exactly its value (data-raw)
    formatted as the deck prints it, in the format its column calls for; every cell's text is its value so
    formatted; and the quality table counts the checks by suite and status."""
    shown = tables(page, company)
    sources: dict[str, tuple[dict[str, dict[str, Any]], dict[str, str]]] = {}
    for table_id, table in shown.items():
        assert table.rows, f"table {table_id} is empty"
        for row in table.rows:
            assert len(row) == len(table.columns), table_id
            for cell in row:
                raw, fmt = cell.attrs["data-raw"], cell.attrs["data-format"]
                assert cell.words == deck(raw, fmt), (table_id, cell.attrs, cell.words)
                if "data-row" not in cell.attrs:
                    continue
                if table.source not in sources:
                    sources[table.source] = (
                        warehouse_rows(db_path, table.source, table.source_key),
                        column_types(db_path, table.source),
                    )
                rows, types = sources[table.source]
                source_row, column = rows[cell.attrs["data-row"]], cell.attrs["data-column"]
                value = source_row[column]
                if fmt in ("text", "flag"):
                    expected = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
                    assert raw == expected, (table_id, cell.attrs, value)
                else:
                    assert close(raw, value), (table_id, cell.attrs, value)
                assert fmt == expected_format(column, source_row, types[column]), (table_id, cell.attrs)
    counts = query(
        db_path,
        f"select expectation_suite, status, count(*) as n from rpt_data_quality where company_id = '{company}'"
        " group by all",
    )
    quality = shown["quality"]
    for row in quality.rows:
        suite = row[0].attrs["data-raw"]
        for name, cell in zip(quality.columns[1:-1], row[1:-1], strict=True):
            n = sum(c["n"] for c in counts if c["expectation_suite"] == suite and c["status"] == name)
            assert cell.attrs["data-raw"] == str(n), (suite, name)
        assert row[-1].attrs["data-raw"] == str(sum(c["n"] for c in counts if c["expectation_suite"] == suite))
    return shown


def cell(table: ShownTable, row_has: str, column: str) -> str:
    """The text of a table's cell: in the one row with a cell of value (or source row) `row_has`, the column named
    `column`."""
    (row,) = [row for row in table.rows if any(row_has in (c.attrs["data-raw"], c.attrs.get("data-row")) for c in row)]
    return row[table.columns.index(column)].words


def decoded_csv(table: ShownTable) -> list[list[str]]:
    prefix = "data:text/csv;charset=utf-8,"
    assert table.csv_href.startswith(prefix), table.csv_href[:60]
    return list(csv.reader(io.StringIO(unquote(table.csv_href[len(prefix) :]), newline="")))


def tile(page: Node, label: str, company: str = COMPANY) -> Node:
    (found,) = page.find("div", data_key=f"{company}|tile|{label}")
    return found


@pytest.fixture(scope="module")
def pristine_rendering(
    pristine_build: Build, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, ParsedPage, Node]:
    assert pristine_build.returncode == 0, pristine_build.tail()
    out_dir = tmp_path_factory.mktemp("report")
    return (out_dir / "index.html", *rendered_tree(pristine_build.db_path, out_dir))


@pytest.fixture(scope="module")
def pristine_report(pristine_rendering: tuple[Path, ParsedPage, Node]) -> tuple[Path, ParsedPage]:
    return pristine_rendering[:2]


@pytest.fixture(scope="module")
def pristine_tree(pristine_rendering: tuple[Path, ParsedPage, Node]) -> Node:
    return pristine_rendering[2]


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


MOBILE_SUBSCRIPTIONS = "iij:2018-03-31:mobile_subscriptions:actual"


def change_statements_kpis_and_checks(connection: duckdb.DuckDBPyConnection) -> None:
    """In a copy of the warehouse: total assets at 2018-03-31 + 20,000; FY17 dividends paid
    10,000 more out; total mobile subscriptions' printed YoY 50%; a restatement of FY17 revenue (176,051 printed
    again as 176,100 by a later document); and the FY17 revenue YoY check made a documented exception."""
    connection.execute(
        "update fct_balance_sheet set amount = amount + 20000"
        " where balance_sheet_line_id = 'iij:2018-03-31:total_assets'"
    )
    connection.execute(
        "update fct_cash_flow set amount = amount - 10000 where cash_flow_line_id = 'iij:FY2017:dividends_paid'"
    )
    connection.execute(
        f"update fct_operating_kpis set yoy_growth_reported = 0.5 where kpi_fact_id = '{MOBILE_SUBSCRIPTIONS}'"
    )
    connection.execute(
        "insert into rpt_restatements by name select 'iij:FY2017:revenue:actual:value@iij-fy2018-results/III-2'"
        " as restatement_id, 'iij' as company_id, 'iij:FY2017' as fiscal_period_id, 'FY2017' as period_code,"
        " 'revenue' as line_item_id, 'actual' as scenario, 'value' as basis, 'jpy_million' as base_unit_id,"
        " 'iij-fy2017-results' as earlier_document_id, date '2018-05-15' as earlier_published_on,"
        " 'iij:FY2017:revenue:actual:value@iij-fy2017-results/III-2' as earlier_figure_id, 176051 as earlier_value,"
        " 'iij-fy2018-results' as later_document_id, date '2019-05-15' as later_published_on,"
        " 'iij:FY2017:revenue:actual:value@iij-fy2018-results/III-2' as later_figure_id, 176100 as later_value,"
        " 49 as difference, 'US GAAP' as earlier_accounting_standard, 'US GAAP' as later_accounting_standard,"
        " false as is_standard_change"
    )
    connection.execute(
        "update rpt_data_quality set status = 'documented_exception', exception_reason = 'test'"
        " where check_id = 'yoy_pct|iij:FY2017:revenue:actual:yoy_pct@iij-fy2017-results/I'"
    )


def test_report_follows_the_warehouse(
    pristine_build: Build, pristine_rendering: tuple[Path, ParsedPage, Node], tmp_path: Path
):
    """Change a number behind each chart in a copy of the warehouse: the page shows and draws the new ones."""
    _, before, before_tree = pristine_rendering
    db_path = tmp_path / "changed.duckdb"
    shutil.copy(pristine_build.db_path, db_path)
    with duckdb.connect(str(db_path)) as connection:
        connection.execute(
            "update fct_income_statement_quarterly set revenue = revenue + 5000"
            " where fiscal_period_id = 'iij:FY2017-Q3'"
        )
        # The metric tables are built from the facts, so a changed fact changes them only at the next build.
        connection.execute(
            "update mtr_income_statement_fiscal_quarter set revenue = revenue + 5000"
            " where metric_row_id = 'iij:FY2017-Q3'"
        )
        connection.execute(
            "update fct_segment_gross_margin set share_of_total_gross_margin = 0.5"
            " where segment_gross_margin_id = 'iij:FY2017:network_services'"
        )
        connection.execute(
            "update fct_plan_vs_actual set target_value = 150000 where plan_line_id = 'iij:FY2018:revenue'"
        )
        connection.execute(
            "update rpt_data_quality set status = 'fail', is_failing = true"
            " where check_id = (select min(check_id) from rpt_data_quality where status = 'pass')"
        )
        change_statements_kpis_and_checks(connection)
    after, after_tree = rendered_tree(db_path, tmp_path / "report")
    expected = expected_marks(db_path)
    assert_shows(after, expected, (*CHARTS, f"{COMPANY}|restatements"))
    shown = assert_tables_show(after_tree, db_path)

    changed = {
        f"{COMPANY}|revenue|FY2017-Q3": ("height", 44624 + 5000),
        f"{COMPANY}|share|FY17|network_services": ("width", 0.5),
        f"{COMPANY}|target|revenue": ("width", 150000),
        f"{COMPANY}|total_assets|2018-03-31": ("height", 153449 + 20000),
        f"{COMPANY}|amount|iij:FY2017:dividends_paid": ("width", -11217),
        f"{COMPANY}|yoy|{MOBILE_SUBSCRIPTIONS}": ("width", 0.5),
    }
    for key, (size, value) in changed.items():
        old, new = before.marks()[key].attrs, after.marks()[key].attrs
        assert close(new["data-value"], value), (key, new["data-value"])
        assert old[size] != new[size], f"{key}: the mark's {size} did not change ({old[size]})"
    status = next(e for e in after.elements if "data-status" in e.attrs)
    assert status.attrs["data-status"] == "failing"
    fails = [key for key in after.marks(f"{COMPANY}|quality") if key.endswith("|fail")]
    assert fails, "the failing check is not drawn"
    # The tables follow: 153,449 + 20,000 = 173,449; dividends paid 1,217 + 10,000 = 11,217; the restated revenue.
    assert cell(shown["balance_sheet"], "total_assets", "2018-03-31") == "173,449"
    assert cell(shown["cash_flow"], "Dividends paid", "amount") == "-11,217"
    assert cell(shown["restatements"], "revenue", "difference") == "+49"
    assert [row[1:] for row in decoded_csv(shown["restatements"])[1:]] == [
        ["FY2017", "value", "iij-fy2017-results", "2018-05-15", "176051", "iij-fy2018-results", "2019-05-15",
         "176100", "49", "false"]
    ]  # fmt: skip
    # A non-passing check on a tile's printed YoY flags the tile, whatever the company or line.
    revenue = tile(after_tree, "Revenue")
    (flag,) = revenue.find("div", data_flag="yoy")
    assert "derived from the statement: +11.6%" in flag.words
    assert not tile(before_tree, "Revenue").find("div", data_flag="yoy")


def test_every_table_shows_the_warehouse_as_the_deck_prints_it(pristine_build: Build, pristine_tree: Node):
    """Each chart's table (and the annual tiles') is there; every cell is the warehouse's number of the row and
    column it names, formatted by the deck's rules; a few cells written out from the seeds' printed figures."""
    shown = assert_tables_show(pristine_tree, pristine_build.db_path)
    assert set(shown) == set(TABLES), sorted(shown)
    # III-9 prints total assets 153,449 and IIJ shareholders' equity 73,270 at 2018-03-31 (seed lines 335, 368),
    # total liabilities 79,460 (line 350), the equity ratio 47.7% (line 371); inventories' change is computed
    # 1,715 - 2,798 = -1,083 (a minus sign, where the deck prints parentheses).
    balance, ratios = shown["balance_sheet"], shown["balance_sheet_ratios"]
    assert cell(balance, "total_assets", "2018-03-31") == "153,449"
    assert cell(balance, "inventories", "change") == "-1,083"
    assert cell(balance, "total_assets", "change") == "+16,054"
    assert cell(ratios, "2018-03-31", "equity_ratio") == "47.7%"  # 73,270 / 153,449 = 0.47749
    assert cell(ratios, "2018-03-31", "equity_ratio_reported") == "47.7%"
    assert cell(ratios, "2018-03-31", "noncontrolling_interests_implied") == "719"  # 153,449 - 79,460 - 73,270
    # III-10 prints the purchase of property and equipment as (15,771), its YoY change (5,147) (lines 380-381).
    cash_flow = shown["cash_flow"]
    assert cell(cash_flow, "Purchase of property and equipment", "amount") == "-15,771"
    assert cell(cash_flow, "Purchase of property and equipment", "prior_year_amount_implied") == "-10,624"
    # FY17 adjusted EBITDA: printed YoY +18.7% (I, line 13); derived (6,762 + 12,365) / (5,134 + 10,894) - 1
    # = 19,127 / 16,028 - 1 = +19.3% (III-8 lines 257 and 259, III-10 lines 374-375: 12,365 - 1,471 = 10,894).
    annual = shown["annual"]
    assert cell(annual, "adjusted_ebitda", "FY17") == "19,127"
    assert cell(annual, "adjusted_ebitda", "yoy_growth_reported") == "+18.7%"
    assert cell(annual, "adjusted_ebitda", "yoy_growth") == "+19.3%"
    assert cell(annual, "adjusted_ebitda_reported", "FY16") == "16,100"  # printed 16.1 billion (III-1, line 84)
    # III-7 prints ATM SG&A 43.5 (a decimal where the value has one, line 248); I prints 2.3 million mobile
    # subscriptions, +26.4% (lines 26-27).
    # III-2 prints FY17's quarters 40,964 + 42,024 + 44,624 + 48,439 = 176,051, the last twelve months at 4Q17;
    # III-7 its ATM SG&A 35.5 + 44.8 + 36.4 + 38.4 = 155.1 (lines 252-255).
    quarterly = shown["quarterly_lines"]
    assert cell(quarterly, "Total revenues, last twelve months", "4Q17") == "176,051"
    assert cell(quarterly, "SG&A of the ATM operation business, last twelve months", "4Q17") == "155.1"
    # I and III-5(1) print SI operation's FY17 YoY +7.9% and +2,780 but no value: 2,780 x 1.079 / 0.079 = 37,969.9.
    operation = "iij:FY2017:systems_integration:revenue_si_operation"
    assert cell(shown["segment_components"], operation, "revenue") == "37,969.9"
    kpis = shown["kpis"]
    assert cell(kpis, "iij:FY2016-Q1:atm_sga:actual", "value") == "43.5"
    assert cell(kpis, MOBILE_SUBSCRIPTIONS, "value") == "2,300,000"
    assert cell(kpis, MOBILE_SUBSCRIPTIONS, "yoy_growth_reported") == "+26.4%"


def test_every_csv_link_is_its_table(pristine_tree: Node):
    """Each table's link downloads `company-table.csv` from a data: URL (no network): a header of the column names,
    then the table's rows, each value at full precision (what the cell's data-raw holds)."""
    shown = tables(pristine_tree)
    for table_id, table in shown.items():
        assert table.csv_name == f"{COMPANY}-{table_id}.csv"
        rows = decoded_csv(table)
        assert rows[0] == table.columns, table_id
        assert rows[1:] == [[c.attrs["data-raw"] for c in row] for row in table.rows], table_id
    ratios = decoded_csv(shown["balance_sheet_ratios"])
    (latest,) = [row for row in ratios if row[0] == "2018-03-31"]
    assert abs(float(latest[1]) - 73270 / 153449) < 1e-12  # the equity ratio, not rounded to 47.7%


def test_headline_tiles_are_as_printed_and_flag_what_the_checks_dispute(pristine_build: Build, pristine_tree: Node):
    """The tiles show the printed figures (I: revenue 176.1 billion +11.6%, adjusted EBITDA 19.1 billion +18.7%:
    seed lines 2-3, 12-13). The printed EBITDA YoY is measured against the printed FY16 16.1 billion, which a
    documented exception disputes (16,028 derived): the tile says so, with the YoY derived from the statement,
    19,127 / 16,028 - 1 = +19.3%. Which tiles carry a flag follows from rpt_data_quality alone."""
    ebitda = tile(pristine_tree, "Adjusted EBITDA")
    assert ebitda.attrs["data-value"] == "19100"
    (yoy,) = ebitda.find("span", data_yoy=True)
    assert yoy.words == "+18.7%" and yoy.attrs["data-yoy"] == "0.187"
    assert "as printed" in ebitda.words and not ebitda.find("span", data_derived=True)
    (flag,) = ebitda.find("div", data_flag="yoy")
    assert "Printed and derived figures disagree" in flag.words
    assert "derived from the statement: +19.3%" in flag.words
    assert close(flag.attrs["data-derived-value"], Decimal(19127) / Decimal(16028) - 1)
    disputed = query(
        pristine_build.db_path,
        "select check_id from rpt_data_quality where status != 'pass' and line_item_id = 'adjusted_ebitda'"
        " and fiscal_period_id in ('iij:FY2016', 'iij:FY2017') and basis in ('value', 'yoy_pct')",
    )
    assert set(flag.attrs["title"].split(", ")) == {row["check_id"] for row in disputed}
    revenue = tile(pristine_tree, "Revenue")
    assert revenue.find("span", data_yoy=True)[0].words == "+11.6%"
    assert "176.1" in revenue.words
    for label in ("Revenue", "Gross margin", "Operating income"):  # every check on their figures passes
        assert not tile(pristine_tree, label).find("div", data_flag=True), label


def test_restatements_show_only_when_there_are_some(pristine_build: Build, pristine_tree: Node):
    """One document restates nothing: a sentence says so, and there is no restatements chart or table."""
    assert query(pristine_build.db_path, "select count(*) as n from rpt_restatements")[0]["n"] == 0
    (note,) = pristine_tree.find("p", data_none=f"{COMPANY}|restatements")
    assert "No figure of" in note.words and "has been restated" in note.words
    assert not pristine_tree.find("figure", data_chart=f"{COMPANY}|restatements")
    assert "restatements" not in tables(pristine_tree)


def test_several_documents_and_companies(next_documents: Build, tmp_path: Path):
    """With the next documents and other companies (conftest.next_documents): a section per company, each with
    every chart and table drawn from the warehouse, and the restatements of those that have any."""
    assert next_documents.returncode == 0, next_documents.tail()
    db_path = next_documents.db_path
    page, page_tree = rendered_tree(db_path, tmp_path / "report")
    companies = [row["company_id"] for row in query(db_path, "select company_id from dim_companies order by 1")]
    restated = {row["company_id"] for row in query(db_path, "select distinct company_id from rpt_restatements")}
    assert len(companies) > 1 and restated, (companies, restated)
    sources = {"segments": "fct_segment_gross_margin", "balance_sheet": "fct_balance_sheet",
               "cash_flow": "fct_cash_flow", "plan": "fct_plan_vs_actual", "kpis": "fct_operating_kpis"}  # fmt: skip
    for company in companies:
        has = {
            chart: query(db_path, f"select count(*) as n from {source} where company_id = '{company}'")[0]["n"] > 0
            for chart, source in sources.items()
        }
        charts = tuple(f"{company}|{chart}" for chart in CHART_IDS if has.get(chart, True))
        for chart in (chart for chart in sources if not has[chart]):  # a sentence instead of an empty chart
            assert page_tree.find("p", data_none=f"{company}|{chart}"), (company, chart)
        if company in restated:
            charts += (f"{company}|restatements",)
        else:
            assert page_tree.find("p", data_none=f"{company}|restatements"), company
        expected = expected_marks(db_path, company)
        assert_shows(page, expected, charts)
        shown = assert_tables_show(page_tree, db_path, company)
        assert ("restatements" in shown) == (company in restated), company
