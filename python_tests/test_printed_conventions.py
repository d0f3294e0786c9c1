"""Japanese printing conventions, the lone dash and the seeds' encoding (docs/decisions.md D24).

- The preflight (kessan.preflight), called directly (no build): a seed saved as CP932 (Shift_JIS, as Excel on
  Japanese Windows saves a CSV) is named with its line and the iconv command that converts it; a UTF-8 byte
  order mark (Excel's "CSV UTF-8") is accepted.
- End to end, one dbt build of a copy of the pristine build with a company printed the Japanese way (▲ and △,
  full-width digits and signs, 億円 and 千円, a `nil` dash and a `not_meaningful` one; its units seed saved with
  a byte order mark): every figure parses to its value, the `nil` dash is checked and passes, the
  `not_meaningful` one is never checked and reaches no mart as a number.
- A lone dash without a qualifier fails the dash test of that build, naming reported_figures.csv and the line
  (the test's compiled SQL run on a copy of the built database with the row appended to the seed's table, so
  that no second build is needed; kessan.build prints the failing rows' messages of every test alike).
"""

from __future__ import annotations

import codecs
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from kessan.preflight import seed_encoding_problems

from .builds import FIGURES_SEED, PROJECT_DIR, Build, Seed, copy_built, run_dbt_build

UNITS_SEED = Path("seeds/units.csv")


def seeds_folder(root: Path, name: Path, content: bytes) -> Path:
    """A project folder `root` whose seeds are the one file `name` with `content`."""
    (root / name).parent.mkdir(parents=True)
    (root / name).write_bytes(content)
    return root


def test_preflight_names_a_cp932_seed(tmp_path: Path) -> None:
    text = (PROJECT_DIR / UNITS_SEED).read_text(encoding="utf-8")
    line = next(number for number, row in enumerate(text.splitlines(), 1) if "億円" in row)
    project = seeds_folder(tmp_path, UNITS_SEED, text.encode("cp932"))
    [problem] = seed_encoding_problems(project)
    assert problem.startswith(f"seeds/units.csv line {line}: not UTF-8"), problem
    assert "CP932 (Shift_JIS" in problem and "億円" in problem  # the line as CP932 reads it
    fix = "iconv -f CP932 -t UTF-8 seeds/units.csv > units.utf8.csv && mv units.utf8.csv seeds/units.csv"
    assert fix in problem
    if shutil.which("iconv"):  # the command given converts it
        subprocess.run(fix, shell=True, cwd=project, check=True)
        assert seed_encoding_problems(project) == []
        assert (project / UNITS_SEED).read_text(encoding="utf-8") == text


def test_preflight_names_rows_appended_in_another_encoding(tmp_path: Path) -> None:
    utf8 = "unit_id,label\njpy_100_million,億円\n".encode()
    project = seeds_folder(tmp_path, UNITS_SEED, utf8 + "jpy_thousand,千円\n".encode("cp932"))
    [problem] = seed_encoding_problems(project)
    assert problem.startswith("seeds/units.csv line 3: not UTF-8"), problem
    assert "the lines above are" in problem


def test_preflight_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    content = codecs.BOM_UTF8 + (PROJECT_DIR / FIGURES_SEED).read_bytes()
    assert seed_encoding_problems(seeds_folder(tmp_path, FIGURES_SEED, content)) == []


# A company printed as a Japanese release prints (company `jpn`, its own document and slides), as seed rows:
# (slide, line item, period, basis, printed value, unit, qualifier) -> the value expected in base units.
COMPANY = "jpn"
DOCUMENT = "jpn-fy2017-tanshin"
JAPANESE_FIGURES = {
    ("P1", "revenue", "FY2017", "value", "１７６，０５１", "jpy_million", ""): Decimal("176051"),
    ("P2", "revenue", "FY2017", "value", "1,760.5", "jpy_100_million", ""): Decimal("176050"),
    ("P3", "revenue", "FY2017", "value", "176,051,000", "jpy_thousand", ""): Decimal("176051"),
    ("P1", "revenue", "FY2016", "value", "157,789", "jpy_million", ""): Decimal("157789"),
    ("P1", "revenue", "FY2017", "yoy_pct", "＋１１．６％", "percent", ""): Decimal("0.116"),
    # The deck does not print FY2015: the dash is not 0 % growth.
    ("P1", "revenue", "FY2016", "yoy_pct", "―", "percent", "not_meaningful"): None,
    ("P1", "operating_income", "FY2017", "value", "▲1,234", "jpy_million", ""): Decimal("-1234"),
    ("P1", "operating_income", "FY2016", "value", "△ 1,000", "jpy_million", ""): Decimal("-1000"),
    ("P1", "operating_income", "FY2017", "yoy_change", "▲２３４", "jpy_million", ""): Decimal("-234"),
    ("P1", "dividend_per_share", "FY2017", "value", "27.00", "jpy", ""): Decimal("27"),
    ("P1", "dividend_per_share", "FY2016", "value", "２７．００", "jpy", ""): Decimal("27"),
    ("P1", "dividend_per_share", "FY2017", "yoy_change", "－", "jpy", "nil"): Decimal("0"),
}
NOT_MEANINGFUL = f"{COMPANY}:FY2016:revenue:actual:yoy_pct@{COMPANY}-fy2017-tanshin/P1"
# A lone dash with no qualifier, on a figure of IIJ's the deck does not print.
UNQUALIFIED_DASH = {"slide_id": "III-9", "line_item_id": "treasury_stock", "period": "2017-03-31"}


@dataclass(frozen=True)
class ConventionBuild:
    build: Build  # dbt build of the Japanese company
    lines: dict[tuple[str, ...], int]  # figure -> its seed line


def add_japanese_company(project: Path) -> dict[tuple[str, ...], int]:
    """The company, its document and slides, its figures; the seed line of each figure."""
    companies = Seed(project / "seeds" / "companies.csv")
    iij = companies.record(companies.find(company_id="iij"))
    companies.append([companies.render({**iij, "company_id": COMPANY, "company_name": "日本決算株式会社"})])
    documents = Seed(project / "seeds" / "source_documents.csv")
    iij_document = documents.record(documents.find(company_id="iij"))
    document = {**iij_document, "document_id": DOCUMENT, "company_id": COMPANY, "title": "2018年3月期 決算短信"}
    documents.append([documents.render(document)])
    slides = Seed(project / "seeds" / "slides.csv")
    slides.append(
        slides.render({"document_id": DOCUMENT, "slide_id": s, "title": f"{s} 連結"}) for s in ("P1", "P2", "P3")
    )
    figures = Seed(project / FIGURES_SEED)
    first_line = figures.records()[-1][0] + 1
    rows = [
        {
            "company_id": COMPANY,
            "document_id": DOCUMENT,
            "slide_id": slide,
            "line_item_id": item,
            "period": period,
            "scenario": "actual",
            "basis": basis,
            "printed_value": printed,
            "unit_id": unit,
            "qualifier": qualifier,
            "note": "",
        }
        for slide, item, period, basis, printed, unit, qualifier in JAPANESE_FIGURES
    ]
    figures.append(figures.render(row) for row in rows)
    # Excel's "CSV UTF-8" starts the file with a byte order mark: dbt must still read the first column's name.
    units = project / UNITS_SEED
    units.write_bytes(codecs.BOM_UTF8 + units.read_bytes())
    return {figure: first_line + offset for offset, figure in enumerate(JAPANESE_FIGURES)}


@pytest.fixture(scope="module")
def convention_build(pristine_build: Build, tmp_path_factory: pytest.TempPathFactory) -> ConventionBuild:
    """One dbt build (no validation, no publish) of a copy of the pristine build with the Japanese company."""
    assert pristine_build.returncode == 0, pristine_build.tail()
    project = copy_built(pristine_build, tmp_path_factory.mktemp("conventions") / "kessan").project_dir
    lines = add_japanese_company(project)
    return ConventionBuild(run_dbt_build(project), lines)


def failing_rows(build: Build, test_prefix: str, dash: dict[str, str], folder: Path) -> list[tuple]:
    """The rows a data test of the build returns (its compiled SQL, as dbt ran it) once `dash` is appended to
    the reported figures: a copy of the built database with the row inserted into the seed's table, as a line
    appended to the CSV loads (the seed's rows are numbered in file order: seed_with_rows)."""
    manifest = json.loads((build.project_dir / "target" / "manifest.json").read_text())
    [test] = [node for node in manifest["nodes"].values() if node["name"].startswith(test_prefix)]
    [seed] = [node for node in manifest["nodes"].values() if node["unique_id"] == "seed.kessan.reported_figures"]
    database = folder / build.built_db_path.name  # the same file name: the compiled SQL names its catalog
    shutil.copyfile(build.built_db_path, database)
    columns, values = ", ".join(dash), [value or None for value in dash.values()]  # an empty cell loads as null
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            f"insert into {seed['relation_name']} ({columns}) values ({', '.join('?' * len(dash))})", values
        )
        return connection.execute(test["compiled_code"]).fetchall()


def test_a_lone_dash_without_qualifier_fails_naming_its_line(convention_build: ConventionBuild, tmp_path: Path) -> None:
    build = convention_build.build
    assert build.returncode == 0, build.tail(120)
    figures = Seed(build.project_dir / FIGURES_SEED)
    dash = {**figures.record(figures.find(**{**UNQUALIFIED_DASH, "period": "2018-03-31", "basis": "value"}))}
    dash.update(UNQUALIFIED_DASH, basis="yoy_change", printed_value="―", qualifier="", note="")
    line = figures.records()[-1][0] + 1  # the line it would be appended on
    rows = failing_rows(build, "dash_is_qualified_stg_reported_figures", dash, tmp_path)
    assert len(rows) == 1, rows
    seed_name, seed_line, _, message = rows[0][:4]
    assert (seed_name, seed_line) == ("reported_figures", line)
    expected = (
        f"reported_figures.csv line {line}: iij treasury_stock 2017-03-31 (actual, yoy_change), slide III-9: "
        "printed_value '―' is a lone dash without a qualifier: set qualifier to nil"
    )
    assert message.startswith(expected), message
    # It is the dash test's row alone: printed_value_is_a_number leaves lone dashes to it.
    assert failing_rows(build, "printed_value_is_a_number_stg_reported_figures", dash, tmp_path) == []
    # Without the row, the build's own run of the test passed.
    assert re.search(r" PASS dash_is_qualified_stg_reported_figures_ ", build.output), build.tail(200)


def figures_of(build: Build, company: str) -> dict[int, tuple]:
    with duckdb.connect(str(build.built_db_path), read_only=True) as connection:
        # The units seed was saved with a byte order mark: its first column keeps its name.
        first = connection.execute(
            "select column_name from duckdb_columns() where table_name = 'units' order by column_index limit 1"
        )
        assert first.fetchall() == [("unit_id",)]
        rows = connection.execute(
            "select seed_line, value, is_exact, qualifier, printed_decimals from staging.stg_reported_figures"
            " where company_id = ?",
            [company],
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def test_japanese_printings_parse_end_to_end(convention_build: ConventionBuild) -> None:
    build = convention_build.build
    assert build.returncode == 0, build.tail(120)
    parsed = figures_of(build, COMPANY)
    for figure, line in convention_build.lines.items():
        value, is_exact, qualifier, _ = parsed[line]
        assert value == JAPANESE_FIGURES[figure], (figure, value)
        assert is_exact is (figure[-1] in ("", "nil")), (figure, is_exact)
        assert qualifier == (figure[-1] or None)
    # The FY2017 deck's three dashes: nil, zero, exact, as before.
    iij = figures_of(build, "iij")
    for line in (56, 366, 458):
        assert iij[line][:3] == (Decimal(0), True, "nil"), (line, iij[line])
    # 億円 with one decimal is a precision of 10 million: its rounding (decimals) comes from the normalised text.
    p2 = convention_build.lines[next(f for f in JAPANESE_FIGURES if f[5] == "jpy_100_million")]
    assert parsed[p2][3] == 1


def test_nil_is_checked_and_not_meaningful_is_not(convention_build: ConventionBuild) -> None:
    build = convention_build.build
    assert build.returncode == 0, build.tail(120)
    with duckdb.connect(str(build.built_db_path), read_only=True) as connection:
        checks = dict(
            connection.execute(
                "select check_id, status from rpt_data_quality where company_id in (?, 'iij')", [COMPANY]
            ).fetchall()
        )
        mentions = connection.execute(
            "select count(*) from rpt_reported_vs_derived where reported_figure_ids like ? or derived_from_figure_ids"
            " like ?",
            [f"%{NOT_MEANINGFUL}%", f"%{NOT_MEANINGFUL}%"],
        ).fetchone()[0]
        growth_fy16 = connection.execute(
            "select revenue_yoy_growth_reported from fct_income_statement_annual"
            " where fiscal_period_id = ? and scenario = 'actual'",
            [f"{COMPANY}:FY2016"],
        ).fetchall()
    # The three dashes of the FY2017 deck are checked, and pass.
    for figure in (
        "iij:FY2018:dividend_per_share:target:yoy_change@iij-fy2017-results/II",
        "iij:2018-03-31:treasury_stock:actual:yoy_change@iij-fy2017-results/III-9",
    ):
        assert checks[f"yoy_change|{figure}"] == "pass"
    assert checks["restatement|iij:FY2018:dividend_per_share:target:yoy_change@iij-fy2017-results/IV-4(1)"] == "pass"
    # Full-width millions and 億円 agree with 千円 (the most precise printing), ▲ and △ reconcile with the
    # change, the full-width % with the growth.
    jpn = {check: status for check, status in checks.items() if f"|{COMPANY}:" in check}
    assert jpn == {
        f"restatement|{COMPANY}:FY2017:revenue:actual:value@jpn-fy2017-tanshin/P1": "pass",
        f"restatement|{COMPANY}:FY2017:revenue:actual:value@jpn-fy2017-tanshin/P2": "pass",
        f"yoy_pct|{COMPANY}:FY2017:revenue:actual:yoy_pct@jpn-fy2017-tanshin/P1": "pass",
        f"yoy_change|{COMPANY}:FY2017:operating_income:actual:yoy_change@jpn-fy2017-tanshin/P1": "pass",
        f"yoy_change|{COMPANY}:FY2017:dividend_per_share:actual:yoy_change@jpn-fy2017-tanshin/P1": "pass",
    }
    # The not-meaningful dash: no check names it, and FY2016's growth is not reported as 0 %.
    assert mentions == 0
    assert growth_fy16 == [(None,)]
