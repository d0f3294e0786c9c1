"""`make build-spark` fails on wrong input and names it, on Spark alone (before any comparison with DuckDB), in a
copy of the project with one figure of seeds/reported_figures.csv broken (3Q17 revenue, seed line 117):
- raised by 10 (44,624 -> 44,634): the Spark build's identity checks fail (rpt_data_quality), and build-spark
  names the failing checks and the figure with its seed line;
- printed as "12a": a data test fails on Spark, and build-spark prints its failing row, naming the seed line.

A Spark build takes minutes, so this runs only with KESSAN_SPARK_TESTS=1 and the Spark venv: `make test-spark`
(CI runs it after `make build-spark`); `make test` skips it.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from .builds import PROJECT_DIR, Seed, environment

SPARK_PYTHON = PROJECT_DIR / ".venv-spark" / "bin" / "python"
TARGET = {"slide_id": "III-2", "line_item_id": "revenue", "period": "FY2017-Q3", "basis": "value"}

pytestmark = pytest.mark.skipif(
    os.environ.get("KESSAN_SPARK_TESTS") != "1" or not SPARK_PYTHON.exists() or not shutil.which("java"),
    reason="a Spark build takes minutes: `make test-spark` runs this (KESSAN_SPARK_TESTS=1, .venv-spark, java)",
)


def build_spark_with(figures_seed: Seed, printed_value: str) -> tuple[int, int, str]:
    """Set the target figure's printed value, run build-spark in the copy: (seed line, exit status, output)."""
    line = figures_seed.find(**TARGET)
    assert figures_seed.record(line)["printed_value"] == "44,624"
    figures_seed.replace(line, [figures_seed.render({**figures_seed.record(line), "printed_value": printed_value})])
    project = figures_seed.path.parents[1]
    completed = subprocess.run(
        [str(SPARK_PYTHON), "-m", "kessan", "spark-build"],
        cwd=project,
        env={**environment(project), "KESSAN_SPARK_DIR": str(project / "warehouse" / "spark")},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    output = completed.stdout + completed.stderr
    (project / "build_spark_output.txt").write_text(output)
    return line, completed.returncode, output


def test_a_wrong_figure_fails_build_spark_naming_it(figures_seed: Seed) -> None:
    line, returncode, output = build_spark_with(figures_seed, "44,634")
    tail = "\n".join(output.splitlines()[-40:])
    assert returncode == 1, tail
    assert "build-spark: FAILED: accounting-identity checks fail on Spark" in output, tail
    assert "FAIL quarters_sum_to_period: revenue FY2017 (actual, value): reported 176051.000000 vs derived" in output
    figure = "iij:FY2017-Q3:revenue:actual:value@iij-fy2017-results/III-2"
    named = f"{figure}  (seeds/reported_figures.csv line {line}): in 2 failing"
    assert named in output, tail
    assert "Spark vs DuckDB" not in output, tail


def test_a_value_that_is_not_a_number_fails_build_spark_naming_its_line(figures_seed: Seed) -> None:
    line, returncode, output = build_spark_with(figures_seed, "12a")
    tail = "\n".join(output.splitlines()[-40:])
    assert returncode == 1, tail
    assert "build-spark: FAILED: dbt build on Spark" in output, tail
    failing_row = f"reported_figures.csv line {line}: iij revenue FY2017-Q3 (actual, value), slide III-2: printed_value"
    assert any(failing_row in row and "'12a' is not a number" in row for row in output.splitlines()), tail
    assert "Spark vs DuckDB" not in output, tail
