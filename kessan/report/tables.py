"""The tables of numbers beside the report's charts: one builder per table, from the rows kessan.report read.

Every cell that shows a number of the warehouse names its source row (the relation's key) and column, so the
page can be compared with the warehouse cell by cell (python_tests/test_report.py). Formats: kessan.report.formats.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..conventions import STATUSES
from .formats import UNIT_CHANGE_FORMATS, UNIT_FORMATS, Cell, Column, Table

BALANCE_TOTALS = ("total_assets", "total_liabilities", "total_shareholders_equity")

# The annual statement's lines: column of fct_income_statement_annual, label, format, and whether it has YoY
# columns (<line>_yoy_change, <line>_yoy_growth, <line>_yoy_growth_reported). A line (or YoY column) the mart
# does not have is left out (blank).
ANNUAL_LINES = (
    ("revenue", "Total revenues", "amount", True),
    ("cost_of_revenue", "Total cost of revenues", "amount", False),
    ("gross_margin", "Gross margin", "amount", True),
    ("sga_rd", "SG&A/R&D expenses", "amount", False),
    ("operating_income", "Operating income", "amount", True),
    ("depreciation_and_amortization", "Depreciation and amortization", "amount", False),
    ("adjusted_ebitda", "Adjusted EBITDA (operating income + D&A)", "amount", True),
    ("adjusted_ebitda_reported", "Adjusted EBITDA as printed", "amount", False),
    ("atm_sga", "SG&A of the ATM operation business", "amount", False),
    ("other_income_expenses_net", "Other income and expenses, net", "amount", False),
    ("other_income_expenses_itemised", "of which itemised", "amount", False),
    ("other_income_expenses_unitemised", "of which unitemised", "amount", False),
    ("income_before_income_tax", "Income before income tax", "amount", True),
    ("current_income_tax", "Current income tax", "amount", False),
    ("deferred_income_tax", "Deferred income tax (negative: a benefit)", "amount", False),
    ("total_income_tax", "Total income tax", "amount", True),
    ("equity_method_income", "Equity in net income of equity method investees", "amount", False),
    ("net_income_noncontrolling", "Net income attributable to noncontrolling interests", "amount", False),
    ("net_income_attributable", "Net income attributable to the company", "amount", True),
    ("personnel_costs", "Personnel related costs and expenses", "amount", True),
    ("gross_margin_ratio", "Gross margin ratio", "percent", False),
    ("sga_ratio", "SG&A/R&D ratio", "percent", False),
    ("operating_margin", "Operating margin", "percent", False),
    ("adjusted_ebitda_margin", "Adjusted EBITDA margin", "percent", False),
    ("pretax_margin", "Pre-tax margin", "percent", False),
    ("net_margin", "Net margin", "percent", False),
    ("personnel_cost_ratio", "Personnel cost ratio", "percent", False),
    ("effective_tax_rate", "Effective tax rate", "percent", False),
    ("dividend_per_share_jpy", "Dividend per share (JPY)", "yen", False),
)


def text(name: str, label: str | None = None) -> Column:
    return Column(name, name.replace("_", " ") if label is None else label, "text")


def sourced(row: dict[str, Any], key: str, columns: Sequence[Column]) -> list[Cell]:
    """The cells of a table whose rows are the source's rows: each column read from the row."""
    return [Cell(row[column.name], row[key], column.name) for column in columns]


def long_table(
    table_id: str, caption: str, source: str, key: str, columns: Sequence[Column], rows: Sequence[dict[str, Any]]
) -> Table:
    table = Table(table_id, caption, source, key, columns)
    for row in rows:
        table.add(*sourced(row, key, columns))
    return table


def quarterly_table(quarters: Sequence[dict[str, Any]]) -> Table:
    columns = (
        text("fiscal_quarter", "quarter"),
        Column("revenue", "revenue"),
        Column("cost_of_revenue", "cost of revenues"),
        Column("gross_margin", "gross margin"),
        Column("sga_rd", "SG&A/R&D"),
        Column("operating_income", "operating income"),
        Column("gross_margin_ratio", "gross margin ratio", "percent"),
        Column("operating_margin", "operating margin", "percent"),
        Column("revenue_yoy_growth", "revenue YoY", "growth"),
        Column("gross_margin_yoy_growth", "gross margin YoY", "growth"),
        Column("operating_income_yoy_growth", "operating income YoY", "growth"),
    )
    return long_table(
        "quarterly",
        "Income statement by fiscal quarter (JPY million)",
        "mtr_income_statement_fiscal_quarter",
        "metric_row_id",
        columns,
        quarters,
    )


# The quarterly statement's lines (fct_income_statement_quarterly) and, for each, its measures: column suffix,
# label and format. The ratio to revenue keeps the four names of the mart's first ratios.
QUARTERLY_LINES = (
    ("revenue", "Total revenues"),
    ("cost_of_revenue", "Total cost of revenues"),
    ("gross_margin", "Gross margin"),
    ("sga_rd", "SG&A/R&D expenses"),
    ("operating_income", "Operating income"),
    ("personnel_costs", "Personnel related costs and expenses"),
    ("atm_sga", "SG&A of the ATM operation business"),
    ("current_income_tax", "Current income tax"),
    ("deferred_income_tax", "Deferred income tax"),
    ("total_income_tax", "Total income tax"),
    ("equity_method_income", "Equity-method income"),
    ("net_income_noncontrolling", "Net income attributable to noncontrolling interests"),
)
QUARTERLY_RATIOS = {
    "gross_margin": "gross_margin_ratio",
    "sga_rd": "sga_ratio",
    "operating_income": "operating_margin",
    "personnel_costs": "personnel_cost_ratio",
}
QUARTERLY_MEASURES = (
    ("", "", "amount"),
    ("ratio", "% of revenue", "percent"),
    ("_yoy_change", "YoY change", "change"),
    ("_yoy_growth", "YoY", "growth"),
    ("_qoq_change", "QoQ change", "change"),
    ("_qoq_growth", "QoQ", "growth"),
    ("_ltm", "last twelve months", "amount"),
)


def quarterly_lines_table(quarters: Sequence[dict[str, Any]]) -> Table:
    """Every line of the quarterly statement with its measures, a row each, a fiscal quarter per column."""
    columns = [text("measure", "line"), *(Column(str(q["period_label"]), str(q["period_label"])) for q in quarters)]
    table = Table(
        "quarterly_lines",
        "Every line of the quarterly statement: its ratio to revenue, YoY, QoQ and last twelve months (JPY million)",
        "fct_income_statement_quarterly",
        "fiscal_period_id",
        columns,
    )
    for line, label in QUARTERLY_LINES:
        for suffix, measure, fmt in QUARTERLY_MEASURES:
            if suffix == "ratio":
                if line == "revenue":
                    continue
                column = QUARTERLY_RATIOS.get(line, f"{line}_ratio")
            else:
                column = line + suffix
            if quarters and column not in quarters[0]:
                continue
            name = f"{label}, {measure}" if measure else label
            table.add(Cell(name), *(Cell(q[column], q["fiscal_period_id"], column, fmt) for q in quarters))
    return table


def segment_components_table(components: Sequence[dict[str, Any]]) -> Table:
    """The split of a segment's revenue (where the document gives one): each component by year."""
    columns = (
        text("fiscal_year", "year"),
        text("segment_id", "segment"),
        text("line_item_label", "component"),
        Column("revenue", "revenue"),
        text("value_source", "known as"),
        Column("share_of_segment_revenue", "share of the segment", "percent"),
        Column("revenue_yoy_change", "YoY change", "change"),
        Column("revenue_yoy_change_reported", "YoY change as printed", "change"),
        Column("revenue_yoy_growth", "YoY", "growth"),
        Column("revenue_yoy_growth_reported", "YoY as printed", "growth"),
    )
    return long_table(
        "segment_components",
        "The split of a segment's revenue (JPY million; `residual`: the segment's revenue less the other components)",
        "fct_segment_revenue_components",
        "segment_revenue_component_id",
        columns,
        components,
    )


def annual_table(annual: Sequence[dict[str, Any]]) -> Table:
    """The annual statement, a line per row and a fiscal year per column, then the latest year's YoY (the change,
    the growth as printed and the growth derived from the statement)."""
    latest = annual[-1] if annual else None
    columns = [text("line_item_id", "line"), text("line_item_label", "")]
    columns += [Column(str(year["period_label"]), str(year["period_label"])) for year in annual]
    if latest:
        label = latest["period_label"]
        columns += [
            Column("yoy_change", f"{label} YoY change", "change"),
            Column("yoy_growth_reported", f"{label} YoY as printed", "growth"),
            Column("yoy_growth", f"{label} YoY derived", "growth"),
        ]
    table = Table(
        "annual",
        "Income statement by fiscal year (JPY million; ratios in % of revenue)",
        "fct_income_statement_annual",
        "income_statement_id",
        columns,
    )
    for line, label, fmt, has_yoy in ANNUAL_LINES:
        if latest and line not in latest:
            continue
        cells: list[Cell] = [Cell(line), Cell(label)]
        cells += [Cell(year[line], year["income_statement_id"], line, fmt) for year in annual]
        if latest:
            for suffix in ("yoy_change", "yoy_growth_reported", "yoy_growth"):
                column = f"{line}_{suffix}"
                if has_yoy and column in latest:
                    cells.append(Cell(latest[column], latest["income_statement_id"], column))
                else:
                    cells.append(Cell(None, format="text"))
        table.add(*cells)
    return table


def segment_table(segments: Sequence[dict[str, Any]], types: dict[str, str] | None = None) -> Table:
    """Each year's segments: gross margin, its share and YoY, revenue and margin ratio (and, where the mart has
    them, revenue YoY, share of revenue, segment SG&A and gross margin less it)."""
    types = types or {}
    columns = [
        text("fiscal_year", "fiscal year"),
        text("segment_label", "segment"),
        Column("gross_margin", "gross margin"),
        Column("share_of_total_gross_margin", "share of gross margin", "percent"),
        Column("gross_margin_yoy_change", "YoY change", "change"),
        Column("gross_margin_yoy_growth", "YoY derived", "growth"),
        Column("gross_margin_yoy_growth_reported", "YoY as printed", "growth"),
        Column("revenue", "revenue"),
        Column("gross_margin_ratio", "gross margin ratio", "percent"),
    ]
    optional = (
        Column("revenue_yoy_growth", "revenue YoY", "growth"),
        Column("share_of_total_revenue", "share of revenue", "percent"),
        Column("sga", "SG&A"),
        Column("gross_margin_less_sga", "gross margin less SG&A"),
    )
    columns += [column for column in optional if column.name in types]
    columns.append(Column("is_derived", "derived", "flag"))
    table = long_table(
        "segments",
        "Gross margin by segment (JPY million)",
        "fct_segment_gross_margin",
        "segment_gross_margin_id",
        columns,
        segments,
    )
    table.note = "derived: the segment's gross margin is not printed; it is the total less the printed segments."
    return table


def plan_table(plan: Sequence[dict[str, Any]]) -> Table:
    columns = (
        text("line_item_label", "line"),
        Column("target_value", "target"),
        Column("prior_year_actual", "prior-year actual"),
        Column("implied_yoy_change", "change implied", "change"),
        Column("implied_yoy_growth", "growth implied", "growth"),
        Column("yoy_change_reported", "change as printed", "change"),
        Column("yoy_growth_reported", "growth as printed", "growth"),
        Column("target_pct_of_revenue", "target % of revenue", "percent"),
    )
    return long_table(
        "plan",
        "Plan against the prior year's actual (JPY million)",
        "fct_plan_vs_actual",
        "plan_line_id",
        columns,
        plan,
    )


def quality_tables(quality: Sequence[dict[str, Any]]) -> list[Table]:
    """Checks by suite and status (counts), and every check that did not pass with its figures and reason."""
    columns = [text("expectation_suite", "suite")]
    columns += [Column(status, status.replace("_", " "), "count") for status in STATUSES]
    columns.append(Column("checks", "checks", "count"))
    counts = Table("quality", "Checks by suite and status", "rpt_data_quality", "expectation_suite", columns)
    for suite in sorted({q["expectation_suite"] for q in quality}):
        members = [q for q in quality if q["expectation_suite"] == suite]
        counts.add(suite, *(sum(1 for q in members if q["status"] == s) for s in STATUSES), len(members))
    exception_columns = (
        text("status"),
        text("check_id", "check"),
        text("period_code", "period"),
        text("line_item_id", "line"),
        text("basis"),
        Column("reported_value", "reported"),
        Column("derived_value", "derived"),
        Column("residual", "residual"),
        Column("tolerance", "tolerance"),
        text("exception_reason", "why"),
    )
    not_passing = [q for q in quality if q["status"] != "pass"]
    exceptions = long_table(
        "checks_not_passing",
        "Checks that do not pass (values in base units: JPY million, or fractions for ratios)",
        "rpt_data_quality",
        "check_id",
        exception_columns,
        not_passing,
    )
    for row, check in zip(exceptions.rows, not_passing, strict=True):  # a ratio's figures are fractions
        if check["basis"] in ("yoy_pct", "pct_of_revenue"):
            for i in range(5, 9):
                row[i] = Cell(row[i].value, row[i].row_id, row[i].column, "percent")
    return [counts, exceptions]


# fct_balance_sheet's columns of a line; every other column is of its date (equal on each line of the date).
BALANCE_LINE_COLUMNS = {
    "balance_sheet_line_id", "company_id", "as_of_date", "fiscal_period_id", "line_item_id", "line_item_label",
    "parent_line_item_id", "display_order", "is_subtotal", "amount", "prior_year_amount", "change",
    "change_reported", "slide_id",
}  # fmt: skip
BALANCE_DATE_LABELS = {
    "equity_ratio": "equity ratio",
    "equity_ratio_reported": "equity ratio as printed",
    "noncontrolling_interests_implied": "noncontrolling interests (implied)",
    "roe": "ROE (on average equity)",
    "roe_reported": "ROE as printed",
}


def format_of(column: str, data_type: str) -> str:
    """A column's format from its SQL type: ratios are DOUBLE (computed) or DECIMAL(10,4) (as printed)."""
    if data_type == "BOOLEAN":
        return "flag"
    if data_type in ("DOUBLE", "DECIMAL(10,4)"):
        return "growth" if "growth" in column else "percent"
    if data_type.startswith(("DECIMAL", "INTEGER", "BIGINT", "HUGEINT")):
        return "change" if "change" in column else "amount"
    return "text"


def balance_sheet_tables(lines: Sequence[dict[str, Any]], types: dict[str, str]) -> list[Table]:
    """The balance sheet, a line per row and a date per column, with the latest date's change (and, per date, any
    other figure of a line, e.g. the unitemised remainder of a total); then per date its own figures (equity
    ratio, implied noncontrolling interests, ROE, computed and as printed, and any other column of
    fct_balance_sheet that is the same on every line of a date), each formatted by its SQL type."""
    dates = sorted({line["as_of_date"] for line in lines})
    by_date = {date: [line for line in lines if line["as_of_date"] == date] for date in dates}
    own = [column for column in types if column not in BALANCE_LINE_COLUMNS]
    per_date = [c for c in own if all(len({repr(line[c]) for line in members}) == 1 for members in by_date.values())]
    per_line = [c for c in own if c not in per_date and format_of(c, types[c]) not in ("text", "flag")]
    return [
        balance_sheet_lines_table(lines, dates, per_line, types),
        balance_sheet_dates_table(by_date, per_date, types),
    ]


def balance_sheet_lines_table(
    lines: Sequence[dict[str, Any]], dates: Sequence[Any], per_line: Sequence[str], types: dict[str, str]
) -> Table:
    latest = dates[-1] if dates else None
    columns = [text("line_item_id", "line"), text("line_item_label", "")]
    columns += [Column(str(date), str(date)) for date in dates]
    if latest:
        columns += [
            Column("change", f"change to {latest}", "change"),
            Column("change_reported", "as printed", "change"),
        ]
    extra = [(column, date) for column in per_line for date in dates]
    columns += [
        Column(f"{column}_{date}", f"{column.replace('_', ' ')} {date}", format_of(column, types[column]))
        for column, date in extra
    ]
    amounts = Table(
        "balance_sheet", "Balance sheet (JPY million)", "fct_balance_sheet", "balance_sheet_line_id", columns
    )
    order = sorted({(line["display_order"], line["line_item_id"]) for line in lines})
    by_key = {(line["line_item_id"], line["as_of_date"]): line for line in lines}
    for _, line_id in order:
        label = next(line["line_item_label"] for line in lines if line["line_item_id"] == line_id)
        cells: list[Cell] = [Cell(line_id), Cell(label)]
        wanted = [(date, "amount") for date in dates] + [(latest, c) for c in ("change", "change_reported") if latest]
        wanted += [(date, column) for column, date in extra]
        for date, column in wanted:
            line = by_key.get((line_id, date))
            cells.append(Cell(line[column], line["balance_sheet_line_id"], column) if line else Cell(None))
        amounts.add(*cells)
    return amounts


def balance_sheet_dates_table(
    by_date: dict[Any, list[dict[str, Any]]], per_date: Sequence[str], types: dict[str, str]
) -> Table:
    columns = [text("as_of_date", "date")]
    columns += [
        Column(column, BALANCE_DATE_LABELS.get(column, column.replace("_", " ")), format_of(column, types[column]))
        for column in per_date
    ]
    return long_table(
        "balance_sheet_ratios",
        "By date: equity ratio, implied noncontrolling interests (total assets less total liabilities less the "
        "company's shareholders' equity, JPY million), ROE",
        "fct_balance_sheet",
        "balance_sheet_line_id",
        columns,
        [members[0] for members in by_date.values()],
    )


def balance_sheet_dates(lines: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per date: the totals, the implied noncontrolling interests, the equity ratio and ROE (for the chart)."""
    dates = sorted({line["as_of_date"] for line in lines})
    result = []
    for date in dates:
        members = [line for line in lines if line["as_of_date"] == date]
        first = members[0]
        entry = {
            "as_of_date": date,
            "equity_ratio": first["equity_ratio"],
            "roe": first["roe"],
            "noncontrolling_interests_implied": first["noncontrolling_interests_implied"],
        }
        entry.update({m["line_item_id"]: m["amount"] for m in members if m["line_item_id"] in BALANCE_TOTALS})
        result.append(entry)
    return result


def cash_flow_table(lines: Sequence[dict[str, Any]]) -> Table:
    columns = (
        text("fiscal_period_id", "period"),
        text("section_line_item_id", "section"),
        text("line_item_label", "line"),
        Column("amount", "amount"),
        Column("yoy_change_reported", "YoY change as printed", "change"),
        Column("prior_year_amount_implied", "prior year (implied)"),
        Column("yoy_growth", "YoY growth", "growth"),
    )
    return long_table(
        "cash_flow", "Cash flows, major items (JPY million)", "fct_cash_flow", "cash_flow_line_id", columns, lines
    )


# fct_operating_kpis's optional columns, shown where the mart has them: the value a year earlier (with the
# interval the rounding allows and its source) in the KPI's unit, and its share of revenue.
KPI_PRIOR_YEAR = (
    ("prior_year_value", "value a year earlier"),
    ("prior_year_value_low", "low"),
    ("prior_year_value_high", "high"),
)


def kpi_table(kpis: Sequence[dict[str, Any]], types: dict[str, str] | None = None) -> Table:
    """Every KPI, its value formatted by its unit (JPY million, count, %, JPY), as printed, and its printed YoY
    (and, where the mart has them, the value a year earlier and the share of revenue)."""
    types = types or {}
    columns = [
        text("kpi_label", "KPI"),
        text("statement", "group"),
        text("period_code", "period"),
        text("scenario"),
        Column("value", "value"),
        text("unit_id", "unit"),
        text("printed_value", "as printed"),
        text("printed_unit_id", "printed unit"),
        text("qualifier"),
        Column("yoy_growth_reported", "YoY as printed", "growth"),
        Column("yoy_change_reported", "YoY change as printed", "change"),
    ]
    columns += [Column(name, label) for name, label in KPI_PRIOR_YEAR if name in types]
    if "prior_year_value_source" in types:
        columns.append(text("prior_year_value_source", "a year earlier: source"))
    if "share_of_revenue" in types:
        columns.append(Column("share_of_revenue", "share of revenue", "percent"))
    by_unit = {"value", *(name for name, _ in KPI_PRIOR_YEAR)}
    table = Table("kpis", "Operating KPIs", "fct_operating_kpis", "kpi_fact_id", columns)
    for kpi in kpis:
        unit, key = kpi["unit_id"], kpi["kpi_fact_id"]
        cells = []
        for column in columns:
            if column.name in by_unit:
                cells.append(Cell(kpi[column.name], key, column.name, UNIT_FORMATS.get(unit, "amount")))
            elif column.name == "yoy_change_reported":
                cells.append(Cell(kpi[column.name], key, column.name, UNIT_CHANGE_FORMATS.get(unit, "change")))
            else:
                cells.append(Cell(kpi[column.name], key, column.name))
        table.add(*cells)
    return table


def restatement_table(restatements: Sequence[dict[str, Any]]) -> Table:
    columns = (
        text("line_item_id", "line"),
        text("period_code", "period"),
        text("basis"),
        text("earlier_document_id", "earlier document"),
        text("earlier_published_on", "published"),
        Column("earlier_value", "earlier value"),
        text("later_document_id", "later document"),
        text("later_published_on", "published"),
        Column("later_value", "later value"),
        Column("difference", "difference", "change"),
        Column("is_standard_change", "change of accounting standard", "flag"),
    )
    table = Table("restatements", "Restated figures (base units)", "rpt_restatements", "restatement_id", columns)
    for restatement in restatements:
        cells = sourced(restatement, "restatement_id", columns)
        unit = restatement["base_unit_id"]
        for i in (5, 8):
            cells[i] = Cell(cells[i].value, cells[i].row_id, cells[i].column, UNIT_FORMATS.get(unit, "amount"))
        cells[9] = Cell(cells[9].value, cells[9].row_id, cells[9].column, UNIT_CHANGE_FORMATS.get(unit, "change"))
        table.add(*cells)
    return table
