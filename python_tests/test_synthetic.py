"""The synthetic generator (kessan.dev.synthetic) and the external Parquet path behind the staging models.

- The same arguments give the same files.
- The generator's breaks.csv names the CSV line of each broken figure.
- `make bench` at its smallest builds synthetic companies through `--vars '{external_dir: DIR}'`: every
  identity check of an unbroken company passes, the broken company fails a check naming its broken figure,
  and every identity is exercised (the bench asserts the catch at 1 to 10,000 companies). Its four companies have
  the four fiscal year ends, and the semantic layer's spine and metric tables hold them all (docs/decisions.md D25).
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb

from kessan.dev.synthetic import generate

from .builds import PROJECT_DIR


def test_same_arguments_same_files(tmp_path: Path) -> None:
    first = generate(3, 8, seed=5, breaks=1, out=tmp_path / "a", write_csv=True)
    second = generate(3, 8, seed=5, breaks=1, out=tmp_path / "b", write_csv=True)
    assert first["figures"] == second["figures"] > 0
    for name in ("reported_figures.csv", "breaks.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_breaks_csv_names_each_broken_line(tmp_path: Path) -> None:
    data = tmp_path / "synthetic"
    generate(12, 16, seed=3, breaks=3, out=data, write_csv=True)
    with (data / "breaks.csv").open(newline="") as handle:
        breaks = list(csv.DictReader(handle))
    assert len(breaks) == 3
    # The recorded seed line is the broken figure's line in the CSV written alongside the Parquet file.
    lines = (data / "reported_figures.csv").read_text().splitlines()
    for record in breaks:
        company, period, line_item = record["figure_id"].split(":")[:3]
        assert lines[int(record["seed_line"]) - 1].startswith(f"{company},{company}-fy")
        assert f",{line_item},{period}," in lines[int(record["seed_line"]) - 1]


def test_bench_prints_its_table(tmp_path: Path) -> None:
    """`make bench` small: 4 companies (one per fiscal year end), 16 quarters, every column measured, the break
    caught and nothing else failing, every identity exercised by the synthetic documents, and the metric tables right
    for every calendar."""
    out = tmp_path / "bench"
    bench = subprocess.run(
        [sys.executable, "-m", "kessan", "bench", "--sizes", "4", "--quarters", "16", "--out", str(out)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bench.returncode == 0, bench.stdout[-3000:] + bench.stderr[-3000:]
    rows = [line for line in (out / "results.md").read_text().splitlines() if line.startswith("| 4 x 16 |")]
    assert len(rows) == 1, bench.stdout
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    floor_models, floor_tests = (float(part) for part in cells[8].split(" + "))
    assert floor_models > 0 and floor_tests > 0  # the floor ran every model and data test the build ran
    assert float(cells[9]) > 1  # dbt cannot beat the SQL it runs
    assert cells[10] == "1 / 1"  # the broken company was caught
    # One more document, built by company (the bench checked that only its company's rows are new).
    (next_row,) = [line for line in (out / "results.md").read_text().splitlines() if "one more document" in line]
    next_cells = [cell.strip() for cell in next_row.strip("|").split("|")]
    assert next_cells[0] == "4 x 16, one more document (by company)"
    assert float(next_cells[2]) > 0 and float(next_cells[3]) > 0
    assert "every broken company caught, no false alarm" in bench.stdout

    # The failing checks name exactly the broken company's broken figure.
    with (out / "4" / "breaks.csv").open(newline="") as handle:
        breaks = list(csv.DictReader(handle))
    with duckdb.connect(str(out / "4" / "kessan.duckdb"), read_only=True) as con:
        failing = con.execute(
            "select company_id, reported_figure_ids || ', ' || coalesce(derived_from_figure_ids, '')"
            " from rpt_data_quality where is_failing"
        ).fetchall()
        identities = {row[0] for row in con.execute("select distinct identity_id from rpt_data_quality").fetchall()}
        year_ends = {row[0] for row in con.execute("select fiscal_year_end_month from dim_companies").fetchall()}
        # Every fiscal year of every company in the metric view: its own four quarters, summed.
        years = con.execute(
            """
            select
                count(*),
                count(*) filter (where views.quarters_reported = 4 and views.revenue = quarters.revenue)
            from mtr_income_statement_fiscal_year as views
            full join (
                select company_id, 'FY' || fiscal_year as fiscal_year, sum(revenue) as revenue
                from fct_income_statement_quarterly group by all
            ) as quarters
                on views.company_id = quarters.company_id and views.fiscal_year = quarters.fiscal_year
            """
        ).fetchone()
    assert year_ends == {3, 6, 9, 12}
    # The file is the first build's, without the document the bench held back: one company's last fiscal year.
    assert years == (4 * 4 - 1, 4 * 4 - 1), years
    named: dict[str, set[str]] = {}
    for company, figures in failing:
        named.setdefault(company, set()).update(figures.split(", "))
    assert set(named) == {record["company_id"] for record in breaks}
    for record in breaks:
        assert record["figure_id"] in named[record["company_id"]], record
    # Every identity of seeds/identities.csv is exercised by the synthetic documents.
    with (PROJECT_DIR / "seeds" / "identities.csv").open(newline="") as handle:
        assert identities == {record["identity_id"] for record in csv.DictReader(handle)}
