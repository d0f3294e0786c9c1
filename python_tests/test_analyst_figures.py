"""The figures an analyst computes from a results deck (issue 14), each read from the pristine build's marts and
compared with the same arithmetic done here on the printed figures of seeds/reported_figures.csv (parsed by this
module, independently of the warehouse's parser): quarterly ratios, QoQ and last twelve months; implied prior
periods with their intervals; other income, taxes, segments and the SI revenue split; balance-sheet remainders,
NCI and ROE; KPIs a year earlier; and the two YoY % the deck prints that its own figures contradict, each a
documented exception with its residual.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

import duckdb
import pytest

from .builds import FIGURES_SEED, PROJECT_DIR, Build

DOCUMENT = "iij-fy2017-results"
SCALE = {"jpy_million": 1, "jpy_billion": 1000, "thousand": 1000, "million": 1_000_000, "count": 1, "percent": 1}


def printed(slide: str, line_item: str, period: str, basis: str = "value", scenario: str = "actual") -> Decimal:
    """A printed figure of the seed in its base unit (JPY million, a count, or a fraction for a percent)."""
    with (PROJECT_DIR / FIGURES_SEED).open(encoding="utf-8") as seed:
        for row in csv.DictReader(seed):
            key = (row["slide_id"], row["line_item_id"], row["period"], row["basis"], row["scenario"])
            if key == (slide, line_item, period, basis, scenario):
                text = row["printed_value"].replace(",", "").replace("+", "")
                negative = text.startswith("(")
                number = Decimal(text.strip("()%")) * (-1 if negative else 1)
                return number / 100 if row["unit_id"] == "percent" else number * SCALE[row["unit_id"]]
    raise KeyError((slide, line_item, period, basis, scenario))


def half_unit(slide: str, line_item: str, period: str, basis: str = "value") -> Decimal:
    """Half a unit of the figure's last printed digit, in its base unit: how far rounding can move it."""
    with (PROJECT_DIR / FIGURES_SEED).open(encoding="utf-8") as seed:
        for row in csv.DictReader(seed):
            if (row["slide_id"], row["line_item_id"], row["period"], row["basis"]) == (slide, line_item, period, basis):
                core = row["printed_value"].strip("()%+").replace(",", "")
                decimals = len(core.split(".")[1]) if "." in core else 0
                unit = Decimal(10) ** -decimals * (Decimal("0.01") if row["unit_id"] == "percent" else 1)
                return unit / 2 * (1 if row["unit_id"] == "percent" else SCALE[row["unit_id"]])
    raise KeyError((slide, line_item, period, basis))


@pytest.fixture(scope="module")
def warehouse(pristine_build: Build) -> Any:
    with duckdb.connect(str(pristine_build.db_path), read_only=True) as connection:
        yield connection


def one(connection: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> Any:
    """The single value of a query."""
    [(value,)] = connection.execute(sql, list(params)).fetchall()
    return value


def close(actual: Any, expected: Decimal | float, tolerance: float = 1e-9) -> bool:
    return actual is not None and abs(float(actual) - float(expected)) <= tolerance


def test_quarterly_lines_carry_ratio_qoq_and_last_twelve_months(warehouse: Any) -> None:
    quarters = [f"FY2017-Q{quarter}" for quarter in (1, 2, 3, 4)]
    revenue = {q: printed("III-2", "revenue", q) for q in quarters}
    cost = {q: printed("III-3", "cost_of_revenue", q) for q in quarters}
    sga = {q: printed("III-7", "sga_rd", q) for q in quarters}
    atm = {q: printed("III-7", "atm_sga", q) for q in quarters}
    current_tax = {q: printed("III-8", "current_income_tax", q) for q in quarters}
    deferred_tax = {q: printed("III-8", "deferred_income_tax", q) for q in quarters}
    row = warehouse.execute(
        "select cost_of_revenue_ratio, sga_rd_qoq_change, sga_rd_qoq_growth, atm_sga_yoy_growth, total_income_tax,"
        " revenue_ltm, atm_sga_ltm, total_income_tax_ltm from fct_income_statement_quarterly"
        " where fiscal_period_id = 'iij:FY2017-Q4'"
    ).fetchone()
    q4, q3 = "FY2017-Q4", "FY2017-Q3"
    assert close(row[0], cost[q4] / revenue[q4])
    assert row[1] == sga[q4] - sga[q3]
    assert close(row[2], sga[q4] / sga[q3] - 1)
    assert close(row[3], atm[q4] / printed("III-7", "atm_sga", "FY2016-Q4") - 1)
    assert row[4] == current_tax[q4] + deferred_tax[q4]
    # The four quarters of FY2017 sum to the year's printed revenue, 176,051.
    assert row[5] == sum(revenue.values()) == printed("III-2", "revenue", "FY2017")
    assert row[6] == sum(atm.values())  # 35.5 + 44.8 + 36.4 + 38.4 = 155.1
    assert row[7] == sum(current_tax.values()) + sum(deferred_tax.values())
    # No last twelve months before four quarters are known (FY2016's first three quarters).
    assert one(warehouse, "select count(revenue_ltm) from fct_income_statement_quarterly where fiscal_year = 2016") == 1


def test_implied_prior_periods_carry_their_interval_and_stay_out_of_the_statements(warehouse: Any) -> None:
    fy16, growth = printed("III-2", "revenue", "FY2016"), printed("III-2", "revenue", "FY2016", "yoy_pct")
    reach, growth_reach = half_unit("III-2", "revenue", "FY2016"), half_unit("III-2", "revenue", "FY2016", "yoy_pct")
    value, low, high, source, implied = warehouse.execute(
        "select value, value_low, value_high, value_source, is_implied from fct_period_values"
        " where period_value_id = 'iij:FY2015:revenue:actual:value'"
    ).fetchone()
    assert (source, implied) == ("implied_by_growth", True)
    assert close(value, fy16 / (1 + growth), 1e-6)  # 157,789 / 1.122 = 140,631.9
    assert close(low, (fy16 - reach) / (1 + growth + growth_reach), 1e-6)
    assert close(high, (fy16 + reach) / (1 + growth - growth_reach), 1e-6)
    # A value known only through a YoY % restates it: the statements leave FY2015 out.
    assert one(warehouse, "select count(*) from fct_income_statement_annual where fiscal_year = 2015") == 0
    # FY2016's quarters imply FY2015's: 1Q15 revenue = 1Q16 36,179 / (1 + 15.0%).
    q1 = printed("III-2", "revenue", "FY2016-Q1") / (1 + printed("III-2", "revenue", "FY2016-Q1", "yoy_pct"))
    assert close(one(warehouse, "select value from fct_period_values where period_value_id = ?",
                     "iij:FY2015-Q1:revenue:actual:value"), q1, 1e-6)  # fmt: skip


def test_annual_other_income_taxes_and_personnel_costs(warehouse: Any) -> None:
    row = warehouse.execute(
        "select other_income_expenses_net, other_income_expenses_itemised, other_income_expenses_unitemised,"
        " total_income_tax, effective_tax_rate, personnel_costs_yoy_change, atm_sga"
        " from fct_income_statement_annual where income_statement_id = 'iij:FY2017:actual'"
    ).fetchone()
    pretax, operating = (
        printed("III-8", "income_before_income_tax", "FY2017"),
        printed("III-8", "operating_income", "FY2017"),
    )
    listed = (  # income items +, expense items - (printed positive): 1,068 + 270 + 243 - 375 - 16 = 1,190
        printed("III-8", "gain_on_sales_available_for_sale_securities", "FY2017")
        + printed("III-8", "distribution_from_fund_investments", "FY2017")
        + printed("III-8", "dividend_income", "FY2017")
        - printed("III-8", "interest_expense", "FY2017")
        - printed("III-8", "foreign_exchange_loss", "FY2017")
    )
    # The deck prints the taxes per quarter only: the year is the sum of its four quarters.
    taxes = sum(
        printed("III-8", line, f"FY2017-Q{quarter}")
        for line in ("current_income_tax", "deferred_income_tax")
        for quarter in (1, 2, 3, 4)
    )
    assert row[0] == pretax - operating  # 7,840 - 6,762 = 1,078
    assert row[1] == listed
    assert row[2] == pretax - operating - listed  # -112: what the listed items do not explain
    assert row[3] == taxes
    assert close(row[4], taxes / pretax)
    assert row[5] == printed("III-6", "personnel_costs", "FY2017") - printed("III-6", "personnel_costs", "FY2016")
    assert row[6] == sum(printed("III-7", "atm_sga", f"FY2017-Q{quarter}") for quarter in (1, 2, 3, 4))


def test_segments_the_rest_of_the_company_and_the_si_revenue_split(warehouse: Any) -> None:
    si = {year: printed("III-5(2)", "cost_si", year) + printed("III-3", "gross_margin_si", year)
          for year in ("FY2016", "FY2017")}  # fmt: skip
    revenue, cost = printed("III-2", "revenue", "FY2017"), printed("III-3", "cost_of_revenue", "FY2017")
    row = warehouse.execute(
        "select revenue_yoy_growth, rest_revenue, rest_cost_of_revenue, share_of_total_revenue"
        " from fct_segment_gross_margin where segment_gross_margin_id = 'iij:FY2017:systems_integration'"
    ).fetchone()
    assert close(row[0], si["FY2017"] / si["FY2016"] - 1)
    assert row[1] == revenue - si["FY2017"]  # network services + equipment + ATM
    assert row[2] == cost - printed("III-5(2)", "cost_si", "FY2017")
    assert close(row[3], si["FY2017"] / revenue)
    atm_sga = sum(printed("III-7", "atm_sga", f"FY2017-Q{quarter}") for quarter in (1, 2, 3, 4))
    assert (
        one(
            warehouse,
            "select gross_margin_less_sga from fct_segment_gross_margin"
            " where segment_gross_margin_id = 'iij:FY2017:atm_operation'",
        )
        == printed("III-3", "gross_margin_atm", "FY2017") - atm_sga
    )
    # Operation prints +2,780 and +7.9% but no value: FY17 = 2,780 x 1.079 / 0.079; construction is the rest.
    change = printed("III-5(1)", "revenue_si_operation", "FY2017", "yoy_change")
    growth = printed("I", "revenue_si_operation", "FY2017", "yoy_pct")
    operation = change * (1 + growth) / growth
    split = dict(
        warehouse.execute(
            "select line_item_id, revenue from fct_segment_revenue_components where fiscal_year = 2017"
        ).fetchall()
    )
    assert close(split["revenue_si_operation"], operation, 0.05)
    assert close(split["revenue_si_construction"], si["FY2017"] - operation, 0.05)
    construction_change = one(
        warehouse,
        "select revenue_yoy_change from fct_segment_revenue_components"
        " where segment_revenue_component_id = 'iij:FY2017:systems_integration:revenue_si_construction'",
    )
    # The split reproduces the printed construction change, -98, within the rounding of the inputs.
    assert abs(construction_change - printed("III-5(1)", "revenue_si_construction", "FY2017", "yoy_change")) <= 3


def test_balance_sheet_remainders_nci_and_roe(warehouse: Any) -> None:
    dates = ("2017-03-31", "2018-03-31")
    listed = [
        "cash_and_cash_equivalents", "accounts_receivable", "inventories", "prepaid_expenses",
        "investments_in_equity_method_investees", "other_investments", "property_and_equipment",
        "goodwill_and_other_intangible_assets", "guarantee_deposits",
    ]  # fmt: skip
    amount = {(date, line): printed("III-9", line, date) for date in dates for line in
              [*listed, "total_assets", "total_liabilities", "total_shareholders_equity"]}  # fmt: skip
    nci = {d: amount[d, "total_assets"] - amount[d, "total_liabilities"] - amount[d, "total_shareholders_equity"]
           for d in dates}  # fmt: skip
    row = warehouse.execute(
        "select unitemised_amount, noncontrolling_interests_implied_change, average_shareholders_equity,"
        " roe_on_ending_equity from fct_balance_sheet where balance_sheet_line_id = 'iij:2018-03-31:total_assets'"
    ).fetchone()
    assert row[0] == amount["2018-03-31", "total_assets"] - sum(amount["2018-03-31", line] for line in listed)
    assert row[1] == nci["2018-03-31"] - nci["2017-03-31"]  # 719 - 638 = 81
    equity = [amount[date, "total_shareholders_equity"] for date in dates]
    assert row[2] == sum(equity) / 2
    assert close(row[3], printed("III-8", "net_income_attributable", "FY2017") / equity[1])


def test_kpis_a_year_earlier_and_shares_of_revenue(warehouse: Any) -> None:
    def kpi(column: str, fact: str) -> Any:
        return one(warehouse, f"select {column} from fct_operating_kpis where kpi_fact_id = ?", fact)

    enterprise = "iij:2018-03-31:mobile_subscriptions_enterprise:actual"
    implied = printed("III-4(1)", "mobile_subscriptions_enterprise", "2018-03-31") / (
        1 + printed("III-4(1)", "mobile_subscriptions_enterprise", "2018-03-31", "yoy_pct")
    )  # 1,340 thousand / 1.561 = 858.4 thousand
    assert close(kpi("prior_year_value", enterprise), implied, 1e-5)
    assert kpi("prior_year_value_source", enterprise) == "implied_by_growth"
    mvne = "iij:2018-03-31:mvne_clients:actual"  # 137 - 13 = 124 clients at FY16-end
    assert kpi("prior_year_value", mvne) == printed("I", "mvne_clients", "2018-03-31") - printed(
        "I", "mvne_clients", "2018-03-31", "yoy_change"
    )
    cloud = "iij:FY2017:revenue_cloud:actual"  # 17.9 billion / 1.144
    cloud_fy16 = printed("I", "revenue_cloud", "FY2017") / (1 + printed("I", "revenue_cloud", "FY2017", "yoy_pct"))
    assert close(kpi("prior_year_value", cloud), cloud_fy16, 1e-5)
    mobile = "iij:FY2017:revenue_mobile:actual"  # 35.3 billion of 176,051 million
    assert close(
        kpi("share_of_revenue", mobile),
        printed("I", "revenue_mobile", "FY2017") / printed("III-2", "revenue", "FY2017"),
    )


@pytest.mark.parametrize(
    ("identity", "figure", "derived"),
    [
        # (1,340 + 1,005) / (1,340 / 1.561 + 1,005 / 1.057) - 1 = 29.6 %, where the deck prints +26.4 %.
        (
            "mobile_subscriptions_growth",
            "iij:2018-03-31:mobile_subscriptions:actual:yoy_pct@iij-fy2017-results/I",
            lambda: (
                (
                    (e := printed("III-4(1)", "mobile_subscriptions_enterprise", "2018-03-31"))
                    + (c := printed("III-4(1)", "mobile_subscriptions_consumer", "2018-03-31"))
                )
                / (
                    e / (1 + printed("III-4(1)", "mobile_subscriptions_enterprise", "2018-03-31", "yoy_pct"))
                    + c / (1 + printed("III-4(1)", "mobile_subscriptions_consumer", "2018-03-31", "yoy_pct"))
                )
                - 1
            ),
        ),
        # (6,762 + 12,365) / (5,134 + 12,365 - 1,471) - 1 = 19.33 %, where the deck prints +18.7 %.
        (
            "adjusted_ebitda_growth",
            "iij:FY2017:adjusted_ebitda:actual:yoy_pct@iij-fy2017-results/I",
            lambda: (
                (
                    printed("III-8", "operating_income", "FY2017")
                    + (d := printed("III-10", "depreciation_and_amortization", "FY2017"))
                )
                / (
                    printed("III-8", "operating_income", "FY2016")
                    + d
                    - printed("III-10", "depreciation_and_amortization", "FY2017", "yoy_change")
                )
                - 1
            ),
        ),
    ],
)
def test_printed_yoy_the_deck_contradicts_is_a_documented_exception(
    warehouse: Any, identity: str, figure: str, derived: Any
) -> None:
    check_id = f"{identity}|{figure}"
    status, reported, derived_value, residual = warehouse.execute(
        "select status, reported_value, derived_value, residual from rpt_data_quality where check_id = ?", [check_id]
    ).fetchone()
    assert status == "documented_exception"
    assert close(derived_value, derived(), 1e-6)
    assert close(residual, reported - Decimal(str(derived())), 1e-6)
    assert abs(residual) > 0.005  # far outside the printed rounding: a contradiction, not a rounding
