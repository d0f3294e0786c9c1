"""The accounting identities fail the build, naming the figure, when a seeded figure is wrong.

Both in the session's `failed_build` (conftest.py: one build with both changes):
- One figure raised by 10 (the README's example) fails `make build` with a message naming the figure,
  the period, the identities it broke, the residual and the tolerance.
- A documented exception that reconciles again fails the build as stale.
- Mutation proof: every seeded figure, raised by 10 units of its last printed digit, each as the only
  change of a copy of the company (468 companies in one `dbt build` of the seeds and models: the checks are
  rows of rpt_data_quality, which the Great Expectations suites enforce, as the two cases above prove; the
  data tests are proven on the pristine and the broken seeds of test_build). A mutant
  is killed when a check of its company fails naming the mutated figure. The figures no check catches
  must be exactly those listed in docs/unguarded_figures.csv, so a lost identity (or a new one) shows
  here; the kill rate and the list are written to build/mutation_report.md.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import duckdb

from .builds import FIGURES_SEED, PROJECT_DIR, Build, Seed, add_company_copies, copy_project, run_dbt_build

UNGUARDED = PROJECT_DIR / "docs" / "unguarded_figures.csv"
REPORT = PROJECT_DIR / "build" / "mutation_report.md"


def perturb(printed: str, units: int = 10) -> str:
    """A printed number raised by `units` units of its last printed digit ("(556)" -> "-546", "13.2%" -> "14.2%")."""
    text = printed.strip()
    if text == "-":  # nil
        return str(units)
    core = re.sub(r"[,+%()]", "", text)
    decimals = len(core.split(".")[1]) if "." in core else 0
    value = Decimal(core) * (-1 if text.startswith("(") else 1) + units * Decimal(10) ** -decimals
    return f"{value:.{decimals}f}" + ("%" if "%" in text else "")


def figure_key(record: dict[str, str]) -> str:
    """A seed row's figure id without its company: period:line item:scenario:basis@slide."""
    return f"{record['period']}:{record['line_item_id']}:{record['scenario']}:{record['basis']}@{record['slide_id']}"


def test_perturb() -> None:
    assert perturb("36,179") == "36189"
    assert perturb("(556)") == "-546"
    assert perturb("+13.2%") == "14.2%"
    assert perturb("176.1") == "177.1"
    assert perturb("27.00") == "27.10"
    assert perturb("-") == "10"


def test_raised_revenue_fails_naming_figure_period_identities_residual_and_tolerance(failed_build: Build) -> None:
    build = failed_build
    assert build.returncode == 1, build.tail()
    failures = [text for text in build.output.splitlines() if text.startswith("  FAIL ")]
    figure = "iij:FY2017-Q3:revenue:actual:value@iij-fy2017-results/III-2"
    # The year no longer sums: reported 176,051 vs the quarters' 176,061.
    assert any(
        "revenue FY2017 " in text
        and "quarters_sum_to_period" in text
        and figure in text
        and "residual -10 > tolerance 2.5" in text
        for text in failures
    ), build.tail()
    # The quarter's printed +13.0% YoY no longer follows from it.
    assert any("revenue FY2017-Q3 (actual, yoy_pct)" in text and "identity yoy_pct" in text for text in failures)
    # One expectation of the income statement suite (no failing or stale check) fails, for both changes.
    assert "FAILED: 1 expectation(s) failed" in build.output, build.tail()


def test_documented_exception_that_reconciles_again_fails_as_stale(failed_build: Build) -> None:
    assert failed_build.returncode == 1, failed_build.tail()
    lines = failed_build.output.splitlines()
    assert any(text.startswith("  STALE") and "adjusted_ebitda FY2016" in text for text in lines), failed_build.tail()


def write_mutants(project: Path) -> list[tuple[str, str, int]]:
    """Add one company per seeded figure with that figure perturbed; (company, figure key, line) per mutant."""
    figures = Seed(project / FIGURES_SEED)
    records = figures.records()
    mutants = [(f"mutant{number:04d}", figure_key(record), line) for number, (line, record) in enumerate(records)]
    add_company_copies(project, (company for company, _, _ in mutants))
    # Each copy is one block of len(records) rows in the source's order: its mutant is the n-th row of block n.
    copies = figures.records()[len(records) :]
    lines = figures.path.read_text().splitlines(keepends=True)
    for number, (company, _, _) in enumerate(mutants):
        line, record = copies[number * len(records) + number]
        assert record["company_id"] == company
        lines[line - 1] = figures.render({**record, "printed_value": perturb(record["printed_value"])})
    figures.path.write_text("".join(lines))
    return mutants


def test_mutation_kill_rate(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "kessan")
    mutants = write_mutants(project)

    build = run_dbt_build(project, "--resource-type", "seed", "--resource-type", "model")

    assert build.returncode == 0, build.tail()
    with duckdb.connect(str(build.built_db_path), read_only=True) as connection:
        rows = connection.execute(
            "select company_id, reported_figure_ids, derived_from_figure_ids from rpt_data_quality where is_failing"
        ).fetchall()
    named: dict[str, set[str]] = {}
    for company, reported, derived in rows:
        for figure in f"{reported}, {derived or ''}".split(", "):
            # company:period:line item:scenario:basis@slide, as the mutants are keyed (each company has one document).
            named.setdefault(company, set()).add(re.sub(r"@[^/@]+/", "@", figure))
    assert "iij" not in named, "the real company must not fail"

    survivors = [(key, line) for company, key, line in mutants if f"{company}:{key}" not in named.get(company, set())]
    killed = len(mutants) - len(survivors)
    # A mutant whose company fails, but not naming its figure, would be a failure message that misleads.
    misleading = [key for company, key, _ in mutants if company in named and f"{company}:{key}" not in named[company]]
    assert not misleading, f"failures that do not name the mutated figure: {misleading}"

    with UNGUARDED.open(newline="") as handle:
        listed = {record["figure"] for record in csv.DictReader(handle)}
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(
        f"# Mutation report\n\nEach of the {len(mutants)} seeded figures raised by 10 units of its last printed "
        f"digit, one company per mutant, one build.\n\nKilled: {killed} / {len(mutants)} "
        f"({killed / len(mutants):.1%}).\n\nSurvivors (seed line, figure):\n\n"
        + "".join(f"- {line}: {key}\n" for key, line in survivors)
    )
    assert {key for key, _ in survivors} == listed, (
        f"survivors differ from {UNGUARDED.name}: not listed {sorted({k for k, _ in survivors} - listed)}, "
        f"listed but killed {sorted(listed - {k for k, _ in survivors})}; see {REPORT}"
    )
