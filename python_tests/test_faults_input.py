"""Bad input: every mistake in a seed fails `make build`, names its file, line and value, and publishes nothing.

Three builds of copies of the pristine build (docs/decisions.md D29):

- the preflight: one copy with every structural mistake at once (a short row, a long row, an unclosed quote, a
  record over two lines, a blank line between rows, a 0-byte seed, a wrong header, a Shift_JIS seed), each in
  its own file or line; one `make build` stops before dbt (exit 2) naming each one, and a seed with CRLF line
  ends is not among them;
- dbt: one copy with one mistake per seed line (an unknown word in an enumerated column, a text in a typed one,
  a number past its DECIMAL, a flow given a date ...); the figures' mistakes each in a copy of the company of
  its own (`bad_<case>`), as in test_build.py; one `make build` fails (exit 1) and prints each message;
- text that looks like SQL or Jinja in a note or a label: it builds and publishes, kept verbatim.

After each failing build the published files are as they were (faults.published_state).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from .builds import Build, Seed, add_company_copies, copy_built, run_build
from .faults import changes, published_state

REVENUE_Q3 = {"slide_id": "III-2", "line_item_id": "revenue", "period": "FY2017-Q3", "basis": "value"}
DIVIDENDS = {"line_item_id": "dividends_paid", "period": "FY2017", "basis": "value"}
TOTAL_ASSETS = {"line_item_id": "total_assets", "period": "2018-03-31", "scenario": "actual", "basis": "value"}


def seed(project: Path, name: str) -> Seed:
    return Seed(project / "seeds" / f"{name}.csv")


def set_fields(csv: Seed, line: int, **fields: str) -> None:
    """Change some fields of the one-line record at `line`."""
    csv.replace(line, [csv.render({**csv.record(line), **fields})])


def one_line(build: Build, texts: list[str]) -> bool:
    """Whether one line of the build's output contains every text."""
    return any(all(text in line for text in texts) for line in build.output.splitlines())


@dataclass(frozen=True)
class Outcome:
    build: Build
    before: dict[str, str]  # published_state before the build
    expected: dict[str, list[str]]  # case -> the texts one output line must contain


# --- the preflight ------------------------------------------------------------------------------------------------

# case -> (seed, how to break it: (csv, its lines) -> the line to name, what the line must say besides it)
PREFLIGHT_CASES: dict[str, tuple[str, Callable[[Seed, list[str]], int], list[str]]] = {}


def preflight_case(name: str, seed_name: str, *texts: str) -> Callable[[Callable[[Seed, list[str]], int]], None]:
    def register(break_seed: Callable[[Seed, list[str]], int]) -> None:
        PREFLIGHT_CASES[name] = (seed_name, break_seed, list(texts))

    return register


def write(csv: Seed, lines: list[str]) -> None:
    csv.path.write_text("".join(lines), encoding="utf-8")


@preflight_case("short_row", "reported_figures", "10 fields, but the header has 11", "a field missing")
def _short_row(csv: Seed, lines: list[str]) -> int:
    line = csv.find(**REVENUE_Q3, company_id="iij")
    lines[line - 1] = lines[line - 1].rstrip("\n").rsplit(",", 1)[0] + "\n"  # the last (empty) note dropped
    write(csv, lines)
    return line


@preflight_case("long_row", "reported_figures", "12 fields, but the header has 11", "a field too many")
def _long_row(csv: Seed, lines: list[str]) -> int:
    line = csv.find(**DIVIDENDS, company_id="iij")
    lines[line - 1] = lines[line - 1].rstrip("\n") + ",extra\n"
    write(csv, lines)
    return line


@preflight_case("unclosed_quote", "segments", "a quote opened in this record is never closed")
def _unclosed_quote(csv: Seed, lines: list[str]) -> int:
    lines[2] = lines[2].replace(",", ',"', 1)  # line 3: the label opens a quote that nothing closes
    write(csv, lines)
    return 3


@preflight_case("record_over_two_lines", "identities", "one record runs over lines 4-5")
def _record_over_two_lines(csv: Seed, lines: list[str]) -> int:
    lines[3] = csv.render({**csv.record(4), "description": "two\nlines"})  # quoted: one record, two lines
    write(csv, lines)
    return 4


@preflight_case("blank_line_between_rows", "line_items", "blank line between rows")
def _blank_line(csv: Seed, lines: list[str]) -> int:
    write(csv, [*lines[:10], "\n", *lines[10:]])
    return 11


@preflight_case("empty_seed", "slides", "seeds/slides.csv: empty (0 bytes)", "document_id,slide_id,title")
def _empty_seed(csv: Seed, lines: list[str]) -> int:
    write(csv, [])
    return 0  # a file, no line


@preflight_case("wrong_header", "statements", "missing expectation_suite", "not a column of the seed: 'suite'")
def _wrong_header(csv: Seed, lines: list[str]) -> int:
    write(csv, [lines[0].replace("expectation_suite", "suite"), *lines[1:]])
    return 1


@preflight_case("shift_jis", "units", "not UTF-8", "the file reads as CP932 (Shift_JIS")
def _shift_jis(csv: Seed, lines: list[str]) -> int:
    csv.path.write_bytes("".join(lines).encode("cp932"))
    return next(number for number, line in enumerate(lines, 1) if "億円" in line)


CRLF_SEED = "source_documents"  # saved with CRLF line ends (Excel on Windows): accepted


@pytest.fixture(scope="module")
def preflight_build(pristine_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """One `make build` of a copy of the pristine build with every PREFLIGHT_CASES mistake."""
    assert pristine_build.returncode == 0, pristine_build.tail()
    project = copy_built(pristine_build, tmp_path_factory.mktemp("preflight") / "kessan").project_dir
    expected = {}
    for name, (seed_name, break_seed, texts) in PREFLIGHT_CASES.items():
        csv = seed(project, seed_name)
        lines = csv.path.read_text(encoding="utf-8").splitlines(keepends=True)
        line = break_seed(csv, lines)
        where = f"seeds/{seed_name}.csv" + (f" line {line}:" if line else ":")
        expected[name] = [where, *texts]
    crlf = seed(project, CRLF_SEED).path
    crlf.write_bytes(crlf.read_bytes().replace(b"\n", b"\r\n"))
    before = published_state(project / "warehouse")
    return Outcome(run_build(project), before, expected)


def test_preflight_stops_before_dbt(preflight_build: Outcome) -> None:
    build = preflight_build.build
    assert build.returncode == 2, build.tail()
    assert "dbt did not run" in build.output and "PASS=" not in build.output, build.tail()
    assert f"seeds/{CRLF_SEED}.csv" not in build.output  # CRLF line ends are accepted
    assert changes(preflight_build.before, published_state(build.db_path.parent)) == []


@pytest.mark.parametrize("case", PREFLIGHT_CASES)
def test_preflight_names_the_line(case: str, preflight_build: Outcome) -> None:
    expected = preflight_build.expected[case]
    assert one_line(preflight_build.build, expected), (
        f"no line names all of {expected}:\n{preflight_build.build.tail()}"
    )


# --- dbt ----------------------------------------------------------------------------------------------------------

# A figure's mistakes, each in its company's copy: case -> (figure, fields set, what the message says).
FIGURE_CASES = {
    "qualifier_aprox": (REVENUE_Q3, {"qualifier": "aprox"}, ["qualifier 'aprox' is not one of: (empty), approx"]),
    "basis_Value": (DIVIDENDS, {"basis": "Value"}, ["basis 'Value' is not one of: (empty), value"]),
    "scenario_Actual": (REVENUE_Q3, {"scenario": "Actual"}, ["scenario 'Actual' is not one of: (empty), actual"]),
    "unknown_unit": (REVENUE_Q3, {"unit_id": "jpy_millon"}, ["unit_id 'jpy_millon' is not in stg_units"]),
    "flow_with_a_date": (
        DIVIDENDS,
        {"period": "2018-03-31"},
        ["period '2018-03-31' is a date, but line item dividends_paid is a flow (period_kind duration)"],
    ),
    "stock_with_a_fiscal_period": (
        TOTAL_ASSETS,
        {"period": "FY2017"},
        ["period 'FY2017' is a fiscal period, but line item total_assets is a stock (period_kind instant)"],
    ),
    "number_past_decimal": (
        REVENUE_Q3,
        {"printed_value": "1,000,000,000,000,000"},
        ["printed_value '1,000,000,000,000,000' is not a number", "more than 14 digits before the decimal point"],
    ),
    "number_past_base_unit": (
        REVENUE_Q3,
        {"printed_value": "99,999,999,999,999", "unit_id": "million"},
        ["printed_value '99,999,999,999,999' is out of range in its base unit"],
    ),
}
# A company's or its document's mistakes, in its company's copy: case -> (seed, fields set, what the message says).
COMPANY_CASES = {
    "fiscal_year_named_by": ("companies", {"fiscal_year_named_by": "begin"}, ["fiscal_year_named_by 'begin'"]),
    "month_as_text": (
        "companies",
        {"fiscal_year_end_month": "March"},
        ["fiscal_year_end_month 'March' is not integer"],
    ),
    "rounding": ("source_documents", {"rounding": "nearest"}, ["rounding 'nearest' is not one of: (empty), round"]),
    "bad_date": ("source_documents", {"published_on": "2018-13-45"}, ["published_on '2018-13-45' is not date"]),
    "year_as_text": (
        "source_documents",
        {"covers_fiscal_year": "FY2017"},
        ["covers_fiscal_year 'FY2017' is not integer"],
    ),
}
# A mistake in a row of a seed every company shares: case -> (seed, the row, fields set, what the message says).
SHARED_CASES = {
    "period_kind": ("line_items", {"line_item_id": "inventories"}, {"period_kind": "stock"}, ["period_kind 'stock'"]),
    "sign": (
        "line_items",
        {"line_item_id": "prepaid_expenses"},
        {"sign": "2"},
        ["sign '2' is not one of: (empty), 1, -1"],
    ),
    "display_order_as_text": (
        "line_items",
        {"line_item_id": "revenue_cloud"},
        {"display_order": "x"},
        ["line item revenue_cloud: display_order 'x' is not integer"],
    ),
    "is_subtotal_not_boolean": (
        "line_items",
        {"line_item_id": "revenue_overseas"},
        {"is_subtotal": "maybe"},
        ["is_subtotal 'maybe' is not boolean"],
    ),
    "unknown_statement": (
        "line_items",
        {"line_item_id": "revenue_mobile"},
        {"statement": "revenue_brakedown"},
        ["statement 'revenue_brakedown' is not in stg_statements"],
    ),
    "dimension": ("units", {"unit_id": "thousand"}, {"dimension": "counts"}, ["unit thousand: dimension 'counts'"]),
    "multiplier_as_text": (
        "units",
        {"unit_id": "jpy_thousand"},
        {"to_base_multiplier": "1/1000"},
        ["to_base_multiplier '1/1000' is not decimal(18, 6)"],
    ),
    "identity_kind": ("identities", {"identity_id": "gross_margin"}, {"kind": "summ"}, ["kind 'summ' is not one of"]),
    "identity_part": (
        "identity_terms",
        {"identity_id": "operating_income", "line_item_id": "sga_rd"},
        {"part": "numerators"},
        ["identity operating_income term sga_rd: part 'numerators' is not one of"],
    ),
    "period_relation": (
        "identity_terms",
        {"identity_id": "net_income_bridge", "line_item_id": "current_income_tax"},
        {"period_relation": "previous_year"},
        ["period_relation 'previous_year' is not one of"],
    ),
    "coefficient_as_text": (
        "identity_terms",
        {"identity_id": "adjusted_ebitda", "line_item_id": "operating_income"},
        {"coefficient": "one"},
        ["coefficient 'one' is not decimal(18, 6)"],
    ),
    "expectation_suite": (
        "statements",
        {"statement": "kpi"},
        {"expectation_suite": "kpis"},
        ["statement kpi: expectation_suite 'kpis' is not one of"],
    ),
}
DBT_CASES = [*FIGURE_CASES, *COMPANY_CASES, *SHARED_CASES]


@pytest.fixture(scope="module")
def dbt_build(pristine_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """One `make build` of a copy of the pristine build with every mistake of FIGURE, COMPANY and SHARED_CASES."""
    assert pristine_build.returncode == 0, pristine_build.tail()
    project = copy_built(pristine_build, tmp_path_factory.mktemp("dbt_faults") / "kessan").project_dir
    add_company_copies(project, (f"bad_{name}" for name in (*FIGURE_CASES, *COMPANY_CASES)))
    expected = {}
    figures = seed(project, "reported_figures")
    for name, (figure, fields, texts) in FIGURE_CASES.items():  # one-line edits: no line moves
        line = figures.find(**figure, company_id=f"bad_{name}")
        set_fields(figures, line, **fields)
        expected[name] = [f"reported_figures.csv line {line}: bad_{name} ", *texts]
    for name, (seed_name, fields, texts) in COMPANY_CASES.items():
        csv = seed(project, seed_name)
        line = csv.find(company_id=f"bad_{name}")
        set_fields(csv, line, **fields)
        expected[name] = [f"{seed_name}.csv line {line}:", *texts]
    for name, (seed_name, row, fields, texts) in SHARED_CASES.items():
        csv = seed(project, seed_name)
        line = csv.find(**row)
        set_fields(csv, line, **fields)
        expected[name] = [f"{seed_name}.csv line {line}:", *texts]
    before = published_state(project / "warehouse")
    return Outcome(run_build(project), before, expected)


def test_dbt_faults_fail_and_publish_nothing(dbt_build: Outcome) -> None:
    build = dbt_build.build
    assert build.returncode == 1, build.tail()
    summary = re.search(r"^kessan build: FAILED\s+PASS=\d+ WARN=\d+ FAIL=\d+ ERROR=(\d+)", build.output, re.M)
    assert summary, build.tail()
    assert summary.group(1) == "0", build.tail(200)  # every mistake fails a test: no SQL error, no conversion error
    assert "NOT PUBLISHED" in build.output
    assert changes(dbt_build.before, published_state(build.db_path.parent)) == []


@pytest.mark.parametrize("case", DBT_CASES)
def test_dbt_fault_names_the_line(case: str, dbt_build: Outcome) -> None:
    expected = dbt_build.expected[case]
    assert one_line(dbt_build.build, expected), f"no line names all of {expected}:\n{dbt_build.build.tail(300)}"


# --- text that looks like code ------------------------------------------------------------------------------------

# case -> (seed, the row, column, text): each kept verbatim, never run.
TEXT_CASES = {
    "sql_in_note": (
        "reported_figures",
        {**REVENUE_Q3, "company_id": "iij"},
        "note",
        "'); drop table reported_figures; --",
    ),
    "jinja_in_note": ("reported_figures", {**DIVIDENDS, "company_id": "iij"}, "note", '{{ var("x") }} {% raw %}'),
    "quotes_in_label": ("line_items", {"line_item_id": "revenue"}, "label", "Total \"revenues\" (it's 'all'), {{ x }}"),
    "jinja_in_label": ("line_items", {"line_item_id": "gross_margin"}, "label", "{% endraw %}{{ 1 + 1 }}{# c #}"),
}
# Where the built warehouse keeps each seed column: (relation, column).
KEPT_IN = {"note": ("intermediate.int_reported_figures", "note"), "label": ("dim_line_items", "line_item_label")}


@pytest.fixture(scope="module")
def text_build(pristine_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Build:
    assert pristine_build.returncode == 0, pristine_build.tail()
    project = copy_built(pristine_build, tmp_path_factory.mktemp("text") / "kessan").project_dir
    for seed_name, row, column, text in TEXT_CASES.values():
        csv = seed(project, seed_name)
        set_fields(csv, csv.find(**row), **{column: text})
    return run_build(project)


def test_text_that_looks_like_code_builds(text_build: Build) -> None:
    assert text_build.returncode == 0, text_build.tail()
    assert "kessan build: PUBLISHED" in text_build.output


@pytest.mark.parametrize("case", TEXT_CASES)
def test_text_is_kept_verbatim(case: str, text_build: Build) -> None:
    _, _, column, text = TEXT_CASES[case]
    relation, kept = KEPT_IN[column]
    with duckdb.connect(str(text_build.db_path), read_only=True) as connection:
        found = connection.execute(f"select count(*) from {relation} where {kept} = ?", [text]).fetchone()
    assert found and found[0] >= 1, f"{text!r} is not in {relation}.{kept}"
