"""Synthetic results documents: N companies x Q quarters, in the shape of seeds/reported_figures.csv.

Usage (from the project directory):

    python -m kessan synthetic --companies N --quarters Q --seed S [--break K] --out DIR [--csv]

Each company publishes one results document per fiscal year (Q / 4 of them), printed the way IIJ's is
(seeds/reported_figures.csv): a summary slide in JPY billion with YoY %, quarterly revenue, cost, SG&A and
the net income bridge in JPY million, segment gross margins, the SI gross margin ratio and its change in
points, the balance sheet at the year end with its changes, the cash-flow lines, subscriptions in
thousands and millions, cloud revenue shares, and next year's targets (year and first half, values, YoY %
and change, % of revenues). `printed_value` is text as printed: thousands separators, parentheses for
negatives, signs on changes, '%' on percentages, '-' for an unchanged figure.

Every printed figure is rounded on its own from unrounded underlying values, as a company does, so every
identity of seeds/identities.csv holds within the document's rounding. A printed ratio is left out of a
document when it sits on the knife edge of the engine's first-order rounding propagation (docs/decisions.md
D19): its unrounded value within 2% of a rounding half-point, or its denominator smaller than 2,000
rounding units. Fiscal years end in March, December, June or September, named by their start or end.

`--break K` breaks K companies on purpose: one guarded figure each, moved by 20 to 200 units of its last
printed digit. Each break is a row of DIR/breaks.csv (company_id, figure_id, seed_line, original, broken).

DIR receives reported_figures.parquet, companies.parquet, source_documents.parquet, slides.parquet,
reconciliation_exceptions.parquet (empty) and breaks.csv; `--csv` writes reported_figures.csv too (the
same rows in the same order: `seed_line` of a figure is its line in that CSV). Point dbt at DIR with
`--vars '{external_dir: DIR}'` (see macros/external_or_seed.sql).

The same arguments always give the same files.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

FIRST_FISCAL_YEARS = (2010, 2015)  # a company's first printed fiscal year, drawn from this range
YEAR_END_MONTHS = (3, 12, 6, 9)
EDGE = 0.02  # a ratio within this fraction of a rounding unit of the half-point is not printed
MIN_DENOMINATOR_UNITS = 2000  # a ratio is printed only over a denominator of at least this many rounding units

# Period kinds of a row: the fiscal year, its quarters, next year's target (year, first half), the year end.
FY, Q1, Q2, Q3, Q4, NEXT_FY, NEXT_H1, YEAR_END = range(8)
# How the number is printed: plain (a value), paren (negatives in parentheses), signed (+x / -x),
# change (+x, (x) and '-' for nil: a JPY million change).
PLAIN, PAREN, SIGNED, CHANGE = "plain", "paren", "signed", "change"
UNIT_DIVISOR = {
    "jpy_million": 1.0,
    "jpy_billion": 1000.0,
    "percent": 0.01,
    "percentage_points": 0.01,
    "count": 1.0,
    "thousand": 1000.0,
    "million": 1_000_000.0,
    "jpy": 1.0,
}
SLIDES = {
    "I": "Summary of Financial Results",
    "III-2": "Revenues",
    "III-3": "Cost of Revenues & Gross Margin Ratio",
    "III-5": "Systems Integration",
    "III-7": "SG&A Expenses",
    "III-8": "Operating Income & Net Income",
    "III-9": "Consolidated Balance Sheets (Summary)",
    "III-10": "Consolidated Cash Flows",
    "IV-2": "Mobile Business",
    "IV-4": "Financial Target",
}
# Figures a break may hit: each is in a sum identity (quarters to the year, gross margin, the equity
# components, the net income bridge ...), so a wrong one always fails a check naming it.
BREAKABLE = (
    ("III-2", "revenue", Q2),
    ("III-3", "cost_of_revenue", Q3),
    ("III-3", "gross_margin", FY),
    ("III-7", "sga_rd", Q1),
    ("III-8", "current_income_tax", Q4),
    ("III-9", "retained_earnings", YEAR_END),
    ("III-9", "total_shareholders_equity", YEAR_END),
    ("IV-4", "operating_income", NEXT_FY),
)


@dataclass
class Row:
    """One printed figure of every document: where and how it is printed, and its unrounded value."""

    slide: str
    line_item: str
    period: int
    basis: str
    unit: str
    decimals: int
    style: str
    value: np.ndarray  # (companies, years) in base units: JPY million, fraction, count, JPY
    scenario: str = "actual"
    denominator: np.ndarray | None = None  # a ratio's denominator (base units), for the knife-edge rule
    denominator_half_unit: float = 0.5


class Draws:
    """The random draws of N companies' (Y + 1) years, in the one order the same seed must repeat."""

    def __init__(self, companies: int, years: int, rng: np.random.Generator) -> None:
        self.n, self.y, self.rng = companies, years + 1, rng  # year 0: the year before the first printed one

    def noise(self, *shape: int, scale: float = 1.0) -> np.ndarray:
        return self.rng.normal(0.0, scale, size=shape)

    def per_company(self, low: float, high: float) -> np.ndarray:
        return self.rng.uniform(low, high, size=(self.n, 1))

    def per_year(self, low: float, high: float) -> np.ndarray:
        return self.rng.uniform(low, high, size=(self.n, self.y))


def draw_income(d: Draws) -> dict[str, np.ndarray]:
    """Quarterly and yearly income-statement lines, segments and D&A (JPY million, unrounded)."""
    n, y, noise, per_company = d.n, d.y, d.noise, d.per_company
    base = np.exp(d.rng.uniform(np.log(8_000), np.log(120_000), size=(n, 1)))  # quarterly revenue, JPY million
    growth = d.rng.normal(0.05, 0.05, size=(n, 1))
    trend = base * np.cumprod(1 + growth + noise(n, y, scale=0.04), axis=1)
    season = d.rng.uniform(0.9, 1.1, size=(n, 1, 4))
    revenue_q = trend[:, :, None] * season * (1 + noise(n, y, 4, scale=0.03))
    cost_q = revenue_q * per_company(0.6, 0.8)[:, :, None] * (1 + noise(n, y, 4, scale=0.02))
    sga_q = revenue_q * per_company(0.05, 0.15)[:, :, None] * (1 + noise(n, y, 4, scale=0.04))
    oi_q = revenue_q - cost_q - sga_q
    current_tax_q = np.maximum(oi_q, 0) * 0.3 * (1 + noise(n, y, 4, scale=0.2))
    deferred_tax_q = oi_q * 0.05 * noise(n, y, 4)
    equity_method_q = base[:, :, None] * 0.002 * (1 + noise(n, y, 4))
    less_nci_q = -np.abs(base[:, :, None] * 0.001 * (1 + noise(n, y, 4, scale=0.3)))

    revenue, cost, sga = revenue_q.sum(2), cost_q.sum(2), sga_q.sum(2)
    gross_margin, oi = revenue - cost, revenue - cost - sga
    pretax = oi + revenue * 0.01 * noise(n, y)
    ni_attr = pretax - current_tax_q.sum(2) - deferred_tax_q.sum(2) + equity_method_q.sum(2) + less_nci_q.sum(2)
    da = revenue * per_company(0.04, 0.1) * (1 + noise(n, y, scale=0.05))
    gain_afs = revenue * 0.005 * d.per_year(0, 1)
    dividends_paid = -np.maximum(ni_attr, 0) * per_company(0.1, 0.4)
    gm_nw = gross_margin * per_company(0.5, 0.7) * (1 + noise(n, y, scale=0.05))
    si_revenue = revenue * per_company(0.2, 0.5) * (1 + noise(n, y, scale=0.05))
    gm_si = si_revenue * per_company(0.08, 0.2) * (1 + noise(n, y, scale=0.05))
    si_construction = si_revenue * per_company(0.2, 0.4) * (1 + noise(n, y, scale=0.1))
    return {
        "base": base, "revenue_q": revenue_q, "cost_q": cost_q, "sga_q": sga_q, "current_tax_q": current_tax_q,
        "deferred_tax_q": deferred_tax_q, "equity_method_q": equity_method_q, "less_nci_q": less_nci_q,
        "revenue": revenue, "cost": cost, "sga": sga, "gross_margin": gross_margin, "oi": oi, "pretax": pretax,
        "ni_attr": ni_attr, "nci": -less_nci_q.sum(2), "da": da, "gain_afs": gain_afs,
        "dividends_paid": dividends_paid, "gm_nw": gm_nw, "si_revenue": si_revenue, "gm_si": gm_si,
        "cost_si": si_revenue - gm_si, "si_construction": si_construction, "si_operation": si_revenue - si_construction,
    }  # fmt: skip


def draw_balance_sheet(d: Draws, base: np.ndarray, ni_attr: np.ndarray, dividends_paid: np.ndarray) -> dict:
    """The balance sheet at each year end (year 0: the end of the year before the first printed one), and ROE."""
    n, y, noise, per_company = d.n, d.y, d.noise, d.per_company
    common_stock = base * per_company(0.2, 0.6) * np.cumprod(1 + np.abs(noise(n, y, scale=0.002)), axis=1)
    apic = base * per_company(0.3, 0.8) * np.cumprod(1 + np.abs(noise(n, y, scale=0.003)), axis=1)
    retained = base * per_company(0.1, 1.0) + np.cumsum(ni_attr + dividends_paid, axis=1)
    aoci = base * np.cumsum(noise(n, y, scale=0.02), axis=1)
    treasury = -base * per_company(0.0, 0.05) * np.ones((1, y))
    equity = common_stock + apic + retained + aoci + treasury
    total_assets = np.abs(equity) / (per_company(0.3, 0.6) * (1 + noise(n, y, scale=0.03)))
    total_liabilities = total_assets - equity - base * per_company(0.0, 0.02)
    return {
        "cash_and_cash_equivalents": total_assets * d.per_year(0.08, 0.2),
        "total_assets": total_assets,
        "total_liabilities": total_liabilities,
        "common_stock": common_stock,
        "additional_paid_in_capital": apic,
        "retained_earnings": retained,
        "accumulated_other_comprehensive_income": aoci,
        "treasury_stock": treasury,
        "total_shareholders_equity": equity,
    }


def draw_kpis_and_targets(d: Draws, base: np.ndarray, revenue: np.ndarray) -> dict[str, np.ndarray]:
    """Subscriptions and the cloud share (KPIs), then next year's targets as set at each year end."""
    per_company = d.per_company
    drawn = {
        "subs_enterprise": base * per_company(20, 60) * np.cumprod(1 + d.per_year(0, 0.2), axis=1),
        "subs_consumer": base * per_company(20, 60) * np.cumprod(1 + d.per_year(0, 0.2), axis=1),
        "cloud_share_si": d.per_year(0.7, 0.95),
    }
    target_revenue = revenue * (1 + d.rng.normal(0.05, 0.03, size=(d.n, d.y)))
    target_cost = target_revenue * per_company(0.6, 0.85)
    target_sga = target_revenue * per_company(0.05, 0.2)
    h1 = d.per_year(0.46, 0.5)
    h1_revenue, h1_cost, h1_sga = target_revenue * h1, target_cost * h1 * 1.01, target_sga * h1
    drawn["targets"] = {  # line: (next year's target, this year's actual key, next year's first half)
        "revenue": (target_revenue, "revenue", h1_revenue),
        "cost_of_revenue": (target_cost, "cost", h1_cost),
        "gross_margin": (target_revenue - target_cost, "gross_margin", h1_revenue - h1_cost),
        "sga_rd": (target_sga, "sga", h1_sga),
        "operating_income": (target_revenue - target_cost - target_sga, "oi", h1_revenue - h1_cost - h1_sga),
    }
    return drawn


def cur(a: np.ndarray) -> np.ndarray:
    """The printed years of a (companies, years + 1) array."""
    return a[:, 1:]


def prior(a: np.ndarray) -> np.ndarray:
    """The year before each printed year."""
    return a[:, :-1]


class Document:
    """The rows of every document, as the slide functions add them."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, slide: str, line: str, period: int, basis: str, unit: str, decimals: int, style: str, value, **kw):
        self.rows.append(Row(slide, line, period, basis, unit, decimals, style, value, **kw))

    def yoy_pct(self, slide: str, line: str, period: int, current: np.ndarray, base_value: np.ndarray, **kw) -> None:
        growth = current / base_value - 1
        self.add(slide, line, period, "yoy_pct", "percent", 1, SIGNED, growth, denominator=base_value, **kw)


def summary_slide(doc: Document, v: dict, equity: np.ndarray, dividend_per_share: np.ndarray) -> None:
    """Slide I: the year's headline figures in JPY billion with YoY %, ROE and the dividend."""
    summary = {
        "revenue": v["revenue"],
        "gross_margin": v["gross_margin"],
        "operating_income": v["oi"],
        "income_before_income_tax": v["pretax"],
        "net_income_attributable": v["ni_attr"],
        "adjusted_ebitda": v["oi"] + v["da"],
    }
    for line, values in summary.items():
        doc.add("I", line, FY, "value", "jpy_billion", 1, PLAIN, cur(values))
        doc.yoy_pct("I", line, FY, cur(values), prior(values))
    roe = v["ni_attr"][:, 1:] / ((equity[:, :-1] + equity[:, 1:]) / 2)
    doc.add("I", "roe", FY, "value", "percent", 1, PLAIN, roe, denominator=(prior(equity) + cur(equity)) / 2)
    doc.add("I", "dividend_per_share", FY, "value", "jpy", 2, PLAIN, dividend_per_share)


def revenue_and_margin_slides(doc: Document, v: dict) -> None:
    """Slides III-2, III-3 and III-5: revenue and cost by quarter, gross margins by segment, the SI segment."""
    revenue_q, cost_q = v["revenue_q"], v["cost_q"]
    doc.add("III-2", "revenue", FY, "value", "jpy_million", 0, PLAIN, cur(v["revenue"]))
    for q in range(4):
        doc.add("III-2", "revenue", Q1 + q, "value", "jpy_million", 0, PLAIN, revenue_q[:, 1:, q])
        doc.yoy_pct("III-2", "revenue", Q1 + q, revenue_q[:, 1:, q], revenue_q[:, :-1, q])

    gross_margin, revenue, gm_nw = v["gross_margin"], v["revenue"], v["gm_nw"]
    gm_si, si_revenue = v["gm_si"], v["si_revenue"]
    doc.add("III-3", "cost_of_revenue", FY, "value", "jpy_million", 0, PLAIN, cur(v["cost"]))
    for q in range(4):
        doc.add("III-3", "cost_of_revenue", Q1 + q, "value", "jpy_million", 0, PLAIN, cost_q[:, 1:, q])
    doc.add("III-3", "gross_margin", FY, "value", "jpy_million", 0, PLAIN, cur(gross_margin))
    doc.yoy_pct("III-3", "gross_margin", FY, cur(gross_margin), prior(gross_margin))
    doc.add(
        "III-3", "gross_margin", FY, "pct_of_revenue", "percent", 1, PLAIN, cur(gross_margin / revenue),
        denominator=cur(revenue),
    )  # fmt: skip
    doc.add("III-3", "gross_margin_nw", FY, "value", "jpy_million", 0, PLAIN, cur(gm_nw))
    doc.yoy_pct("III-3", "gross_margin_nw", FY, cur(gm_nw), prior(gm_nw))
    doc.add("III-3", "gross_margin_si", FY, "value", "jpy_million", 0, PLAIN, cur(gm_si))
    si_ratio = gm_si / si_revenue
    doc.add(
        "III-3", "gross_margin_ratio_si", FY, "value", "percent", 1, PLAIN, cur(si_ratio),
        denominator=cur(si_revenue), denominator_half_unit=1.0,
    )  # fmt: skip
    doc.add(
        "III-3", "gross_margin_ratio_si", FY, "yoy_change", "percentage_points", 1, SIGNED,
        cur(si_ratio) - prior(si_ratio),
        denominator=np.minimum(cur(si_revenue), prior(si_revenue)), denominator_half_unit=1.0,
    )  # fmt: skip

    cost_si, si_construction, si_operation = v["cost_si"], v["si_construction"], v["si_operation"]
    doc.add("III-5", "cost_si", FY, "value", "jpy_million", 0, PLAIN, cur(cost_si))
    doc.add("III-5", "cost_si", FY, "yoy_change", "jpy_million", 0, CHANGE, cur(cost_si) - prior(cost_si))
    doc.add(
        "III-5", "revenue_si_construction", FY, "yoy_change", "jpy_million", 0, CHANGE,
        cur(si_construction) - prior(si_construction),
    )  # fmt: skip
    doc.add(
        "III-5", "revenue_si_operation", FY, "yoy_change", "jpy_million", 0, CHANGE,
        cur(si_operation) - prior(si_operation),
    )  # fmt: skip
    cloud_share_si = v["cloud_share_si"]
    doc.add("III-5", "cloud_revenue_share_si_operation", Q4, "value", "percent", 1, PLAIN, cur(cloud_share_si))
    doc.add("III-5", "cloud_revenue_share_outsourcing", Q4, "value", "percent", 1, PLAIN, 1 - cur(cloud_share_si))


def expenses_and_income_slides(doc: Document, v: dict) -> None:
    """Slides III-7 and III-8: SG&A by quarter, and the bridge from operating income to net income."""
    sga, sga_q, revenue_q = v["sga"], v["sga_q"], v["revenue_q"]
    doc.add("III-7", "sga_rd", FY, "value", "jpy_million", 0, PLAIN, cur(sga))
    doc.yoy_pct("III-7", "sga_rd", FY, cur(sga), prior(sga))
    for q in range(4):
        doc.add("III-7", "sga_rd", Q1 + q, "value", "jpy_million", 0, PLAIN, sga_q[:, 1:, q])
        doc.add(
            "III-7", "sga_rd", Q1 + q, "pct_of_revenue", "percent", 1, PLAIN, sga_q[:, 1:, q] / revenue_q[:, 1:, q],
            denominator=revenue_q[:, 1:, q],
        )  # fmt: skip

    pretax = v["pretax"]
    doc.add("III-8", "operating_income", FY, "value", "jpy_million", 0, PAREN, cur(v["oi"]))
    doc.add("III-8", "income_before_income_tax", FY, "value", "jpy_million", 0, PAREN, cur(pretax))
    doc.add(
        "III-8", "income_before_income_tax", FY, "yoy_change", "jpy_million", 0, CHANGE, cur(pretax) - prior(pretax)
    )
    doc.add("III-8", "net_income_attributable", FY, "value", "jpy_million", 0, PAREN, cur(v["ni_attr"]))
    doc.add("III-8", "net_income_noncontrolling", FY, "value", "jpy_million", 0, PAREN, cur(v["nci"]))
    doc.add(
        "III-8", "gain_on_sales_available_for_sale_securities", FY, "value", "jpy_million", 0, PAREN,
        cur(v["gain_afs"]),
    )  # fmt: skip
    quarterly_bridge = {
        "current_income_tax": v["current_tax_q"],
        "deferred_income_tax": v["deferred_tax_q"],
        "equity_method_income": v["equity_method_q"],
        "less_net_income_noncontrolling": v["less_nci_q"],
    }
    for line, values in quarterly_bridge.items():
        for q in range(4):
            doc.add("III-8", line, Q1 + q, "value", "jpy_million", 0, PAREN, values[:, 1:, q])


def balance_sheet_and_cash_flow_slides(doc: Document, v: dict, balance_sheet: dict[str, np.ndarray]) -> None:
    """Slides III-9 and III-10: the balance sheet at the year end with its changes, and the cash-flow lines."""
    for line, values in balance_sheet.items():
        doc.add("III-9", line, YEAR_END, "value", "jpy_million", 0, PAREN, cur(values))
        doc.add("III-9", line, YEAR_END, "yoy_change", "jpy_million", 0, CHANGE, cur(values) - prior(values))
    equity, total_assets = balance_sheet["total_shareholders_equity"], balance_sheet["total_assets"]
    doc.add(
        "III-9", "equity_ratio", YEAR_END, "value", "percent", 1, PLAIN, cur(equity / total_assets),
        denominator=cur(total_assets),
    )  # fmt: skip

    ni_including_nci = cur(v["ni_attr"] + v["nci"])
    doc.add("III-10", "net_income_including_noncontrolling", FY, "value", "jpy_million", 0, PAREN, ni_including_nci)
    doc.add("III-10", "depreciation_and_amortization", FY, "value", "jpy_million", 0, PAREN, cur(v["da"]))
    doc.add("III-10", "cf_gain_on_sales_other_investments", FY, "value", "jpy_million", 0, PAREN, -cur(v["gain_afs"]))
    doc.add("III-10", "dividends_paid", FY, "value", "jpy_million", 0, PAREN, cur(v["dividends_paid"]))


def subscription_and_target_slides(doc: Document, v: dict, kpis: dict) -> None:
    """Slides IV-2 (subscriptions, in thousands and millions) and IV-4 (next year's and first half's targets)."""
    enterprise, consumer = kpis["subs_enterprise"], kpis["subs_consumer"]
    doc.add("IV-2", "mobile_subscriptions_enterprise", YEAR_END, "value", "thousand", 0, PLAIN, cur(enterprise))
    doc.yoy_pct(
        "IV-2", "mobile_subscriptions_enterprise", YEAR_END, cur(enterprise), prior(enterprise),
        denominator_half_unit=500.0,
    )  # fmt: skip
    doc.add("IV-2", "mobile_subscriptions_consumer", YEAR_END, "value", "thousand", 0, PLAIN, cur(consumer))
    doc.add("IV-2", "mobile_subscriptions", YEAR_END, "value", "million", 1, PLAIN, cur(enterprise + consumer))
    # Its YoY % is checked against the segments' levels (identity mobile_subscriptions_growth): their sum's precision.
    doc.yoy_pct(
        "IV-2", "mobile_subscriptions", YEAR_END, cur(enterprise + consumer), prior(enterprise + consumer),
        denominator_half_unit=1000.0,
    )  # fmt: skip

    target_revenue, _, h1_revenue = kpis["targets"]["revenue"]
    plan = {"scenario": "target"}
    for line, (target, actual_key, first_half) in kpis["targets"].items():
        actual = v[actual_key]
        doc.add("IV-4", line, NEXT_FY, "value", "jpy_billion", 1, PLAIN, cur(target), **plan)
        doc.add("IV-4", line, NEXT_H1, "value", "jpy_billion", 1, PLAIN, cur(first_half), **plan)
        doc.yoy_pct("IV-4", line, NEXT_FY, cur(target), cur(actual), **plan)
        doc.add("IV-4", line, NEXT_FY, "yoy_change", "jpy_billion", 1, SIGNED, cur(target) - cur(actual), **plan)
        if line != "revenue":
            for period, values, total in ((NEXT_FY, target, target_revenue), (NEXT_H1, first_half, h1_revenue)):
                doc.add(
                    "IV-4", line, period, "pct_of_revenue", "percent", 1, PLAIN, cur(values / total),
                    denominator=cur(total), denominator_half_unit=50.0, **plan,
                )  # fmt: skip


def generate_values(companies: int, years: int, rng: np.random.Generator) -> list[Row]:
    """The rows of every document, with unrounded values for each company and printed year."""
    draws = Draws(companies, years, rng)
    income = draw_income(draws)
    balance_sheet = draw_balance_sheet(draws, income["base"], income["ni_attr"], income["dividends_paid"])
    kpis = draw_kpis_and_targets(draws, income["base"], income["revenue"])
    income["cloud_share_si"] = kpis["cloud_share_si"]
    doc = Document()
    # The dividend is drawn after everything else, as it always was (the same seed gives the same files).
    dividend_per_share = np.round(draws.per_company(5, 60) * np.ones((1, years)))
    summary_slide(doc, income, balance_sheet["total_shareholders_equity"], dividend_per_share)
    revenue_and_margin_slides(doc, income)
    expenses_and_income_slides(doc, income)
    balance_sheet_and_cash_flow_slides(doc, income, balance_sheet)
    subscription_and_target_slides(doc, income, kpis)
    return doc.rows


def rounded(row: Row) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(absolute value in units of the last printed digit, is negative, is printed) of a row, per company and year."""
    printed = row.value / UNIT_DIVISOR[row.unit] * 10**row.decimals
    scaled = np.floor(np.abs(printed) + 0.5)  # half away from zero
    keep = np.isfinite(printed)
    if row.denominator is not None:  # the knife-edge rule (module docstring)
        fraction = np.abs(printed) - np.floor(np.abs(printed))
        keep &= np.abs(fraction - 0.5) >= EDGE
        keep &= row.denominator >= MIN_DENOMINATOR_UNITS * row.denominator_half_unit
        keep &= np.abs(row.value) <= 10
    return scaled.astype(np.int64), (printed < 0) & (scaled > 0), keep


def company_calendars(companies: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Each company's fiscal year end, naming and first year. The first four companies take the four year ends in
    turn (so that even a small benchmark builds several calendars side by side); the others draw theirs."""
    year_end_month = rng.choice(np.array(YEAR_END_MONTHS, dtype=np.int32), size=companies)
    year_end_month[: len(YEAR_END_MONTHS)] = YEAR_END_MONTHS[:companies]
    return {
        "c": np.arange(companies, dtype=np.int32),
        "year_end_month": year_end_month,
        "named_by_start": rng.random(companies) < 0.5,
        "first_year": rng.integers(*FIRST_FISCAL_YEARS, endpoint=True, size=companies).astype(np.int32),
    }


# printed_value from (q = |value| in units of the last digit, neg, decimals, style, unit).
PRINTED_SQL = """
with parts as (
    select *,
        format('{:,}', q // cast(pow(10, decimals) as bigint))
        || case when decimals > 0
            then '.' || lpad(cast(q % cast(pow(10, decimals) as bigint) as varchar), decimals, '0') else '' end
        || case when unit_id = 'percent' then '%' else '' end as number
    from {source}
)
select * exclude (number),
    case
        when style = 'change' and q = 0 then '-'
        when style in ('change', 'paren') and neg then '(' || number || ')'
        when style in ('change', 'signed') then (case when neg then '-' else '+' end) || number
        when neg then '-' || number
        else number
    end as printed_value
from parts
"""


def generate(companies: int, quarters: int, seed: int, breaks: int, out: Path, write_csv: bool = False) -> dict:
    """Write the files of the module docstring to `out`; a summary (row counts, seconds)."""
    if quarters % 4 or quarters <= 0:
        raise ValueError("--quarters must be a positive multiple of 4 (whole fiscal years)")
    if not 0 <= breaks <= companies:
        raise ValueError("--break must be between 0 and --companies")
    started = time.perf_counter()
    years = quarters // 4
    rng = np.random.default_rng(seed)
    calendars = company_calendars(companies, rng)
    rows = generate_values(companies, years, rng)
    figures = long_figures(rows, companies, years)
    broken = break_figures(figures, rows, companies, years, seed, breaks)
    figures, broken_positions = in_document_order(figures, broken, calendars)

    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = true")
    projection = write_figures(con, out, rows, figures, write_csv)
    write_documents(con, out, calendars, years)
    write_breaks(con, out, projection, figures, broken_positions)
    con.close()
    return {
        "companies": companies,
        "quarters": quarters,
        "figures": len(figures["q"]),
        "breaks": breaks,
        "seconds": round(time.perf_counter() - started, 1),
        "out": str(out),
    }


def long_figures(rows: list[Row], companies: int, years: int) -> dict[str, np.ndarray]:
    """The printed figures as long arrays (company, year, row spec, rounded magnitude, sign), the rows the
    knife-edge rule leaves out dropped."""
    # Long arrays: one element per (row, company, year); rows left out by the knife-edge rule dropped.
    company_index = np.broadcast_to(np.arange(companies, dtype=np.int32)[:, None], (companies, years))
    year_index = np.broadcast_to(np.arange(years, dtype=np.int16)[None, :], (companies, years))
    parts = {"c": [], "y": [], "spec": [], "q": [], "neg": []}
    results = [rounded(row) for row in rows]
    # A quarterly ratio is printed for all four quarters of a year or for none (a series printed for three
    # quarters is a missing quarter: tests/assert_no_missing_quarter.sql).
    series: dict[tuple[str, str, str, str], np.ndarray] = {}
    for row, (_, _, keep) in zip(rows, results, strict=True):
        if row.denominator is not None and Q1 <= row.period <= Q4:
            key = (row.slide, row.line_item, row.basis, row.scenario)
            series[key] = series.get(key, keep) & keep
    for spec, row in enumerate(rows):
        q, neg, keep = results[spec]
        if row.denominator is not None and Q1 <= row.period <= Q4:
            keep = series[(row.slide, row.line_item, row.basis, row.scenario)]
        parts["c"].append(company_index[keep])
        parts["y"].append(year_index[keep])
        parts["spec"].append(np.full(int(keep.sum()), spec, dtype=np.int16))
        parts["q"].append(q[keep])
        parts["neg"].append(neg[keep])
    figures = {key: np.concatenate(value) for key, value in parts.items()}
    figures["original_q"], figures["original_neg"] = figures["q"].copy(), figures["neg"].copy()
    return figures


def break_figures(
    figures: dict[str, np.ndarray], rows: list[Row], companies: int, years: int, seed: int, breaks: int
) -> np.ndarray:
    """Move one guarded figure of each of `breaks` companies (in place); the mask of the figures moved."""
    broken = np.zeros(len(figures["q"]), dtype=bool)
    if breaks:
        break_rng = np.random.default_rng([seed, 1])
        specs = {(row.slide, row.line_item, row.period, row.basis): i for i, row in enumerate(rows)}
        targets = np.array([specs[(slide, line, period, "value")] for slide, line, period in BREAKABLE])
        chosen = np.sort(break_rng.choice(companies, size=breaks, replace=False))
        order = np.lexsort((figures["y"], figures["spec"], figures["c"]))  # locate (company, spec, year) rows
        keys = figures["c"][order].astype(np.int64) * 100_000 + figures["spec"][order].astype(np.int64) * 100
        keys += figures["y"][order]
        for company in chosen:
            spec = int(break_rng.choice(targets))
            year = int(break_rng.integers(1, years)) if years > 1 else 0
            key = int(company) * 100_000 + spec * 100 + year
            position = order[np.searchsorted(keys, key)]
            delta = int(break_rng.integers(20, 201)) * (1 if break_rng.random() < 0.5 else -1)
            signed = -figures["q"][position] if figures["neg"][position] else figures["q"][position]
            signed += delta
            figures["q"][position], figures["neg"][position] = abs(signed), signed < 0
            broken[position] = True
    return broken


def in_document_order(
    figures: dict[str, np.ndarray], broken: np.ndarray, calendars: dict[str, np.ndarray]
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The figures document by document, with each company's calendar; the positions of the broken ones."""
    # Document by document (company, year), each in the rows' order: a row's CSV line is its position + 2.
    order = np.lexsort((figures["spec"], figures["y"], figures["c"]))
    figures = {key: value[order] for key, value in figures.items()}
    broken_positions = np.flatnonzero(broken[order])
    figures["month"] = calendars["year_end_month"][figures["c"]].astype(np.int8)
    figures["start"] = calendars["named_by_start"][figures["c"]]
    figures["fiscal_year"] = (calendars["first_year"][figures["c"]] + figures["y"]).astype(np.int16)
    return figures, broken_positions


def write_figures(
    con: duckdb.DuckDBPyConnection, out: Path, rows: list[Row], figures: dict[str, np.ndarray], write_csv: bool
) -> str:
    """reported_figures.parquet (and .csv); the projection from the long arrays to the seed's columns (a query
    with a `{table}` placeholder), which the breaks reuse."""

    def column(attribute: str) -> str:  # a spec's attribute, looked up by index (a projection keeps row order)
        values = [getattr(row, attribute) for row in rows]
        literal = ", ".join(str(v) if isinstance(v, int) else "'" + str(v) + "'" for v in values)
        return f"[{literal}][spec + 1]"

    period_kind = column("period")
    projection = f"""
        select
            c, spec, q, neg, fiscal_year,
            'syn' || lpad(cast(c as varchar), 5, '0') as company_id,
            'syn' || lpad(cast(c as varchar), 5, '0') || '-fy' || fiscal_year || '-results' as document_id,
            {column("slide")} as slide_id,
            {column("line_item")} as line_item_id,
            case {period_kind}
                when {FY} then 'FY' || fiscal_year
                when {NEXT_FY} then 'FY' || (fiscal_year + 1)
                when {NEXT_H1} then 'FY' || (fiscal_year + 1) || '-H1'
                when {YEAR_END} then strftime(last_day(make_date(
                    fiscal_year + case when start and month < 12 then 1 else 0 end, month, 1)), '%Y-%m-%d')
                else 'FY' || fiscal_year || '-Q' || {period_kind}
            end as period,
            {column("scenario")} as scenario,
            {column("basis")} as basis,
            {column("unit")} as unit_id,
            {column("decimals")} as decimals,
            {column("style")} as style
        from {{table}}
    """
    figure_columns = (
        "company_id, document_id, slide_id, line_item_id, period, scenario, basis, printed_value, unit_id, "
        "case when printed_value = '-' then 'nil' end as qualifier, cast(null as varchar) as note"
    )
    con.register(
        "figures_np", {key: figures[key] for key in ("c", "spec", "q", "neg", "month", "start", "fiscal_year")}
    )
    printed = PRINTED_SQL.replace("{source}", "(" + projection.replace("{table}", "figures_np") + ")")
    con.execute(
        f"copy (select {figure_columns} from ({printed})) to '{out / 'reported_figures.parquet'}' "
        "(format parquet, row_group_size 1000000)"
    )
    if write_csv:
        con.execute(f"copy (select {figure_columns} from ({printed})) to '{out / 'reported_figures.csv'}' (header)")
    return projection


def write_documents(con: duckdb.DuckDBPyConnection, out: Path, calendars: dict[str, np.ndarray], years: int) -> None:
    """Companies, documents (one per company and year), the slides every document has, and no exceptions."""
    con.register("calendars_np", calendars)
    con.execute(
        f"""
        copy (
            select 'syn' || lpad(cast(c as varchar), 5, '0') as company_id,
                'Synthetic Company ' || lpad(cast(c as varchar), 5, '0') || ' Inc.' as company_name,
                'SYN ' || lpad(cast(c as varchar), 5, '0') as tickers, 'JPY' as reporting_currency,
                'US GAAP' as accounting_standard, year_end_month as fiscal_year_end_month,
                case when year_end_month = 12 then 'end' when named_by_start then 'start' else 'end' end
                    as fiscal_year_named_by,
                cast(null as integer) as calendar_changed_in_fiscal_year,
                cast(null as integer) as previous_fiscal_year_end_month,
                cast(null as varchar) as previous_fiscal_year_named_by
            from calendars_np order by c
        ) to '{out / "companies.parquet"}' (format parquet)
        """
    )
    con.execute(
        f"""
        create table documents as
        select
            'syn' || lpad(cast(c as varchar), 5, '0') || '-fy' || (first_year + y) || '-results' as document_id,
            'syn' || lpad(cast(c as varchar), 5, '0') as company_id,
            'Consolidated Financial Results for FY' || (first_year + y) as title,
            cast(last_day(make_date(
                first_year + y + case when named_by_start and year_end_month < 12 then 1 else 0 end,
                year_end_month, 1)) + interval 45 day as date) as published_on,
            first_year + y as covers_fiscal_year,
            'round' as rounding,
            cast(null as varchar) as accounting_standard
        from calendars_np cross join range({years}) as years (y)
        order by c, y
        """
    )
    con.execute(f"copy documents to '{out / 'source_documents.parquet'}' (format parquet)")
    slide_titles = ", ".join(f"('{slide}', '{title}')" for slide, title in SLIDES.items())
    con.execute(
        f"""
        copy (
            select documents.document_id, titles.slide_id, titles.title
            from documents cross join (values {slide_titles}) as titles (slide_id, title)
            order by all
        ) to '{out / "slides.parquet"}' (format parquet)
        """
    )
    con.execute(
        f"""
        copy (
            select cast(null as varchar) as check_id, cast(null as decimal(24, 6)) as documented_residual,
                cast(null as varchar) as reason
            where false
        ) to '{out / "reconciliation_exceptions.parquet"}' (format parquet)
        """
    )


def write_breaks(
    con: duckdb.DuckDBPyConnection, out: Path, projection: str, figures: dict[str, np.ndarray], broken: np.ndarray
) -> None:
    """breaks.csv: each broken figure with its seed line, original and broken printing."""
    subset = {key: figures[key][broken] for key in ("c", "spec", "q", "neg", "month", "start", "fiscal_year")}
    subset["seed_line"] = broken + 2
    original = {
        **subset,
        "q": figures["original_q"][broken],
        "neg": figures["original_neg"][broken],
    }
    con.register("broken_np", subset)
    con.register("original_np", original)

    def printed_subset(table: str) -> str:
        inner = projection.replace("{table}", table).replace("select", "select seed_line,", 1)
        return PRINTED_SQL.replace("{source}", "(" + inner + ")")

    con.execute(
        f"""
        copy (
            select now.company_id,
                now.company_id || ':' || now.period || ':' || now.line_item_id || ':' || now.scenario
                || ':' || now.basis || '@' || now.document_id || '/' || now.slide_id as figure_id,
                now.seed_line, before.printed_value as original, now.printed_value as broken
            from ({printed_subset("broken_np")}) as now
            inner join ({printed_subset("original_np")}) as before on now.seed_line = before.seed_line
            order by now.company_id
        ) to '{out / "breaks.csv"}' (header)
        """
    )


# The files holding a document's rows, and the folder hold_back moves one document's rows to.
DOCUMENT_FILES = ("reported_figures", "source_documents", "slides")
NEXT_DOCUMENT = "next_document"


def rewrite_parquet(con: duckdb.DuckDBPyConnection, path: Path, query: str) -> None:
    """Replace a Parquet file with a query's rows (which may read the file), through a temporary file."""
    temporary = path.with_name(path.name + ".tmp")
    con.execute(f"copy ({query}) to '{temporary}' (format parquet)")
    temporary.replace(path)


def hold_back(directory: Path) -> str:
    """Take the last document of the last unbroken company (when every company is broken, the last document
    without a broken figure) out of DIR's files into DIR/next_document/, so that DIR is the inputs before that
    document arrived and append_held_back(DIR) its arrival (the bench's row "one more document"); the company's
    id. The other rows keep their order; the files are in company order, so only the rows of the companies after
    it (broken ones, if any) move up: breaks.csv's seed lines of those are the lines of the files as generated."""
    held = directory / NEXT_DOCUMENT
    held.mkdir()
    with duckdb.connect() as con:
        (document_id, company_id) = con.execute(
            f"""
            with breaks as (select * from read_csv('{directory / "breaks.csv"}', all_varchar = true))
            select document_id, company_id
            from read_parquet('{directory / "source_documents.parquet"}')
            where document_id not in (select split_part(split_part(figure_id, '@', 2), '/', 1) from breaks)
            order by company_id in (select company_id from breaks), company_id desc, published_on desc
            limit 1
            """
        ).fetchone()
        for name in DOCUMENT_FILES:
            source = f"read_parquet('{directory / f'{name}.parquet'}', file_row_number = true)"
            con.execute(
                f"copy (select * exclude (file_row_number) from {source} where document_id = '{document_id}' "
                f"order by file_row_number) to '{held / f'{name}.parquet'}' (format parquet)"
            )
            rewrite_parquet(
                con,
                directory / f"{name}.parquet",
                f"select * exclude (file_row_number) from {source} where document_id <> '{document_id}' "
                "order by file_row_number",
            )
    return company_id


def append_held_back(directory: Path) -> str:
    """Append the document hold_back took out to the end of DIR's files: its company's next document arrives; the
    document's id."""
    held = directory / NEXT_DOCUMENT
    with duckdb.connect() as con:
        (document_id,) = con.execute(f"select document_id from '{held / 'source_documents.parquet'}'").fetchone()
        for name in DOCUMENT_FILES:
            rewrite_parquet(
                con,
                directory / f"{name}.parquet",
                f"select * exclude (file_row_number, part) from ("
                f"select *, 1 as part from read_parquet('{directory / f'{name}.parquet'}', file_row_number = true) "
                f"union all by name select *, 2 as part from read_parquet('{held / f'{name}.parquet'}', "
                "file_row_number = true)) order by part, file_row_number",
            )
    return document_id


def positive_int(text: str) -> int:
    """argparse's type for a count: a positive integer, else a usage error saying so."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kessan synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=positive_int, required=True)
    parser.add_argument("--quarters", type=positive_int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--break", dest="breaks", type=int, default=0, help="companies to break on purpose")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--csv", action="store_true", help="also write reported_figures.csv")
    args = parser.parse_args(argv)
    if args.quarters % 4:  # as generate() checks: a usage error here, not a traceback
        parser.error("argument --quarters: must be a multiple of 4 (whole fiscal years)")
    if not 0 <= args.breaks <= args.companies:
        parser.error("argument --break: must be between 0 and --companies")
    summary = generate(args.companies, args.quarters, args.seed, args.breaks, args.out, args.csv)
    print(
        f"kessan synthetic: {summary['companies']} companies x {summary['quarters']} quarters: "
        f"{summary['figures']:,} figures, {summary['breaks']} broken, in {summary['seconds']} s -> {summary['out']}"
    )
    return 0
