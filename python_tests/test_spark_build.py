"""`make build-spark` fails on a wrong figure and names it, on Spark alone: in a copy of the project with 3Q17
revenue raised by 10 (seed line 117: 44,624 -> 44,634), the Spark build's identity checks fail, and build-spark
exits 1 naming the figure and its seed line before any comparison with DuckDB.

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


def test_a_wrong_figure_fails_build_spark_naming_it(figures_seed: Seed) -> None:
    line = figures_seed.find(**TARGET)
    assert figures_seed.record(line)["printed_value"] == "44,624"
    figures_seed.replace(line, [figures_seed.render({**figures_seed.record(line), "printed_value": "44,634"})])
    project = figures_seed.path.parents[1]
    completed = subprocess.run(
        [str(SPARK_PYTHON), "-m", "kessan.spark_build"],
        cwd=project,
        env={**environment(project), "KESSAN_SPARK_DIR": str(project / "warehouse" / "spark")},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    output = completed.stdout + completed.stderr
    (project / "build_spark_output.txt").write_text(output)
    tail = "\n".join(output.splitlines()[-40:])
    assert completed.returncode == 1, tail
    assert "build-spark: FAILED: accounting-identity checks fail on Spark" in output, tail
    assert "FAIL quarters_sum_to_period: revenue FY2017 (actual, value)" in output, tail
    named = f"iij:FY2017-Q3:revenue:actual:value@III-2  (seeds/reported_figures.csv line {line}): in "
    assert named in output, tail
    assert "Spark vs DuckDB" not in output, tail
