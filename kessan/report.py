"""Render the results report: one static HTML page with inline SVG charts, from the warehouse, read-only.

Usage (from the project directory; `make report` runs it after `make build`):

    python -m kessan.report [--db warehouse/kessan.duckdb] [--out build/report] [--company ID]

The page (OUT/index.html) has a section per company of the warehouse (`--company ID`: that company alone; an ID
the warehouse does not have is an error naming those it has), each in the company's own fiscal calendar. It needs
no network and no JavaScript library: every chart is SVG drawn here from the warehouse's numbers, and every mark
carries the number it draws (`data-key`, `data-value`; a company's marks are keyed `company|key`, its charts
`company|chart`), so a test can compare the page with the warehouse. A few lines of inline JavaScript only record,
after layout, how many marks of each chart the browser drew (`data-drawn`). The page's frame is the Jinja2 template
templates/report.html.j2; the charts are drawn here.

The database is $KESSAN_DB_PATH (as in profiles.yml), else warehouse/kessan.duckdb; it is opened read-only,
so the report never blocks a build. The relations read are RELATIONS (models/exposures.yml declares the
same as the report's `depends_on`; python_tests/test_docs.py checks they agree).
"""

from __future__ import annotations

import argparse
import html
import math
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

DEFAULT_DB_PATH = "warehouse/kessan.duckdb"
DEFAULT_OUT_DIR = "build/report"
RELATIONS = (
    "dim_companies",
    "fct_income_statement_annual",
    "mtr_income_statement_fiscal_quarter",
    "fct_segment_gross_margin",
    "fct_plan_vs_actual",
    "rpt_data_quality",
)

# Palette: one hue per measure; the earlier fiscal year is a tint of the later one.
INK, MUTED, GRID = "#1f2933", "#616e7c", "#e4e7eb"
MEASURE_COLOURS = {
    "revenue": ("#9fb3c8", "#243b53"),
    "gross_margin": ("#8eddd3", "#0e7c6b"),
    "operating_income": ("#f9c9a8", "#c65d21"),
}
MARGIN_COLOUR = "#7b2cbf"
SEGMENT_COLOURS = ["#243b53", "#0e7c6b", "#e9b949", "#c65d21", "#7b8794", "#9f86c0"]
STATUS_COLOURS = {
    "pass": "#3f9142",
    "documented_exception": "#e9b949",
    "fail": "#cf1124",
    "stale_exception": "#7b2cbf",
}
STATUS_LABELS = {
    "pass": "pass",
    "documented_exception": "documented exception",
    "fail": "fail",
    "stale_exception": "stale exception",
}
PLAN_LINES = ("revenue", "cost_of_revenue", "gross_margin", "sga_rd", "operating_income")


# ---------------------------------------------------------------------------------------------------------------
# Reading the warehouse


def database_path() -> Path:
    """The warehouse the report reads: $KESSAN_DB_PATH, else the published warehouse/kessan.duckdb."""
    return Path(os.environ.get("KESSAN_DB_PATH", DEFAULT_DB_PATH))


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
    quarters: list[dict[str, Any]]  # fiscal quarters, oldest first
    segments: list[dict[str, Any]]  # fiscal year x segment, the last two years
    plan: list[dict[str, Any]]  # the latest plan year's income-statement lines
    quality: list[dict[str, Any]]  # every check of the build on the company's figures


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


def read_company(connection: duckdb.DuckDBPyConnection, company: dict[str, Any]) -> ReportData:
    """One company's numbers."""
    company_id = company["company_id"]
    annual = rows(
        connection,
        "select * from fct_income_statement_annual"
        " where company_id = ? and scenario = 'actual' and period_grain = 'fiscal_year' order by fiscal_year",
        company_id,
    )
    quarters = rows(
        connection,
        "select * from mtr_income_statement_fiscal_quarter where company_id = ? order by start_date",
        company_id,
    )
    segments = rows(
        connection,
        "select * from fct_segment_gross_margin where company_id = ?"
        " and fiscal_year >= (select max(fiscal_year) - 1 from fct_segment_gross_margin where company_id = ?)"
        " order by fiscal_year, display_order",
        company_id,
        company_id,
    )
    plan = rows(
        connection,
        "select * from fct_plan_vs_actual where company_id = ? and period_grain = 'fiscal_year'"
        " and fiscal_year = (select max(fiscal_year) from fct_plan_vs_actual where company_id = ?)"
        f" and line_item_id in ({', '.join('?' for _ in PLAN_LINES)}) order by display_order",
        company_id,
        company_id,
        *PLAN_LINES,
    )
    quality = rows(
        connection,
        "select * from rpt_data_quality where company_id = ? order by expectation_suite, check_id",
        company_id,
    )
    return ReportData(company, annual, quarters, segments, plan, quality)


# ---------------------------------------------------------------------------------------------------------------
# Formatting


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def number(value: Any) -> float:
    return float(value) if value is not None else 0.0


def data_value(value: Any) -> str:
    """A number as the page records it in data-value: the warehouse's value, exactly."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return repr(float(value)) if isinstance(value, float) else str(value)


def millions(value: Any) -> str:
    return "n/a" if value is None else f"{number(value):,.0f}"


def billions(value: Any) -> str:
    return "n/a" if value is None else f"{number(value) / 1000:,.1f}"


def percent(value: Any, digits: int = 1, signed: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{number(value) * 100:{'+' if signed else ''}.{digits}f}%"


def fy_label(fiscal_year: Any) -> str:
    """FY2017 or 2017 -> FY17."""
    return "FY" + str(fiscal_year)[-2:]


def attrs(**values: Any) -> str:
    """SVG/HTML attributes; trailing underscores are dropped and other underscores become dashes."""
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{esc(value)}"')
    return " ".join(parts)


def mark(tag: str, key: str, value: Any, title: str, content: str = "", **svg: Any) -> str:
    """One mark of a chart: an SVG element carrying the number it draws, with a tooltip (and text content)."""
    return (
        f"<{tag} {attrs(data_key=key, data_value=data_value(value), **svg)}>"
        f"<title>{esc(title)}</title>{esc(content)}</{tag}>"
    )


def text(x: float, y: float, content: str, **svg: Any) -> str:
    return f"<text {attrs(x=f'{x:.1f}', y=f'{y:.1f}', **svg)}>{esc(content)}</text>"


def axis(maximum: float, ticks: int = 4) -> tuple[float, int]:
    """A round tick step and the number of steps that reach `maximum` (about `ticks` of them)."""
    if maximum <= 0:
        return 1.0, ticks
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    return step, max(1, math.ceil(maximum / step - 1e-9))


def scaled_axis(maximum: float, steps: int) -> float:
    """A round step such that `steps` of them reach `maximum` (the right axis shares the left's gridlines)."""
    if maximum <= 0:
        return 1.0 / steps
    raw = maximum / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))


# ---------------------------------------------------------------------------------------------------------------
# Charts


def quarterly_panel(
    quarters: Sequence[dict[str, Any]], measure: str, title: str, ratio: str | None, ratio_label: str
) -> str:
    """Bars of one measure by fiscal quarter (the earlier year tinted) and, if given, its margin as a line."""
    width, height = 340.0, 250.0
    left, right, top, bottom = 44.0, 44.0 if ratio else 12.0, 30.0, 44.0
    plot_w, plot_h = width - left - right, height - top - bottom
    step, steps = axis(max([number(q[measure]) for q in quarters] + [1.0]) / 1000)
    maximum = step * steps * 1000  # JPY million
    ratio_step = scaled_axis(max([number(q[ratio]) for q in quarters] + [0.01]), steps) if ratio else 1.0
    ratio_max = ratio_step * steps
    years = sorted({q["fiscal_year"] for q in quarters})
    slot = plot_w / max(len(quarters), 1)
    parts = [
        f'<svg class="panel" viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{esc(title)}">',
        text(0, 16, title, class_="panel-title"),
    ]
    for tick in range(steps + 1):  # gridlines and the left axis, JPY billion
        y = top + plot_h - plot_h * tick / steps
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(text(left - 6, y + 4, f"{round(step * tick, 6):,g}", class_="tick", text_anchor="end"))
        if ratio:
            parts.append(
                text(left + plot_w + 6, y + 4, f"{round(ratio_step * tick * 100, 6):g}%", class_="tick ratio-tick")
            )
    points = []
    for i, quarter in enumerate(quarters):
        value = number(quarter[measure])
        bar_h = plot_h * value / maximum if maximum else 0
        x = left + slot * i + slot * 0.18
        colour = MEASURE_COLOURS[measure][1 if quarter["fiscal_year"] == years[-1] else 0]
        label = str(quarter["fiscal_quarter"])
        title_text = f"{label} {title}: {millions(quarter[measure])} JPY million"
        parts.append(
            mark(
                "rect",
                f"{measure}|{label}",
                quarter[measure],
                title_text,
                class_="bar",
                x=f"{x:.1f}",
                y=f"{top + plot_h - bar_h:.1f}",
                width=f"{slot * 0.64:.1f}",
                height=f"{bar_h:.1f}",
                fill=colour,
            )
        )
        growth = quarter.get(f"{measure}_yoy_growth")
        if not ratio and growth is not None:  # the revenue panel: YoY growth above each bar that has one
            parts.append(
                mark(
                    "text",
                    f"{measure}_yoy_growth|{label}",
                    growth,
                    f"{label} {title} YoY growth: {percent(growth, signed=True)}",
                    content=percent(growth, 0, signed=True),
                    x=f"{x + slot * 0.32:.1f}",
                    y=f"{top + plot_h - bar_h - 5:.1f}",
                    class_="value small yoy",
                    text_anchor="middle",
                )
            )
        short = "Q" + label[-1]
        parts.append(text(x + slot * 0.32, top + plot_h + 14, short, class_="tick", text_anchor="middle"))
        if ratio and quarter[ratio] is not None:
            points.append((x + slot * 0.32, top + plot_h - plot_h * number(quarter[ratio]) / ratio_max, quarter))
    for j, year in enumerate(years):  # fiscal-year captions under the quarters
        members = [i for i, q in enumerate(quarters) if q["fiscal_year"] == year]
        centre = left + slot * (members[0] + members[-1] + 1) / 2
        parts.append(text(centre, top + plot_h + 30, fy_label(year), class_="tick year", text_anchor="middle"))
        if j:
            x = left + slot * members[0]
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h + 34}" class="divider"/>')
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        parts.append(f'<polyline points="{path}" class="margin-line" stroke="{MARGIN_COLOUR}"/>')
        for x, y, quarter in points:
            label = str(quarter["fiscal_quarter"])
            parts.append(
                mark(
                    "circle",
                    f"{ratio}|{label}",
                    quarter[ratio],
                    f"{label} {ratio_label}: {percent(quarter[ratio])}",
                    cx=f"{x:.1f}",
                    cy=f"{y:.1f}",
                    r="3.5",
                    fill=MARGIN_COLOUR,
                    class_="margin-point",
                )
            )
        last_x, last_y, last = points[-1]
        parts.append(text(last_x - 7, last_y - 8, percent(last[ratio]), class_="value ratio-value", text_anchor="end"))
    parts.append("</svg>")
    return "".join(parts)


def quarterly_chart(quarters: Sequence[dict[str, Any]]) -> str:
    panels = [
        quarterly_panel(quarters, "revenue", "Revenue", None, ""),
        quarterly_panel(quarters, "gross_margin", "Gross margin", "gross_margin_ratio", "gross margin ratio"),
        quarterly_panel(quarters, "operating_income", "Operating income", "operating_margin", "operating margin"),
    ]
    legend = (
        '<p class="legend">Bars: JPY billion (left axis), '
        f'<span class="swatch" style="background:{MEASURE_COLOURS["revenue"][0]}"></span>earlier and '
        f'<span class="swatch" style="background:{MEASURE_COLOURS["revenue"][1]}"></span>later fiscal year. '
        f'<span class="swatch line" style="background:{MARGIN_COLOUR}"></span>Margin over revenue (right axis).</p>'
    )
    return f'<div class="panels">{"".join(panels)}</div>{legend}'


def segment_chart(segments: Sequence[dict[str, Any]]) -> str:
    """Each fiscal year's gross margin as a 100% bar split by segment."""
    width, row_h, left = 1000.0, 46.0, 60.0
    years = sorted({s["fiscal_year"] for s in segments})
    order = sorted({(s["display_order"], s["segment_id"], s["segment_label"]) for s in segments})
    colours = {segment_id: SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)] for i, (_, segment_id, _) in enumerate(order)}
    height = 20 + row_h * len(years)
    parts = [f'<svg viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="Gross margin mix by segment">']
    plot_w = width - left - 10
    for row, year in enumerate(years):
        y = 10 + row * row_h
        members = [s for s in segments if s["fiscal_year"] == year]
        total = members[0]["total_gross_margin"] if members else None
        parts.append(text(0, y + 19, fy_label(year), class_="row-label"))
        parts.append(text(0, y + 34, f"{billions(total)} bn", class_="tick"))
        x = left
        for segment in sorted(members, key=lambda s: s["display_order"]):
            share = number(segment["share_of_total_gross_margin"])
            bar_w = plot_w * share
            label = segment["segment_label"]
            derived = " (derived: total less the printed segments)" if segment["is_derived"] else ""
            parts.append(
                mark(
                    "rect",
                    f"share|{fy_label(year)}|{segment['segment_id']}",
                    segment["share_of_total_gross_margin"],
                    f"{fy_label(year)} {label}: {millions(segment['gross_margin'])} JPY million, "
                    f"{percent(share)} of gross margin{derived}",
                    x=f"{x:.1f}",
                    y=f"{y:.1f}",
                    width=f"{bar_w:.1f}",
                    height="34",
                    fill=colours[segment["segment_id"]],
                    class_="bar",
                )
            )
            if bar_w > 80:
                parts.append(text(x + 8, y + 15, label, class_="in-bar"))
                parts.append(
                    text(
                        x + 8,
                        y + 29,
                        f"{percent(share)} · {billions(segment['gross_margin'])} bn",
                        class_="in-bar small",
                    )
                )
            elif bar_w > 30:
                parts.append(
                    text(x + bar_w / 2, y + 22, f"{percent(share, 0)}", class_="in-bar small", text_anchor="middle")
                )
            x += bar_w
    parts.append("</svg>")
    legend = " ".join(
        f'<span class="swatch" style="background:{colours[segment_id]}"></span>{esc(label)}'
        for _, segment_id, label in order
    )
    changes = []
    if len(years) == 2:
        for _, segment_id, label in order:
            before = next((s for s in segments if s["fiscal_year"] == years[0] and s["segment_id"] == segment_id), None)
            after = next((s for s in segments if s["fiscal_year"] == years[1] and s["segment_id"] == segment_id), None)
            if before and after:
                points = (
                    number(after["share_of_total_gross_margin"]) - number(before["share_of_total_gross_margin"])
                ) * 100
                changes.append(f"{esc(label)} {points:+.1f} pts")
    span = f"{fy_label(years[0])} to {fy_label(years[-1])}" if years else ""
    note = f'<p class="note">Share of total gross margin, {span}: {"; ".join(changes)}.</p>' if changes else ""
    return "".join(parts) + f'<p class="legend">{legend}</p>{note}'


def plan_chart(plan: Sequence[dict[str, Any]]) -> str:
    """Each income-statement target against the prior year's actual: paired bars, each line on its own scale."""
    width, row_h, left, value_w = 1000.0, 58.0, 170.0, 230.0
    height = 10 + row_h * len(plan)
    plot_w = width - left - value_w
    parts = [f'<svg viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="Plan against actual">']
    for row, line in enumerate(plan):
        y = 8 + row * row_h
        period = line["period_label"]
        prior = f"FY{int(str(line['fiscal_year'])[-2:]) - 1:02d}"
        scale = max(number(line["target_value"]), number(line["prior_year_actual"]), 1.0)
        parts.append(text(0, y + 25, line["line_item_label"], class_="row-label"))
        for offset, (key, value, label, colour) in enumerate(
            (
                ("actual", line["prior_year_actual"], f"{prior} actual", "#9aa5b1"),
                ("target", line["target_value"], f"{period} target", "#243b53"),
            )
        ):
            bar_y = y + 4 + offset * 22
            bar_w = plot_w * number(value) / scale
            parts.append(
                mark(
                    "rect",
                    f"{key}|{line['line_item_id']}",
                    value,
                    f"{label}, {line['line_item_label']}: {millions(value)} JPY million",
                    x=f"{left:.1f}",
                    y=f"{bar_y:.1f}",
                    width=f"{bar_w:.1f}",
                    height="18",
                    fill=colour,
                    class_="bar",
                )
            )
            parts.append(text(left + bar_w + 6, bar_y + 13, f"{label}: {billions(value)} bn", class_="value small"))
        growth = line["implied_yoy_growth"]
        colour = "#3f9142" if growth is not None and number(growth) >= 0 else "#cf1124"
        parts.append(
            mark(
                "text",
                f"growth|{line['line_item_id']}",
                growth,
                f"{line['line_item_label']}: target over the prior year's actual, minus one",
                content=percent(growth, signed=True),
                x=f"{width - 4:.1f}",
                y=f"{y + 30:.1f}",
                class_="growth",
                fill=colour,
                text_anchor="end",
            )
        )
    parts.append("</svg>")
    return "".join(parts) + (
        '<p class="note">Each line on its own scale (bars start at zero); the percentage is the growth the target '
        "implies over the prior year's actual. Targets are the company's plans, not results.</p>"
    )


def quality_chart(quality: Sequence[dict[str, Any]]) -> str:
    """Checks by suite and status as stacked bars, the headline status, and every check that did not pass."""
    suites = sorted({q["expectation_suite"] for q in quality})
    statuses = list(STATUS_COLOURS)
    counts = {
        (s, t): sum(1 for q in quality if q["expectation_suite"] == s and q["status"] == t)
        for s in suites
        for t in statuses
    }
    totals = {t: sum(counts[s, t] for s in suites) for t in statuses}
    failing = totals["fail"] + totals["stale_exception"]
    if failing:
        headline = f'<p class="status bad" data-status="failing">{failing} of {len(quality)} checks fail</p>'
    else:
        headline = (
            f'<p class="status good" data-status="ok">All {len(quality)} checks pass or are documented exceptions'
            f" ({totals['pass']} pass, {totals['documented_exception']} documented)</p>"
        )
    width, row_h, left = 1000.0, 26.0, 150.0
    widest = max([sum(counts[s, t] for t in statuses) for s in suites] + [1])
    plot_w = width - left - 60
    height = 8 + row_h * len(suites)
    parts = [f'<svg viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="Checks by suite and status">']
    for row, suite in enumerate(suites):
        y = 6 + row * row_h
        parts.append(text(0, y + 14, suite.replace("_", " "), class_="row-label small"))
        x = left
        for status in statuses:
            count = counts[suite, status]
            if not count:
                continue
            bar_w = plot_w * count / widest
            parts.append(
                mark(
                    "rect",
                    f"{suite}|{status}",
                    count,
                    f"{suite}: {count} {STATUS_LABELS[status]}",
                    x=f"{x:.1f}",
                    y=f"{y:.1f}",
                    width=f"{max(bar_w, 3):.1f}",
                    height="18",
                    fill=STATUS_COLOURS[status],
                    class_="bar",
                )
            )
            x += max(bar_w, 3)
        total = sum(counts[suite, t] for t in statuses)
        parts.append(text(x + 6, y + 14, str(total), class_="value small"))
    parts.append("</svg>")
    legend = " ".join(
        f'<span class="swatch" style="background:{STATUS_COLOURS[t]}"></span>{STATUS_LABELS[t]} ({totals[t]})'
        for t in statuses
    )
    table = exceptions_table([q for q in quality if q["status"] != "pass"])
    return headline + "".join(parts) + f'<p class="legend">{legend}</p>' + table


def number_cell(key: str, value: Any) -> str:
    """A table cell showing a figure in JPY million, carrying its value."""
    return f'<td class="num" {attrs(data_key=key, data_value=data_value(value))}>{millions(value)}</td>'


def exceptions_table(checks: Sequence[dict[str, Any]]) -> str:
    """The checks that did not pass, with how far the residual is beyond the tolerance the rounding allows."""
    if not checks:
        return '<p class="note">Every check passes.</p>'
    body = []
    for check in checks:
        residual, tolerance = check["residual"], check["tolerance"]
        ratio = abs(number(residual)) / number(tolerance) if tolerance else 0
        gauge_w = 160.0
        scale = max(ratio, 1.0) * 1.1
        body.append(
            "<tr>"
            f'<td><span class="pill" style="background:{STATUS_COLOURS.get(check["status"], MUTED)}">'
            f"{esc(STATUS_LABELS.get(check['status'], check['status']))}</span></td>"
            f"<td>{esc(check['line_item_id'] or '')} {esc(check['period_code'] or '')}"
            f'<br><span class="muted">{esc(check["identity_id"] or "")}</span></td>'
            + number_cell("reported|" + check["check_id"], check["reported_value"])
            + number_cell("derived|" + check["check_id"], check["derived_value"])
            + f'<td><svg class="gauge" viewBox="0 0 {gauge_w:.0f} 30" role="img" aria-label="residual, tolerance">'
            + mark(
                "rect",
                "residual|" + check["check_id"],
                residual,
                f"residual {residual} against a tolerance of {tolerance}",
                x="0",
                y="8",
                width=f"{gauge_w * ratio / scale:.1f}",
                height="12",
                fill=STATUS_COLOURS.get(check["status"], MUTED),
            )
            + f'<line x1="{gauge_w / scale:.1f}" x2="{gauge_w / scale:.1f}" y1="3" y2="25" class="tolerance-mark"/>'
            "</svg><br>"
            f'<span class="muted">residual {number(residual):,.1f} vs tolerance {number(tolerance):,.1f}</span></td>'
            f'<td class="reason">{esc(check["exception_reason"] or "")}</td>'
            "</tr>"
        )
    return (
        '<table class="exceptions"><thead><tr><th>status</th><th>figure</th><th class="num">reported</th>'
        '<th class="num">derived</th><th>residual (bar) vs tolerance (line)</th><th>why</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


# ---------------------------------------------------------------------------------------------------------------
# The page


def tiles(annual: Sequence[dict[str, Any]]) -> str:
    """Headline figures of the latest fiscal year, as printed (the annual statement)."""
    if not annual:
        return ""
    latest = annual[-1]
    items = [
        ("Revenue", latest["revenue"], latest["revenue_yoy_growth"], None),
        ("Gross margin", latest["gross_margin"], latest["gross_margin_yoy_growth"], latest["gross_margin_ratio"]),
        (
            "Operating income",
            latest["operating_income"],
            latest["operating_income_yoy_growth"],
            latest["operating_margin"],
        ),
        (
            "Adjusted EBITDA",
            latest["adjusted_ebitda"],
            latest["adjusted_ebitda_yoy_growth"],
            latest["adjusted_ebitda_margin"],
        ),
    ]
    cells = []
    for label, value, growth, margin in items:
        margin_text = f" · {percent(margin)} of revenue" if margin is not None else ""
        cells.append(
            f'<div class="tile" {attrs(data_key="tile|" + label, data_value=data_value(value))}>'
            f'<div class="tile-label">{esc(label)}, {fy_label(latest["fiscal_year"])}</div>'
            f'<div class="tile-value">{billions(value)}<span class="unit"> JPY bn</span></div>'
            f'<div class="tile-sub">{percent(growth, signed=True)} YoY{esc(margin_text)}</div></div>'
        )
    return f'<div class="tiles">{"".join(cells)}</div>'


STYLE = """
figure.chart { margin: 0; }
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f7fa; color: %(ink)s;
  font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 28px 24px 48px; }
header h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
header p { margin: 0; color: %(muted)s; }
section { background: #fff; border-radius: 10px; box-shadow: 0 1px 3px rgba(31,41,51,.08); padding: 20px 24px;
  margin-top: 20px; }
section h2 { font-size: 18px; margin: 0 0 2px; }
section .lede { margin: 0 0 12px; color: %(muted)s; font-size: 14px; }
svg { width: 100%%; height: auto; display: block; overflow: visible; }
svg text { font-family: inherit; fill: %(ink)s; }
.panels { display: grid; grid-template-columns: repeat(3, 1fr); gap: 18px; }
.panel-title { font-weight: 600; font-size: 14px; }
.tick { font-size: 10.5px; fill: %(muted)s; }
.tick.year { font-weight: 600; fill: %(ink)s; }
.ratio-tick { fill: %(margin)s; }
.grid { stroke: %(grid)s; stroke-width: 1; }
.divider { stroke: #cbd2d9; stroke-dasharray: 3 3; }
.margin-line { fill: none; stroke-width: 2; }
.value { font-size: 12px; }
.ratio-value { fill: %(margin)s; font-weight: 700; font-size: 11px; paint-order: stroke; stroke: #fff;
  stroke-width: 3px; }
.yoy { fill: %(muted)s; font-size: 9.5px; }
.small { font-size: 11px; }
.row-label { font-size: 13px; font-weight: 600; }
.in-bar { fill: #fff; font-size: 12px; font-weight: 600; }
.in-bar.small { font-weight: 400; font-size: 11px; }
.growth { font-size: 18px; font-weight: 700; }
.legend, .note { font-size: 12.5px; color: %(muted)s; margin: 10px 0 0; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin: 0 5px 0 10px;
  vertical-align: -1px; }
.swatch.line { height: 3px; vertical-align: 3px; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 14px; margin-top: 20px; }
.tile { background: #fff; border-radius: 10px; padding: 14px 16px; box-shadow: 0 1px 3px rgba(31,41,51,.08); }
.tile-label { font-size: 12.5px; color: %(muted)s; }
.tile-value { font-size: 26px; font-weight: 700; letter-spacing: -0.02em; }
.tile-value .unit { font-size: 13px; font-weight: 400; color: %(muted)s; }
.tile-sub { font-size: 12.5px; color: %(muted)s; }
.status { font-weight: 700; margin: 0 0 10px; padding: 8px 12px; border-radius: 8px; }
.status.good { background: #e3f9e5; color: #1f5f2a; }
.status.bad { background: #ffe3e3; color: #8a041a; }
table.exceptions { width: 100%%; border-collapse: collapse; margin-top: 14px; font-size: 13px; }
table.exceptions th { text-align: left; font-weight: 600; color: %(muted)s; border-bottom: 1px solid %(grid)s;
  padding: 6px 8px; }
table.exceptions td { vertical-align: top; padding: 8px; border-bottom: 1px solid %(grid)s; }
table.exceptions .num { text-align: right; font-variant-numeric: tabular-nums; }
table.exceptions .reason { max-width: 360px; font-size: 12px; }
.gauge { width: 160px; }
.tolerance-mark { stroke: %(ink)s; stroke-width: 2; }
.pill { color: #fff; border-radius: 10px; padding: 1px 8px; font-size: 11.5px; white-space: nowrap; }
.muted { color: %(muted)s; font-size: 12px; }
article.company + article.company { margin-top: 40px; padding-top: 8px; border-top: 2px solid #cbd2d9; }
.company-name { font-size: 22px; margin: 18px 0 2px; }
.company-lede { margin: 0; color: %(muted)s; }
nav.companies a { margin-right: 14px; font-size: 13px; }
footer { margin-top: 22px; font-size: 12px; color: %(muted)s; }
@media print { body { background: #fff; } section, .tile { box-shadow: none; border: 1px solid %(grid)s; } }
""" % {"ink": INK, "muted": MUTED, "grid": GRID, "margin": MARGIN_COLOUR}  # noqa: UP031 (CSS braces)

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


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
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


def sections(data: ReportData) -> list[dict[str, Any]]:
    """A company's charts: id, title, lede (HTML) and body (HTML)."""
    quarters = data.quarters
    span = f"{quarters[0]['fiscal_quarter']} to {quarters[-1]['fiscal_quarter']}" if quarters else "no quarters"
    plan_period = data.plan[0]["period_label"] if data.plan else "plan"
    segment_years = sorted({s["fiscal_year"] for s in data.segments})
    specs = [
        (
            "quarterly",
            "Quarterly revenue, gross margin and operating income",
            f"JPY billion by fiscal quarter ({esc(span)}; {esc(calendar_note(data))}), with gross margin ratio and "
            "operating margin. Source: the metric view mtr_income_statement_fiscal_quarter.",
            quarterly_chart(quarters),
        ),
        (
            "segments",
            f"Gross-margin mix by segment, {' vs '.join(fy_label(y) for y in segment_years)}",
            "Each bar is the year's total gross margin, split by segment. Source: fct_segment_gross_margin.",
            segment_chart(data.segments),
        ),
        (
            "plan",
            f"{plan_period} plan vs prior-year actual",
            "Income-statement targets against the actual of the year before. Source: fct_plan_vs_actual.",
            plan_chart(data.plan),
        ),
        (
            "quality",
            "Data quality: the document's arithmetic",
            "Every printed figure the warehouse can recompute from others, checked within the rounding the printed "
            "precision allows, by Great Expectations suite. A documented exception is a printed figure that does not "
            "reconcile, listed with its residual and reason. Source: rpt_data_quality.",
            quality_chart(data.quality),
        ),
    ]
    key = data.company["company_id"]
    return [
        {"id": chart_id, "title": title, "lede": Markup(lede), "body": Markup(keyed(body, key))}
        for chart_id, title, lede, body in specs
    ]


def keyed(fragment: str, company_id: str) -> str:
    """A company's marks keyed by company: data-key="revenue|FY2017-Q3" -> data-key="iij|revenue|FY2017-Q3"."""
    return fragment.replace(' data-key="', f' data-key="{esc(company_id)}|')


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
    units = "Amounts in JPY billion unless stated; hover a mark for its exact figure in JPY million."
    if len(companies) == 1:
        data = companies[0]
        title = f"{data.company['company_name']}: results at a glance"
        subtitle = f"{years_note(data)}. {units}"
    else:
        title = f"Results at a glance: {len(companies)} companies"
        subtitle = f"Each company in its own fiscal calendar. {units}"
    return environment.get_template("report.html.j2").render(
        title=title,
        subtitle=subtitle,
        style=Markup(STYLE),
        script=Markup(SCRIPT),
        companies=[
            {
                "id": data.company["company_id"],
                "name": data.company["company_name"],
                "lede": f"{years_note(data)}; {calendar_note(data)}.",
                "tiles": Markup(keyed(tiles(data.annual), data.company["company_id"])),
                "sections": sections(data),
            }
            for data in companies
        ],
        build_id=build.get("build_id", "n/a"),
        built_at=build.get("built_at", "n/a"),
        relations=", ".join(RELATIONS),
    )


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kessan.report", description=__doc__.splitlines()[0])
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


if __name__ == "__main__":
    sys.exit(main())
