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


def generate_values(companies: int, years: int, rng: np.random.Generator) -> list[Row]:
    """The rows of every document, with unrounded values for each company and printed year."""
    n, y = companies, years + 1  # index 0: the year before the first printed one (bases of its YoY)

    def noise(*shape: int, scale: float = 1.0) -> np.ndarray:
        return rng.normal(0.0, scale, size=shape)

    def per_company(low: float, high: float) -> np.ndarray:
        return rng.uniform(low, high, size=(n, 1))

    base = np.exp(rng.uniform(np.log(8_000), np.log(120_000), size=(n, 1)))  # quarterly revenue, JPY million
    growth = rng.normal(0.05, 0.05, size=(n, 1))
    trend = base * np.cumprod(1 + growth + noise(n, y, scale=0.04), axis=1)
    season = rng.uniform(0.9, 1.1, size=(n, 1, 4))
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
    nci = -less_nci_q.sum(2)
    da = revenue * per_company(0.04, 0.1) * (1 + noise(n, y, scale=0.05))
    gain_afs = revenue * 0.005 * rng.uniform(0, 1, size=(n, y))
    dividends_paid = -np.maximum(ni_attr, 0) * per_company(0.1, 0.4)
    gm_nw = gross_margin * per_company(0.5, 0.7) * (1 + noise(n, y, scale=0.05))
    si_revenue = revenue * per_company(0.2, 0.5) * (1 + noise(n, y, scale=0.05))
    gm_si = si_revenue * per_company(0.08, 0.2) * (1 + noise(n, y, scale=0.05))
    cost_si = si_revenue - gm_si
    si_construction = si_revenue * per_company(0.2, 0.4) * (1 + noise(n, y, scale=0.1))
    si_operation = si_revenue - si_construction

    # Balance sheet at each year end (index 0: the end of the year before the first printed one).
    common_stock = base * per_company(0.2, 0.6) * np.cumprod(1 + np.abs(noise(n, y, scale=0.002)), axis=1)
    apic = base * per_company(0.3, 0.8) * np.cumprod(1 + np.abs(noise(n, y, scale=0.003)), axis=1)
    retained = base * per_company(0.1, 1.0) + np.cumsum(ni_attr + dividends_paid, axis=1)
    aoci = base * np.cumsum(noise(n, y, scale=0.02), axis=1)
    treasury = -base * per_company(0.0, 0.05) * np.ones((1, y))
    equity = common_stock + apic + retained + aoci + treasury
    total_assets = np.abs(equity) / (per_company(0.3, 0.6) * (1 + noise(n, y, scale=0.03)))
    total_liabilities = total_assets - equity - base * per_company(0.0, 0.02)
    cash = total_assets * rng.uniform(0.08, 0.2, size=(n, y))
    roe = ni_attr[:, 1:] / ((equity[:, :-1] + equity[:, 1:]) / 2)

    subs_enterprise = base * per_company(20, 60) * np.cumprod(1 + rng.uniform(0, 0.2, size=(n, y)), axis=1)
    subs_consumer = base * per_company(20, 60) * np.cumprod(1 + rng.uniform(0, 0.2, size=(n, y)), axis=1)
    cloud_share_si = rng.uniform(0.7, 0.95, size=(n, y))

    # Next year's targets, set at each year end.
    target_revenue = revenue * (1 + rng.normal(0.05, 0.03, size=(n, y)))
    target_cost = target_revenue * per_company(0.6, 0.85)
    target_sga = target_revenue * per_company(0.05, 0.2)
    target_gm, target_oi = target_revenue - target_cost, target_revenue - target_cost - target_sga
    h1 = rng.uniform(0.46, 0.5, size=(n, y))
    h1_revenue, h1_cost, h1_sga = target_revenue * h1, target_cost * h1 * 1.01, target_sga * h1
    h1_gm, h1_oi = h1_revenue - h1_cost, h1_revenue - h1_cost - h1_sga

    def cur(a: np.ndarray) -> np.ndarray:  # the printed years
        return a[:, 1:]

    def prior(a: np.ndarray) -> np.ndarray:  # the year before each printed year
        return a[:, :-1]

    def growth_of(current: np.ndarray, base_value: np.ndarray) -> np.ndarray:
        return current / base_value - 1

    rows: list[Row] = []

    def add(slide: str, line: str, period: int, basis: str, unit: str, decimals: int, style: str, value, **kw):
        rows.append(Row(slide, line, period, basis, unit, decimals, style, value, **kw))

    def yoy_pct(slide: str, line: str, period: int, current: np.ndarray, base_value: np.ndarray, **kw) -> None:
        growth = growth_of(current, base_value)
        add(slide, line, period, "yoy_pct", "percent", 1, SIGNED, growth, denominator=base_value, **kw)

    summary = {
        "revenue": revenue,
        "gross_margin": gross_margin,
        "operating_income": oi,
        "income_before_income_tax": pretax,
        "net_income_attributable": ni_attr,
        "adjusted_ebitda": oi + da,
    }
    for line, values in summary.items():
        add("I", line, FY, "value", "jpy_billion", 1, PLAIN, cur(values))
        yoy_pct("I", line, FY, cur(values), prior(values))
    add("I", "roe", FY, "value", "percent", 1, PLAIN, roe, denominator=(prior(equity) + cur(equity)) / 2)
    add("I", "dividend_per_share", FY, "value", "jpy", 2, PLAIN, np.round(per_company(5, 60) * np.ones((1, years))))

    add("III-2", "revenue", FY, "value", "jpy_million", 0, PLAIN, cur(revenue))
    for q in range(4):
        add("III-2", "revenue", Q1 + q, "value", "jpy_million", 0, PLAIN, revenue_q[:, 1:, q])
        yoy_pct("III-2", "revenue", Q1 + q, revenue_q[:, 1:, q], revenue_q[:, :-1, q])

    add("III-3", "cost_of_revenue", FY, "value", "jpy_million", 0, PLAIN, cur(cost))
    for q in range(4):
        add("III-3", "cost_of_revenue", Q1 + q, "value", "jpy_million", 0, PLAIN, cost_q[:, 1:, q])
    add("III-3", "gross_margin", FY, "value", "jpy_million", 0, PLAIN, cur(gross_margin))
    yoy_pct("III-3", "gross_margin", FY, cur(gross_margin), prior(gross_margin))
    add(
        "III-3", "gross_margin", FY, "pct_of_revenue", "percent", 1, PLAIN, cur(gross_margin / revenue),
        denominator=cur(revenue),
    )  # fmt: skip
    add("III-3", "gross_margin_nw", FY, "value", "jpy_million", 0, PLAIN, cur(gm_nw))
    yoy_pct("III-3", "gross_margin_nw", FY, cur(gm_nw), prior(gm_nw))
    add("III-3", "gross_margin_si", FY, "value", "jpy_million", 0, PLAIN, cur(gm_si))
    si_ratio = gm_si / si_revenue
    add(
        "III-3", "gross_margin_ratio_si", FY, "value", "percent", 1, PLAIN, cur(si_ratio),
        denominator=cur(si_revenue), denominator_half_unit=1.0,
    )  # fmt: skip
    add(
        "III-3", "gross_margin_ratio_si", FY, "yoy_change", "percentage_points", 1, SIGNED,
        cur(si_ratio) - prior(si_ratio),
        denominator=np.minimum(cur(si_revenue), prior(si_revenue)), denominator_half_unit=1.0,
    )  # fmt: skip

    add("III-5", "cost_si", FY, "value", "jpy_million", 0, PLAIN, cur(cost_si))
    add("III-5", "cost_si", FY, "yoy_change", "jpy_million", 0, CHANGE, cur(cost_si) - prior(cost_si))
    add(
        "III-5", "revenue_si_construction", FY, "yoy_change", "jpy_million", 0, CHANGE,
        cur(si_construction) - prior(si_construction),
    )  # fmt: skip
    add(
        "III-5", "revenue_si_operation", FY, "yoy_change", "jpy_million", 0, CHANGE,
        cur(si_operation) - prior(si_operation),
    )  # fmt: skip
    add("III-5", "cloud_revenue_share_si_operation", Q4, "value", "percent", 1, PLAIN, cur(cloud_share_si))
    add("III-5", "cloud_revenue_share_outsourcing", Q4, "value", "percent", 1, PLAIN, 1 - cur(cloud_share_si))

    add("III-7", "sga_rd", FY, "value", "jpy_million", 0, PLAIN, cur(sga))
    yoy_pct("III-7", "sga_rd", FY, cur(sga), prior(sga))
    for q in range(4):
        add("III-7", "sga_rd", Q1 + q, "value", "jpy_million", 0, PLAIN, sga_q[:, 1:, q])
        add(
            "III-7", "sga_rd", Q1 + q, "pct_of_revenue", "percent", 1, PLAIN, sga_q[:, 1:, q] / revenue_q[:, 1:, q],
            denominator=revenue_q[:, 1:, q],
        )  # fmt: skip

    add("III-8", "operating_income", FY, "value", "jpy_million", 0, PAREN, cur(oi))
    add("III-8", "income_before_income_tax", FY, "value", "jpy_million", 0, PAREN, cur(pretax))
    add("III-8", "income_before_income_tax", FY, "yoy_change", "jpy_million", 0, CHANGE, cur(pretax) - prior(pretax))
    add("III-8", "net_income_attributable", FY, "value", "jpy_million", 0, PAREN, cur(ni_attr))
    add("III-8", "net_income_noncontrolling", FY, "value", "jpy_million", 0, PAREN, cur(nci))
    add("III-8", "gain_on_sales_available_for_sale_securities", FY, "value", "jpy_million", 0, PAREN, cur(gain_afs))
    quarterly_bridge = {
        "current_income_tax": current_tax_q,
        "deferred_income_tax": deferred_tax_q,
        "equity_method_income": equity_method_q,
        "less_net_income_noncontrolling": less_nci_q,
    }
    for line, values in quarterly_bridge.items():
        for q in range(4):
            add("III-8", line, Q1 + q, "value", "jpy_million", 0, PAREN, values[:, 1:, q])

    balance_sheet = {
        "cash_and_cash_equivalents": cash,
        "total_assets": total_assets,
        "total_liabilities": total_liabilities,
        "common_stock": common_stock,
        "additional_paid_in_capital": apic,
        "retained_earnings": retained,
        "accumulated_other_comprehensive_income": aoci,
        "treasury_stock": treasury,
        "total_shareholders_equity": equity,
    }
    for line, values in balance_sheet.items():
        add("III-9", line, YEAR_END, "value", "jpy_million", 0, PAREN, cur(values))
        add("III-9", line, YEAR_END, "yoy_change", "jpy_million", 0, CHANGE, cur(values) - prior(values))
    add(
        "III-9", "equity_ratio", YEAR_END, "value", "percent", 1, PLAIN, cur(equity / total_assets),
        denominator=cur(total_assets),
    )  # fmt: skip

    add("III-10", "net_income_including_noncontrolling", FY, "value", "jpy_million", 0, PAREN, cur(ni_attr + nci))
    add("III-10", "depreciation_and_amortization", FY, "value", "jpy_million", 0, PAREN, cur(da))
    add("III-10", "cf_gain_on_sales_other_investments", FY, "value", "jpy_million", 0, PAREN, -cur(gain_afs))
    add("III-10", "dividends_paid", FY, "value", "jpy_million", 0, PAREN, cur(dividends_paid))

    add("IV-2", "mobile_subscriptions_enterprise", YEAR_END, "value", "thousand", 0, PLAIN, cur(subs_enterprise))
    yoy_pct(
        "IV-2", "mobile_subscriptions_enterprise", YEAR_END, cur(subs_enterprise), prior(subs_enterprise),
        denominator_half_unit=500.0,
    )  # fmt: skip
    add("IV-2", "mobile_subscriptions_consumer", YEAR_END, "value", "thousand", 0, PLAIN, cur(subs_consumer))
    add("IV-2", "mobile_subscriptions", YEAR_END, "value", "million", 1, PLAIN, cur(subs_enterprise + subs_consumer))
    # Its YoY % is checked against the segments' levels (identity mobile_subscriptions_growth): their sum's precision.
    yoy_pct(
        "IV-2", "mobile_subscriptions", YEAR_END, cur(subs_enterprise + subs_consumer),
        prior(subs_enterprise + subs_consumer), denominator_half_unit=1000.0,
    )  # fmt: skip

    targets = {
        "revenue": (target_revenue, revenue, h1_revenue),
        "cost_of_revenue": (target_cost, cost, h1_cost),
        "gross_margin": (target_gm, gross_margin, h1_gm),
        "sga_rd": (target_sga, sga, h1_sga),
        "operating_income": (target_oi, oi, h1_oi),
    }
    for line, (target, actual, first_half) in targets.items():
        plan = {"scenario": "target"}
        add("IV-4", line, NEXT_FY, "value", "jpy_billion", 1, PLAIN, cur(target), **plan)
        add("IV-4", line, NEXT_H1, "value", "jpy_billion", 1, PLAIN, cur(first_half), **plan)
        yoy_pct("IV-4", line, NEXT_FY, cur(target), cur(actual), **plan)
        add("IV-4", line, NEXT_FY, "yoy_change", "jpy_billion", 1, SIGNED, cur(target) - cur(actual), **plan)
        if line != "revenue":
            for period, values, total in ((NEXT_FY, target, target_revenue), (NEXT_H1, first_half, h1_revenue)):
                add(
                    "IV-4", line, period, "pct_of_revenue", "percent", 1, PLAIN, cur(values / total),
                    denominator=cur(total), denominator_half_unit=50.0, **plan,
                )  # fmt: skip
    return rows


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
    # Document by document (company, year), each in the rows' order: a row's CSV line is its position + 2.
    order = np.lexsort((figures["spec"], figures["y"], figures["c"]))
    figures = {key: value[order] for key, value in figures.items()}
    broken_positions = np.flatnonzero(broken[order])
    figures["month"] = calendars["year_end_month"][figures["c"]].astype(np.int8)
    figures["start"] = calendars["named_by_start"][figures["c"]]
    figures["fiscal_year"] = (calendars["first_year"][figures["c"]] + figures["y"]).astype(np.int16)

    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = true")

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

    # Companies, documents (one per company and year) and the slides every document has.
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

    # The breaks, with the original and the broken printing of each figure.
    subset = {key: figures[key][broken_positions] for key in ("c", "spec", "q", "neg", "month", "start", "fiscal_year")}
    subset["seed_line"] = broken_positions + 2
    original = {
        **subset,
        "q": figures["original_q"][broken_positions],
        "neg": figures["original_neg"][broken_positions],
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
    figure_rows = len(figures["q"])
    con.close()
    return {
        "companies": companies,
        "quarters": quarters,
        "figures": figure_rows,
        "breaks": breaks,
        "seconds": round(time.perf_counter() - started, 1),
        "out": str(out),
    }


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
