"""Render the results report: one static HTML page with inline SVG charts, from the warehouse, read-only.

Usage (from the project directory; `make report` runs it after `make build`):

    python -m kessan report [--db warehouse/kessan.duckdb] [--out build/report] [--company ID]

The page (OUT/index.html) has a section per company of the warehouse (`--company ID`: that company alone; an ID
the warehouse does not have is an error naming those it has), each in the company's own fiscal calendar: headline
tiles, the annual and quarterly income statement, the segment mix, the balance sheet, cash flows, the plan, KPIs,
restatements (when there are any) and data quality. It needs no network and no JavaScript library: every chart is
SVG drawn from the warehouse's numbers (kessan.report.charts), and every mark carries the number it draws
(`data-key`, `data-value`; a company's marks are keyed `company|key`, its charts `company|chart`), so a test can
compare the page with the warehouse. Beside each chart is a table of its numbers as the deck prints them, with a
CSV download (kessan.report.tables, kessan.report.formats). A few lines of inline JavaScript only record, after
layout, how many marks of each chart the browser drew (`data-drawn`). The HTML and CSS are the Jinja2 templates
of templates/ (report.html.j2, report.css.j2, _tiles.html.j2, _table.html.j2), inlined into the one page.

The headline tiles show the printed figures (`<line>_reported`, `<line>_yoy_growth_reported` of
fct_income_statement_annual) where the document prints them, else the derived ones labelled "derived"; a tile
whose printed value or YoY a check of rpt_data_quality does not pass (a check on that figure, or for the YoY on the
prior-year figure it is measured against) carries a flag with the figure derived from the statement. The flag
follows from the checks alone: nothing is special-cased for a company.

The database is $KESSAN_DB_PATH (as in profiles.yml), else warehouse/kessan.duckdb; it is opened read-only,
so the report never blocks a build. The relations read are RELATIONS (models/exposures.yml declares the
same as the report's `depends_on`; python_tests/test_docs.py checks they agree).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from ..conventions import DEFAULT_DB_PATH, database_path, figure_ids
from . import charts, tables
from .charts import fy_label
from .formats import FORMATS, Table, data_value

DEFAULT_OUT_DIR = "build/report"
RELATIONS = (
    "dim_companies",
    "fct_income_statement_annual",
    "mtr_income_statement_fiscal_quarter",
    "fct_income_statement_quarterly",
    "fct_segment_gross_margin",
    "fct_segment_revenue_components",
    "fct_plan_vs_actual",
    "fct_balance_sheet",
    "fct_cash_flow",
    "fct_operating_kpis",
    "rpt_restatements",
    "rpt_data_quality",
)

PLAN_LINES = ("revenue", "cost_of_revenue", "gross_margin", "sga_rd", "operating_income")


# ---------------------------------------------------------------------------------------------------------------
# Reading the warehouse


def rows(connection: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[dict[str, Any]]:
    """The rows of a query, as dictionaries."""
    cursor = connection.execute(sql, list(params))
    names = [description[0] for description in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@dataclass
class ReportData:
    """Everything the page shows of one company, as read from the warehouse."""

    company: dict[str, Any]
    annual: list[dict[str, Any]]  # fiscal years, actuals, oldest first
    quarters: list[dict[str, Any]]  # fiscal quarters, oldest first (the metric view)
    quarterly_lines: list[dict[str, Any]]  # fiscal quarters, oldest first (the quarterly statement, every line)
    segments: list[dict[str, Any]]  # fiscal year x segment, the last two years
    segment_components: list[dict[str, Any]]  # fiscal year x segment x component of its revenue
    plan: list[dict[str, Any]]  # the latest plan year's income-statement lines
    quality: list[dict[str, Any]]  # every check of the build on the company's figures
    balance_sheet: list[dict[str, Any]]  # date x line, oldest first, in statement order
    cash_flow: list[dict[str, Any]]  # fiscal year x line, in statement order
    kpis: list[dict[str, Any]]  # every KPI fact
    restatements: list[dict[str, Any]]  # every restated figure (none with a single document)
    types: dict[str, dict[str, str]] = field(default_factory=dict)  # each query's columns and their SQL types


class UnknownCompany(ValueError):
    """A company the warehouse does not have."""


def read(db_path: Path, company_id: str | None = None) -> list[ReportData]:
    """Read the report's numbers of every company (or of `company_id` alone) from the warehouse, read-only."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        companies = rows(connection, "select * from dim_companies order by company_id")
        if company_id is not None:
            chosen = [company for company in companies if company["company_id"] == company_id]
            if not chosen:
                known = ", ".join(company["company_id"] for company in companies) or "none"
                raise UnknownCompany(f"no company {company_id!r} in the warehouse; its companies: {known}")
            companies = chosen
        return [read_company(connection, company) for company in companies]


QUERIES = {
    "annual": "select * from fct_income_statement_annual where company_id = $company and scenario = 'actual'"
    " and period_grain = 'fiscal_year' order by fiscal_year",
    "quarters": "select * from mtr_income_statement_fiscal_quarter where company_id = $company order by start_date",
    "quarterly_lines": "select * from fct_income_statement_quarterly where company_id = $company order by start_date",
    "segment_components": "select * from fct_segment_revenue_components where company_id = $company"
    " order by fiscal_year, segment_id, display_order",
    "segments": "select * from fct_segment_gross_margin where company_id = $company and fiscal_year >="
    " (select max(fiscal_year) - 1 from fct_segment_gross_margin where company_id = $company)"
    " order by fiscal_year, display_order",
    "plan": "select * from fct_plan_vs_actual where company_id = $company and period_grain = 'fiscal_year'"
    " and fiscal_year = (select max(fiscal_year) from fct_plan_vs_actual where company_id = $company)"
    f" and line_item_id in ({', '.join(repr(line) for line in PLAN_LINES)}) order by display_order",
    "quality": "select * from rpt_data_quality where company_id = $company order by expectation_suite, check_id",
    "balance_sheet": "select * from fct_balance_sheet where company_id = $company order by as_of_date, display_order",
    "cash_flow": "select * from fct_cash_flow where company_id = $company order by fiscal_period_id, display_order",
    "kpis": "select * from fct_operating_kpis where company_id = $company"
    " order by statement, kpi_id, as_of_date, period_code, scenario",
    "restatements": "select * from rpt_restatements where company_id = $company"
    " order by later_published_on, line_item_id, period_code, basis, restatement_id",
}


def read_company(connection: duckdb.DuckDBPyConnection, company: dict[str, Any]) -> ReportData:
    """One company's numbers."""
    found: dict[str, Any] = {"types": {}}
    for name, sql in QUERIES.items():
        cursor = connection.execute(sql, {"company": company["company_id"]})
        names = [description[0] for description in cursor.description]
        found["types"][name] = {description[0]: str(description[1]) for description in cursor.description}
        found[name] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return ReportData(company, **found)


# ---------------------------------------------------------------------------------------------------------------
# Headline tiles: the printed figures, flagged where a check on them does not pass

TILES = (  # line (a column of fct_income_statement_annual), label, its ratio to revenue
    ("revenue", "Revenue", None),
    ("gross_margin", "Gross margin", "gross_margin_ratio"),
    ("operating_income", "Operating income", "operating_margin"),
    ("adjusted_ebitda", "Adjusted EBITDA", "adjusted_ebitda_margin"),
)


def concerns(check: dict[str, Any], fiscal_period_id: str, line: str, basis: str) -> bool:
    """Whether a check is on the printed figure (period, line, actual, basis): by its columns, or by the figures
    it names (`iij:FY2017:adjusted_ebitda:actual:yoy_pct@document/slide`)."""
    if (check["fiscal_period_id"], check["line_item_id"], check["basis"], check["scenario"]) == (
        fiscal_period_id,
        line,
        basis,
        "actual",
    ):
        return True
    prefix = f"{fiscal_period_id}:{line}:actual:{basis}@"
    return any(figure.startswith(prefix) for figure in figure_ids(check.get("reported_figure_ids")))


def disagreements(
    quality: Sequence[dict[str, Any]], latest: dict[str, Any], prior: dict[str, Any] | None, line: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The checks that do not pass on a tile's value (the year's printed figure) and on its YoY: the printed
    YoY % itself, or the prior year's printed figure it is measured against (the derived YoY rests on it)."""
    failing = [check for check in quality if check["status"] != "pass"]
    on_value = [c for c in failing if concerns(c, latest["fiscal_period_id"], line, "value")]
    on_yoy = [c for c in failing if concerns(c, latest["fiscal_period_id"], line, "yoy_pct")]
    if prior is not None:
        on_yoy += [c for c in failing if concerns(c, prior["fiscal_period_id"], line, "value") and c not in on_yoy]
    return on_value, on_yoy


def tile(data: ReportData, line: str, label: str, ratio: str | None) -> dict[str, Any]:
    """A headline figure of the latest fiscal year: the printed value and YoY where the document prints them
    (`<line>_reported`, `<line>_yoy_growth_reported`), else the derived ones labelled so; and, where a check on
    them does not pass, the derived figure beside the printed one."""
    latest = data.annual[-1]
    prior = data.annual[-2] if len(data.annual) > 1 else None
    printed_value = latest.get(f"{line}_reported")
    value = printed_value if printed_value is not None else latest[line]
    value_derived = f"{line}_reported" in latest and printed_value is None
    printed_yoy = latest.get(f"{line}_yoy_growth_reported")
    derived_yoy = latest.get(f"{line}_yoy_growth")
    on_value, on_yoy = disagreements(data.quality, latest, prior, line)
    return {
        "key": f"{data.company['company_id']}|tile|{label}",
        "label": f"{label}, {fy_label(latest['fiscal_year'])}",
        "value": value,
        "raw": data_value(value),
        "billions": charts.billions(value),
        "value_derived": value_derived,
        "value_flag": [check["check_id"] for check in on_value],
        "derived_value": FORMATS["amount"](latest[line]),
        "derived_value_raw": data_value(latest[line]),
        "yoy": FORMATS["growth"](printed_yoy if printed_yoy is not None else derived_yoy),
        "yoy_raw": data_value(printed_yoy if printed_yoy is not None else derived_yoy),
        "yoy_derived": printed_yoy is None,
        "yoy_flag": [check["check_id"] for check in on_yoy] if printed_yoy is not None else [],
        "derived_yoy": FORMATS["growth"](derived_yoy),
        "derived_yoy_raw": data_value(derived_yoy),
        "margin": FORMATS["percent"](latest[ratio]) if ratio and latest.get(ratio) is not None else None,
    }


def tiles(data: ReportData) -> list[dict[str, Any]]:
    return [tile(data, *spec) for spec in TILES] if data.annual else []


# ---------------------------------------------------------------------------------------------------------------
# The page

# After layout, record how many marks of each chart the browser drew (a non-empty box), for the tests.
SCRIPT = """
document.querySelectorAll('figure.chart').forEach(function (chart) {
  var marks = chart.querySelectorAll('[data-value]'), drawn = 0;
  marks.forEach(function (m) { var box = m.getBoundingClientRect(); if (box.width > 0 || box.height > 0) drawn++; });
  chart.setAttribute('data-marks', marks.length);
  chart.setAttribute('data-drawn', drawn);
});
document.body.setAttribute('data-rendered', 'true');
"""


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
TEMPLATES = Path(__file__).with_name("templates")


def calendar_note(data: ReportData) -> str:
    """The company's fiscal year, in words: 'fiscal years end in March: FY17 = April 2017 - March 2018'."""
    note = f"fiscal years end in {MONTHS[int(data.company['fiscal_year_end_month']) - 1]}"
    dated = data.annual[-1] if data.annual else None
    if dated and dated.get("start_date") and dated.get("end_date"):
        start, end = dated["start_date"], dated["end_date"]
        span = f"{MONTHS[start.month - 1]} {start.year} - {MONTHS[end.month - 1]} {end.year}"
        note += f": {fy_label(dated['fiscal_year'])} = {span}"
    return note


def section(
    section_id: str, title: str, lede: str, chart: str | None, tables_: Sequence[Table], company_id: str
) -> dict[str, Any]:
    """A section of a company: its chart (SVG, marks keyed by company) and the tables of its numbers."""
    return {
        "id": section_id,
        "title": title,
        "lede": lede,
        "chart": Markup(keyed(chart, company_id)) if chart is not None else None,
        "tables": [table.view(company_id) for table in tables_ if table.rows],  # no empty table
    }


Spec = tuple[str, str, str, str | None, list[Table]]  # id, title, lede, chart (SVG) and tables of a section


def statement_specs(data: ReportData) -> list[Spec]:
    """The statements' sections: annual and quarterly income statement, segments, balance sheet, cash flow."""
    quarters = data.quarters
    span = f"{quarters[0]['fiscal_quarter']} to {quarters[-1]['fiscal_quarter']}" if quarters else "no quarters"
    segment_years = sorted({s["fiscal_year"] for s in data.segments})
    latest_cash_flow = max((line["fiscal_period_id"] for line in data.cash_flow), default=None)
    cash_flow = [line for line in data.cash_flow if line["fiscal_period_id"] == latest_cash_flow]
    return [
        (
            "annual",
            "Income statement by fiscal year",
            "The headline tiles' figures with the lines below them: the printed YoY beside the YoY derived from the "
            "statement. Source: fct_income_statement_annual.",
            None,
            [tables.annual_table(data.annual)],
        ),
        (
            "quarterly",
            "Quarterly revenue, gross margin and operating income",
            f"JPY billion by fiscal quarter ({span}; {calendar_note(data)}), with gross margin ratio and operating "
            "margin. Source: the metric view mtr_income_statement_fiscal_quarter.",
            charts.quarterly_chart(quarters),
            [tables.quarterly_table(quarters), tables.quarterly_lines_table(data.quarterly_lines)],
        ),
        (
            "segments",
            f"Gross-margin mix by segment, {' vs '.join(fy_label(y) for y in segment_years)}",
            "Each bar is the year's total gross margin, split by segment. Source: fct_segment_gross_margin.",
            charts.segment_chart(data.segments),
            [
                tables.segment_table(data.segments, data.types.get("segments", {})),
                tables.segment_components_table(data.segment_components),
            ],
        ),
        (
            "balance_sheet",
            "Balance sheet",
            "Total assets beside total liabilities, the company's shareholders' equity and the noncontrolling "
            "interests the summary implies (assets less liabilities less shareholders' equity), with the equity "
            "ratio and ROE on average equity. The summary lists major lines only. Source: fct_balance_sheet.",
            charts.balance_sheet_chart(tables.balance_sheet_dates(data.balance_sheet)),
            tables.balance_sheet_tables(data.balance_sheet, data.types.get("balance_sheet", {})),
        ),
        (
            "cash_flow",
            "Cash flows, major items",
            "Each line of the latest fiscal year against the prior year its printed YoY change implies; the slide "
            "lists major items only, so they do not sum to the sections. Source: fct_cash_flow.",
            charts.cash_flow_chart(cash_flow),
            [tables.cash_flow_table(data.cash_flow)],
        ),
    ]


def other_specs(data: ReportData) -> list[Spec]:
    """The plan, KPIs, restatements (only when there are some) and data quality."""
    plan_period = data.plan[0]["period_label"] if data.plan else "plan"
    specs: list[Spec] = [
        (
            "plan",
            f"{plan_period} plan vs prior-year actual",
            "Income-statement targets against the actual of the year before. Source: fct_plan_vs_actual.",
            charts.plan_chart(data.plan),
            [tables.plan_table(data.plan)],
        ),
        (
            "kpis",
            "Operating KPIs",
            "The business figures outside the statements (subscriptions, clients, revenue and cost breakdowns, plan "
            "assumptions): the chart shows the YoY growth the document prints, the table every KPI. "
            "Source: fct_operating_kpis.",
            charts.kpi_chart(data.kpis),
            [tables.kpi_table(data.kpis, data.types.get("kpis", {}))],
        ),
    ]
    if data.restatements:
        specs.append(
            (
                "restatements",
                "Restatements",
                "Figures a later document printed with another value than the document before it (an identical "
                "reprint, or one at another precision consistent with it, is not a restatement). "
                "Source: rpt_restatements.",
                charts.restatement_chart(data.restatements),
                [tables.restatement_table(data.restatements)],
            )
        )
    specs.append(
        (
            "quality",
            "Data quality: the document's arithmetic",
            "Every printed figure the warehouse can recompute from others, checked within the rounding the printed "
            "precision allows, by Great Expectations suite. A documented exception is a printed figure that does not "
            "reconcile, listed with its residual and reason. Source: rpt_data_quality.",
            charts.quality_chart(data.quality)
            + charts.exceptions_chart([q for q in data.quality if q["status"] != "pass"]),
            tables.quality_tables(data.quality),
        )
    )
    return specs


def sections(data: ReportData) -> list[dict[str, Any]]:
    """A company's sections, in the order of the deck: statements, then plan, KPIs, restatements, data quality;
    a sentence instead of a section whose mart has no row of the company."""
    company_id, name = data.company["company_id"], data.company["company_name"]
    shown = {"segments": data.segments, "balance_sheet": data.balance_sheet, "cash_flow": data.cash_flow,
             "plan": data.plan, "kpis": data.kpis}  # fmt: skip
    result = [
        section(*spec, company_id) if shown.get(spec[0], True) else missing(spec[0], spec[1], name)
        for spec in statement_specs(data) + other_specs(data)
    ]
    if not data.restatements:
        result.insert(
            -1,
            {
                "id": "restatements",
                "note": f"No figure of {name} has been restated: no later document "
                "printed any of its figures with another value.",
            },
        )
    return result


def missing(section_id: str, title: str, name: str) -> dict[str, Any]:
    """A section whose mart has no row of the company: a sentence instead of an empty chart."""
    return {"id": section_id, "note": f"{title}: the warehouse has no figures of {name}."}


def keyed(fragment: str, company_id: str) -> str:
    """A company's marks keyed by company: data-key="revenue|FY2017-Q3" -> data-key="iij|revenue|FY2017-Q3"."""
    return fragment.replace(' data-key="', f' data-key="{charts.esc(company_id)}|')


def years_note(data: ReportData) -> str:
    """'US GAAP, JPY; fiscal years FY16, FY17 by quarter'."""
    years = sorted({q["fiscal_year"] for q in data.quarters})
    company = data.company
    return (
        f"{company['accounting_standard']}, {company['reporting_currency']}; "
        f"fiscal years {', '.join(fy_label(y) for y in years)} by quarter"
    )


def render(companies: Sequence[ReportData]) -> str:
    """The report page: a section per company."""
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)
    build = next((data.quality[0] for data in companies if data.quality), {})
    units = (
        "Charts in JPY billion unless stated (hover a mark for its figure in JPY million); tables in JPY million "
        "with thousands separators, percentages with one decimal, changes signed, negatives with a minus sign; "
        "each table downloads as CSV with its numbers at full precision."
    )
    if len(companies) == 1:
        data = companies[0]
        title = f"{data.company['company_name']}: results at a glance"
        subtitle = f"{years_note(data)}. {units}"
    else:
        title = f"Results at a glance: {len(companies)} companies"
        subtitle = f"Each company in its own fiscal calendar. {units}"
    colours = {"ink": charts.INK, "muted": charts.MUTED, "grid": charts.GRID, "margin": charts.MARGIN_COLOUR}
    return environment.get_template("report.html.j2").render(
        title=title,
        subtitle=subtitle,
        colours=colours,
        script=Markup(SCRIPT),
        companies=[
            {
                "id": data.company["company_id"],
                "name": data.company["company_name"],
                "lede": f"{years_note(data)}; {calendar_note(data)}.",
                "tiles": tiles(data),
                "sections": sections(data),
            }
            for data in companies
        ],
        build_id=build.get("build_id", "n/a"),
        built_at=build.get("built_at", "n/a"),
        relations=", ".join(RELATIONS),
    )


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kessan report", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", type=Path, default=None, help=f"the DuckDB warehouse (default: $KESSAN_DB_PATH or {DEFAULT_DB_PATH})"
    )
    parser.add_argument("--out", type=Path, default=Path(DEFAULT_OUT_DIR), help="output folder (default: %(default)s)")
    parser.add_argument("--company", help="one company (its company_id); default: every company of the warehouse")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    db_path = args.db or database_path()
    if not db_path.is_file():
        print(f"kessan report: no warehouse at {db_path}: run `make build` first", file=sys.stderr)
        return 2
    try:
        companies = read(db_path, args.company)
    except UnknownCompany as error:
        print(f"kessan report: {error}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    page = args.out / "index.html"
    page.write_text(render(companies), encoding="utf-8")
    quarters, checks = sum(len(d.quarters) for d in companies), sum(len(d.quality) for d in companies)
    noun = "company" if len(companies) == 1 else "companies"
    print(f"kessan report: {page} ({len(companies)} {noun}, {quarters} quarters, {checks} checks) from {db_path}")
    return 0
