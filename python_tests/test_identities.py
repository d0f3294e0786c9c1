"""The accounting identities fail the build, naming the figure, when a seeded figure is wrong.

- One figure raised by 10 (the README's example) fails `make build` with a message naming the figure,
  the period, the identities it broke, the residual and the tolerance.
- A documented exception that reconciles again fails the build as stale.
- Mutation proof: every seeded figure, raised by 10 units of its last printed digit, each as the only
  change of a copy of the company (468 companies in one build). A mutant is killed when a check of its
  company fails naming the mutated figure. The figures no check catches must be exactly those listed in
  docs/unguarded_figures.csv, so a lost identity (or a new one) shows here; the kill rate and the list
  are written to build/mutation_report.md.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import duckdb

from .builds import FIGURES_SEED, PROJECT_DIR, Seed, copy_project, run_build

REVENUE_3Q17 = {"slide_id": "III-2", "line_item_id": "revenue", "period": "FY2017-Q3", "basis": "value"}
UNGUARDED = PROJECT_DIR / "docs" / "unguarded_figures.csv"
REPORT = PROJECT_DIR / "build" / "mutation_report.md"
FAILING = ("fail", "stale_exception")


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


def test_raised_revenue_fails_naming_figure_period_identities_residual_and_tolerance(figures_seed: Seed) -> None:
    line = figures_seed.find(**REVENUE_3Q17)
    record = figures_seed.record(line)
    assert record["printed_value"] == "44,624"
    figures_seed.replace(line, [figures_seed.render({**record, "printed_value": "44,634"})])

    build = run_build(figures_seed.path.parents[1])

    assert build.returncode == 1, build.tail()
    failures = [text for text in build.output.splitlines() if text.startswith("  FAIL ")]
    figure = "iij:FY2017-Q3:revenue:actual:value@III-2"
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
    assert "FAILED: 1 expectation(s) failed" in build.output


def test_documented_exception_that_reconciles_again_fails_as_stale(figures_seed: Seed) -> None:
    line = figures_seed.find(slide_id="III-1", line_item_id="adjusted_ebitda", period="FY2016", basis="value")
    record = figures_seed.record(line)
    assert record["printed_value"] == "16.1"
    figures_seed.replace(line, [figures_seed.render({**record, "printed_value": "16.0"})])

    build = run_build(figures_seed.path.parents[1])

    assert build.returncode == 1, build.tail()
    assert any(text.startswith("  STALE") and "adjusted_ebitda FY2016" in text for text in build.output.splitlines()), (
        build.tail()
    )


def write_mutants(project: Path) -> list[tuple[str, str, int]]:
    """Add one company per seeded figure with that figure perturbed; (company, figure key, line) per mutant."""
    figures = Seed(project / FIGURES_SEED)
    records = figures.records()
    mutants, lines = [], []
    for number, (line, record) in enumerate(records):
        company = f"mutant{number:04d}"
        mutants.append((company, figure_key(record), line))
        for other_line, other in records:
            row = {**other, "company_id": company}
            if other_line == line:
                row["printed_value"] = perturb(other["printed_value"])
            lines.append(figures.render(row))
    with figures.path.open("a") as handle:
        handle.writelines(lines)

    companies = Seed(project / "seeds" / "companies.csv")
    iij = companies.record(companies.find(company_id="iij"))
    with companies.path.open("a") as handle:
        handle.writelines(companies.render({**iij, "company_id": company}) for company, _, _ in mutants)

    # Each copy has the company's documented exceptions, with its own check ids.
    exceptions = Seed(project / "seeds" / "reconciliation_exceptions.csv")
    documented = [record for _, record in exceptions.records()]
    with exceptions.path.open("a") as handle:
        for company, _, _ in mutants:
            handle.writelines(
                exceptions.render({**record, "check_id": record["check_id"].replace("iij:", f"{company}:")})
                for record in documented
            )
    return mutants


def test_mutation_kill_rate(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "kessan")
    mutants = write_mutants(project)

    build = run_build(project)

    assert build.returncode == 1, build.tail()
    assert not build.db_path.exists(), "a failed build must not be published"
    with duckdb.connect(str(build.built_db_path), read_only=True) as connection:
        rows = connection.execute(
            "select company_id, reported_figure_ids, derived_from_figure_ids from rpt_data_quality"
            f" where status in {FAILING}"
        ).fetchall()
    named: dict[str, set[str]] = {}
    for company, reported, derived in rows:
        for figure in f"{reported}, {derived or ''}".split(", "):
            named.setdefault(company, set()).add(figure)
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
