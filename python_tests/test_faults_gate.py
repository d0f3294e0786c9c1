"""Faults at the gates: plain `dbt build` fails on a wrong figure, and the audit refuses a build that removes.

- Plain `dbt build`, as a CI job runs it (the venv's bin first on PATH, no argument, no DBT_TARGET, in a copy of
  the project): its default target is the development file target/kessan.duckdb; a figure raised by 10 and a
  documented exception that reconciles again fail it, and dbt's own output names the seed lines, the figure, the
  identity and the values (tests/assert_identity_checks_hold.sql, printed by macros/report_failures.sql). `dbt
  test`, `dbt build --select` and `dbt show` then work on that file, and `dbt show --target readonly` reads the
  published warehouse, which none of this changes.
- The audit (kessan.audit): deleting the one printed row of FY2017 dividends paid passes every test, but removes
  a figure, its checks and a row of fct_cash_flow from what is published: `make build` fails naming them and
  publishes nothing; `--allow-removal` publishes it, and the manifest records what went.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .builds import FIGURES_SEED, Build, Seed, environment, run_build
from .conftest import EBITDA_FY16, REVENUE_3Q17
from .faults import changes, published_state

DBT = Path(sys.executable).parent / "dbt"
DIVIDENDS_PAID = {"slide_id": "III-10", "line_item_id": "dividends_paid", "period": "FY2017", "basis": "value"}
DIVIDENDS_PAID_ID = "iij:FY2017:dividends_paid:actual:value@iij-fy2017-results/III-10"


def edit(project: Path, figure: dict[str, str], printed: str | None) -> int:
    """Change one printed value of the figures seed (None: delete the row); the line it was on."""
    seed = Seed(project / FIGURES_SEED)
    line = seed.find(**figure)
    record = seed.record(line)
    seed.replace(line, [] if printed is None else [seed.render({**record, "printed_value": printed})])
    return line


def plain_dbt(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`dbt <args>` as a user runs it in the project: the venv active, nothing else set."""
    env = {
        key: value
        for key, value in environment(project).items()
        if key not in ("DBT_PROFILES_DIR", "DBT_TARGET", "KESSAN_BUILD_DB_PATH", "KESSAN_REPORTS_FAILURES")
    }
    env["PATH"] = f"{DBT.parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        ["dbt", *args], cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_plain_dbt_build_fails_on_a_wrong_figure_naming_it(built_copy: Build) -> None:
    project = built_copy.project_dir
    before = published_state(project / "warehouse")
    revenue_line = edit(project, REVENUE_3Q17, "44,634")
    edit(project, EBITDA_FY16, "16.0")

    build = plain_dbt(project, "build")

    output = build.stdout + build.stderr
    assert build.returncode == 1, output[-3000:]
    assert (project / "target" / "kessan.duckdb").is_file()  # the default target: the development file
    assert "FAIL assert_identity_checks_hold" in output, output[-3000:]
    messages = [line.split("* ", 1)[1] for line in output.splitlines() if "  * reported_figures.csv" in line]
    sum_check = [m for m in messages if "revenue FY2017 (actual, value)" in m and "quarters_sum_to_period" in m]
    assert sum_check, messages
    assert f" {revenue_line}," in sum_check[0] and "reported 176051" in sum_check[0], sum_check
    assert "derived 176061" in sum_check[0] and "residual -10" in sum_check[0] and "> tolerance 2.5" in sum_check[0]
    stale = [m for m in messages if "adjusted_ebitda FY2016" in m]
    assert stale and "reconciles now: remove it from seeds/reconciliation_exceptions.csv" in stale[0], messages
    assert "Traceback" not in output
    assert changes(before, published_state(project / "warehouse")) == []

    # The other commands on the development file, and the published warehouse read-only.
    test = plain_dbt(project, "test", "--select", "assert_identity_checks_hold")
    assert test.returncode == 1 and "FAIL assert_identity_checks_hold" in test.stdout, test.stdout[-2000:]
    selected = plain_dbt(project, "build", "--select", "stg_companies")
    assert selected.returncode == 0, selected.stdout[-2000:]
    query = "select printed_value from {{ ref('stg_reported_figures') }} where seed_line = " + str(revenue_line)
    shown = plain_dbt(project, "show", "--inline", query)
    assert shown.returncode == 0 and "44,634" in shown.stdout, shown.stdout[-2000:]
    published = plain_dbt(project, "show", "--target", "readonly", "--inline", query)
    assert published.returncode == 0 and "44,624" in published.stdout, published.stdout[-2000:]
    assert changes(before, published_state(project / "warehouse")) == []


def test_audit_refuses_a_build_that_removes_what_is_published(built_copy: Build) -> None:
    project = built_copy.project_dir
    before = published_state(project / "warehouse")
    edit(project, DIVIDENDS_PAID, None)

    refused = run_build(project)

    assert refused.returncode == 1, refused.tail()
    assert "kessan build: OK" in refused.output, refused.tail()  # dbt and its tests passed
    assert "This build removes what build" in refused.output, refused.tail()
    assert f"figure {DIVIDENDS_PAID_ID} is published, and not in this build" in refused.output, refused.tail()
    assert "check retained_earnings_rollforward" in refused.output, refused.tail()
    assert "fct_cash_flow: " in refused.output and " rows published, " in refused.output, refused.tail()
    assert "NOT PUBLISHED: the audit found" in refused.output and "--allow-removal" in refused.output
    assert changes(before, published_state(project / "warehouse")) == []

    allowed = run_build(project, "--allow-removal")

    assert allowed.returncode == 0, allowed.tail()
    assert "removal allowed (--allow-removal)" in allowed.output, allowed.tail()
    manifest = json.loads((project / "warehouse" / "manifest.json").read_text())
    audit = manifest["audit"]
    assert audit["removal_allowed"] is True
    assert audit["compared_with"] == json.loads((built_copy.project_dir / "warehouse" / "previous" / "manifest.json")
                                                .read_text())["build_id"]  # fmt: skip
    assert DIVIDENDS_PAID_ID in audit["removed"]["figure"]["first"]
    assert audit["removed"]["check"]["count"] >= 1
    assert audit["fewer_rows"]["fct_cash_flow"]["built"] < audit["fewer_rows"]["fct_cash_flow"]["published"]
