"""The report's charts: inline SVG drawn from the warehouse's numbers, every mark carrying the number it draws.

Each chart is a function of the rows kessan.report read, returning an SVG fragment (and its legend). A mark is an
SVG element with `data-key` (what it is: `revenue|FY2017-Q3`; kessan.report prefixes the company) and
`data-value` (the warehouse's number, exactly), and a tooltip with the figure formatted as the deck prints it.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

from .formats import amount, data_value
from .formats import percent as deck_percent

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

# ---------------------------------------------------------------------------------------------------------------
# Formatting


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def number(value: Any) -> float:
    return float(value) if value is not None else 0.0


def millions(value: Any) -> str:
    """JPY million as the deck prints it (tooltips)."""
    return amount(value)


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
    failing = sum(1 for q in quality if q["is_failing"])
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
    return headline + "".join(parts) + f'<p class="legend">{legend}</p>'


def exceptions_chart(checks: Sequence[dict[str, Any]]) -> str:
    """Each check that did not pass: its reported and derived value, and its residual (bar) against the tolerance
    the rounding allows (line), on the check's own scale."""
    if not checks:
        return '<p class="note">Every check passes.</p>'
    width, row_h, gauge_x, gauge_w = 1000.0, 40.0, 640.0, 300.0
    height = 8 + row_h * len(checks)
    parts = [f'<svg viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="Residuals against tolerances">']
    for row, check in enumerate(checks):
        y = 6 + row * row_h
        residual, tolerance = check["residual"], check["tolerance"]
        ratio = abs(number(residual)) / number(tolerance) if tolerance else 0
        scale = max(ratio, 1.0) * 1.1
        colour = STATUS_COLOURS.get(check["status"], MUTED)
        label = f"{check['line_item_id'] or ''} {check['period_code'] or ''} ({check['basis']})"
        parts.append(text(0, y + 12, label, class_="row-label small"))
        parts.append(
            text(
                0,
                y + 27,
                f"{STATUS_LABELS.get(check['status'], check['status'])}: {check['identity_id']}",
                class_="tick",
            )
        )
        for offset, key in ((300.0, "reported"), (470.0, "derived")):
            value = check[f"{key}_value"]
            parts.append(
                mark(
                    "text",
                    f"{key}|{check['check_id']}",
                    value,
                    f"{key} value: {value}",
                    content=f"{key} {millions(value)}",
                    x=f"{offset:.1f}",
                    y=f"{y + 18:.1f}",
                    class_="value small",
                )
            )
        parts.append(
            mark(
                "rect",
                "residual|" + check["check_id"],
                residual,
                f"residual {residual} against a tolerance of {tolerance}",
                x=f"{gauge_x:.1f}",
                y=f"{y + 6:.1f}",
                width=f"{max(gauge_w * ratio / scale, 1.0):.1f}",
                height="14",
                fill=colour,
            )
        )
        tol_x = gauge_x + gauge_w / scale
        parts.append(
            f'<line x1="{tol_x:.1f}" x2="{tol_x:.1f}" y1="{y + 1:.1f}" y2="{y + 25:.1f}" class="tolerance-mark"/>'
        )
        parts.append(
            text(
                gauge_x,
                y + 34,
                f"residual {number(residual):,.6g} vs tolerance {number(tolerance):,.6g}",
                class_="tick",
            )
        )
    parts.append("</svg>")
    return "".join(parts) + (
        '<p class="legend">Residual (bar) against the tolerance the printed precision allows (line).</p>'
    )


def hbars(
    rows: Sequence[tuple[str, Sequence[tuple[str, Any, str, str]]]],
    aria: str,
    value_format: Any = millions,
    unit: str = " JPY million",
    row_formats: Sequence[Any] | None = None,
) -> str:
    """Horizontal bars around a zero axis (negatives to its left): per row a label and one or more bars, each
    (key, value, tooltip label, colour), on one scale; `row_formats` formats each row's values (default:
    `value_format`)."""
    width, left, right, bar_h, gap = 1000.0, 400.0, 90.0, 14.0, 10.0
    values = [abs(number(v)) for _, bars in rows for _, v, _, _ in bars] + [1e-9]
    negatives = any(number(v) < 0 for _, bars in rows for _, v, _, _ in bars)
    positives = any(number(v) > 0 for _, bars in rows for _, v, _, _ in bars)
    plot_w = width - left - right
    zero = left + (plot_w / 2 if negatives and positives else plot_w if negatives else 0)
    half = plot_w / 2 if negatives and positives else plot_w
    scale = half / max(values)
    heights = [len(bars) * bar_h + gap for _, bars in rows]
    height = sum(heights) + 10
    parts = [f'<svg viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{esc(aria)}">']
    parts.append(f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="0" y2="{height:.1f}" class="zero-axis"/>')
    y = 5.0
    for index, ((label, bars), row_h) in enumerate(zip(rows, heights, strict=True)):
        fmt = row_formats[index] if row_formats else value_format
        parts.append(text(0, y + len(bars) * bar_h / 2 + 4, label, class_="row-label small"))
        for i, (key, value, what, colour) in enumerate(bars):
            bar_y = y + i * bar_h
            v = number(value)
            bar_w = abs(v) * scale
            x = zero - bar_w if v < 0 else zero
            parts.append(
                mark(
                    "rect",
                    key,
                    value,
                    f"{label}, {what}: {fmt(value)}{unit}",
                    x=f"{x:.1f}",
                    y=f"{bar_y:.1f}",
                    width=f"{max(bar_w, 1.0):.1f}",
                    height=f"{bar_h - 2:.1f}",
                    fill=colour,
                    class_="bar",
                )
            )
            label_x, anchor = (x - 4, "end") if v < 0 else (x + max(bar_w, 1.0) + 4, "start")
            parts.append(text(label_x, bar_y + bar_h - 4, fmt(value), class_="value small", text_anchor=anchor))
        y += row_h
    parts.append("</svg>")
    return "".join(parts)


BALANCE_COLOURS = {
    "total_assets": "#243b53",
    "total_liabilities": "#c65d21",
    "total_shareholders_equity": "#0e7c6b",
    "noncontrolling_interests_implied": "#e9b949",
}


def balance_sheet_chart(dates: Sequence[dict[str, Any]]) -> str:
    """Per balance-sheet date: total assets beside what finances them (liabilities, the company's shareholders'
    equity and the noncontrolling interests the summary implies), with the equity ratio and ROE."""
    width, height, top, bottom, left = 1000.0, 300.0, 28.0, 40.0, 60.0
    plot_h = height - top - bottom
    maximum = max([number(d["total_assets"]) for d in dates] + [1.0])
    step, steps = axis(maximum / 1000)
    scale = plot_h / (step * steps * 1000)
    parts = [f'<svg viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="Balance sheet by date">']
    for tick in range(steps + 1):
        y = top + plot_h - plot_h * tick / steps
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(text(left - 6, y + 4, f"{round(step * tick, 6):,g}", class_="tick", text_anchor="end"))
    slot = (width - left - 10) / max(len(dates), 1)
    for i, date in enumerate(dates):
        x0 = left + slot * i + slot * 0.12
        bar_w = slot * 0.22
        when = str(date["as_of_date"])
        stacks = (
            (x0, ("total_assets",)),
            (x0 + bar_w + 8, ("total_liabilities", "total_shareholders_equity", "noncontrolling_interests_implied")),
        )
        for x, keys in stacks:
            base = top + plot_h
            for key in keys:
                value = date.get(key)
                h = abs(number(value)) * scale
                parts.append(
                    mark(
                        "rect",
                        f"{key}|{when}",
                        value,
                        f"{when} {BALANCE_LABELS[key]}: {millions(value)} JPY million",
                        x=f"{x:.1f}",
                        y=f"{base - h:.1f}",
                        width=f"{bar_w:.1f}",
                        height=f"{max(h, 1.0):.1f}",
                        fill=BALANCE_COLOURS[key],
                        class_="bar",
                    )
                )
                base -= h
        parts.append(text(x0 + bar_w + 4, top + plot_h + 16, when, class_="tick year", text_anchor="middle"))
        info_x = x0 + 2 * bar_w + 20
        for j, (key, label) in enumerate((("equity_ratio", "equity ratio"), ("roe", "ROE"))):
            value = date.get(key)
            parts.append(
                mark(
                    "text",
                    f"{key}|{when}",
                    value,
                    f"{when} {label}: {deck_percent(value)}",
                    content=f"{label} {deck_percent(value)}",
                    x=f"{info_x:.1f}",
                    y=f"{top + 20 + j * 18:.1f}",
                    class_="value small",
                )
            )
    parts.append("</svg>")
    legend = " ".join(
        f'<span class="swatch" style="background:{colour}"></span>{esc(BALANCE_LABELS[key])}'
        for key, colour in BALANCE_COLOURS.items()
    )
    return "".join(parts) + f'<p class="legend">JPY billion (axis). {legend}</p>'


BALANCE_LABELS = {
    "total_assets": "Total assets",
    "total_liabilities": "Total liabilities",
    "total_shareholders_equity": "Shareholders' equity (the company's)",
    "noncontrolling_interests_implied": "Noncontrolling interests (implied)",
}


def cash_flow_chart(lines: Sequence[dict[str, Any]]) -> str:
    """Each cash-flow line of the latest fiscal year beside the prior year it implies (amount less the printed
    YoY change), around zero: outflows to the left."""
    rows = []
    for line in lines:
        year = fy_label(str(line["fiscal_period_id"]).rsplit(":", 1)[-1])
        rows.append(
            (
                line["line_item_label"],
                (
                    (f"prior|{line['cash_flow_line_id']}", line["prior_year_amount_implied"], "prior year", "#9fb3c8"),
                    (f"amount|{line['cash_flow_line_id']}", line["amount"], year, "#243b53"),
                ),
            )
        )
    legend = (
        '<p class="legend"><span class="swatch" style="background:#9fb3c8"></span>prior year, implied (amount less '
        'the printed YoY change) <span class="swatch" style="background:#243b53"></span>the year (JPY million; '
        "outflows negative, to the left)</p>"
    )
    return hbars(rows, "Cash flows by line") + legend


def kpi_chart(kpis: Sequence[dict[str, Any]]) -> str:
    """The YoY growth the document prints for its KPIs (subscriptions, revenue breakdowns, ...)."""
    rows = [
        (
            f"{kpi['kpi_label']} ({kpi['period_code']}{'' if kpi['scenario'] == 'actual' else ', ' + kpi['scenario']})",
            ((f"yoy|{kpi['kpi_fact_id']}", kpi["yoy_growth_reported"], "YoY as printed", "#0e7c6b"),),
        )
        for kpi in kpis
        if kpi["yoy_growth_reported"] is not None
    ]
    if not rows:
        return '<p class="note">The document prints no YoY growth for its KPIs.</p>'
    growth = lambda value: deck_percent(value, signed=True)  # noqa: E731
    return hbars(rows, "KPI growth as printed", value_format=growth, unit=" YoY") + (
        '<p class="legend">YoY growth as printed; the table lists every KPI with its value.</p>'
    )


def restatement_chart(restatements: Sequence[dict[str, Any]]) -> str:
    """Each restated figure's difference, later printing less earlier, around zero (a change of accounting
    standard in another colour: a comparability break, not a correction)."""
    rows = [
        (
            f"{r['line_item_id']} {r['period_code']} ({r['basis']})",
            (
                (
                    f"difference|{r['restatement_id']}",
                    r["difference"],
                    f"{r['earlier_document_id']} {millions(r['earlier_value'])} -> {r['later_document_id']} "
                    f"{millions(r['later_value'])}, difference",
                    "#c65d21" if r["is_standard_change"] else "#243b53",
                ),
            ),
        )
        for r in restatements
    ]
    legend = (
        '<p class="legend">Later printing less earlier printing (base units). '
        '<span class="swatch" style="background:#243b53"></span>same accounting standard '
        '<span class="swatch" style="background:#c65d21"></span>with a change of accounting standard</p>'
    )
    signed = [
        (lambda v: deck_percent(v, signed=True))
        if r["base_unit_id"] == "fraction"
        else (lambda v: amount(v, signed=True))
        for r in restatements
    ]
    return hbars(rows, "Restated figures", unit="", row_formats=signed) + legend
