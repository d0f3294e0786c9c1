"""Building by company (docs/decisions.md D36): `make build` recomputes only the companies whose inputs changed
since the published build, on a copy of it, and the result is the warehouse a full build gives.

One project, built three times after the pristine build (IIJ alone): a new company (`acme`, a copy of IIJ) arrives,
then IIJ's next documents and the December-year `hoshi` (examples/next_documents/, IIJ's restating its
comparatives), then the same inputs with --full-refresh. Each by-company build keeps the other companies' rows as
published (their rpt_data_quality.build_id is the build that computed them), and the last by-company build and
the full refresh hold the same relations, row for row (kessan.dev.snapshot). Below them, kessan.changes' decision
on its own, and the guard of the strategy: a model that reads an input without for_changed_companies stops the
build, naming itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from kessan.changes import Inputs, changes, fingerprints
from kessan.dev import snapshot
from kessan.publish import BUILD_DB_VARIABLE, BUILD_TARGET

from .builds import (
    Build,
    Seed,
    add_company_copies,
    add_next_documents,
    copy_built,
    environment,
    run_build,
)

NEW_COMPANY = "acme"


@dataclass(frozen=True)
class Published:
    """A build, with what it published as it was then (a later build replaces the release)."""

    build: Build
    manifest: dict
    build_ids: dict[str, str]  # company -> the build(s) that computed its rows of rpt_data_quality


@dataclass(frozen=True)
class Sequence:
    pristine: Published
    new_company: Published  # acme added
    next_documents: Published  # IIJ's next documents and hoshi added
    full_refresh: Published  # the same inputs, every company
    by_company_snapshot: Path  # the relations of next_documents' build
    full_snapshot: Path


def published_now(build: Build) -> Published:
    assert build.returncode == 0, build.tail()
    with duckdb.connect(str(build.db_path), read_only=True) as connection:
        rows = connection.execute(
            "select company_id, string_agg(distinct build_id, ', ') from rpt_data_quality group by company_id"
        ).fetchall()
    return Published(build, json.loads((build.db_path.parent / "manifest.json").read_text()), dict(rows))


@pytest.fixture(scope="module")
def sequence(pristine_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Sequence:
    folder = tmp_path_factory.mktemp("by_company")
    pristine = copy_built(pristine_build, folder / "kessan", current_only=True)
    first = published_now(pristine)
    project = pristine.project_dir
    add_company_copies(project, [NEW_COMPANY])
    new_company = published_now(run_build(project))
    add_next_documents(project)
    next_documents = published_now(run_build(project))
    by_company_snapshot = folder / "by_company"
    snapshot.export(next_documents.build.db_path, by_company_snapshot)
    full_refresh = published_now(run_build(project, "--full-refresh"))
    full_snapshot = folder / "full"
    snapshot.export(full_refresh.build.db_path, full_snapshot)
    return Sequence(first, new_company, next_documents, full_refresh, by_company_snapshot, full_snapshot)


def test_a_new_company_is_built_alone_and_the_others_keep_their_rows(sequence: Sequence) -> None:
    new = sequence.new_company
    assert f"kessan build: by company: 1 of 2 companies changed since the published build: {NEW_COMPANY}" in (
        new.build.output
    )
    assert "kessan build: PUBLISHED" in new.build.output
    assert new.manifest["built_by_company"] == [NEW_COMPANY]
    assert new.build_ids["iij"] == sequence.pristine.manifest["dbt_invocation_id"]  # IIJ's rows: the pristine's
    assert new.build_ids[NEW_COMPANY] == new.manifest["dbt_invocation_id"]
    assert set(new.manifest["inputs"]["companies"]) == {"iij", NEW_COMPANY}


def test_the_next_documents_rebuild_their_companies_only(sequence: Sequence) -> None:
    next_documents = sequence.next_documents
    output = next_documents.build.output
    assert "kessan build: by company: 2 of 3 companies changed since the published build: hoshi, iij" in output
    assert next_documents.manifest["built_by_company"] == ["hoshi", "iij"]
    ids = next_documents.build_ids
    assert ids[NEW_COMPANY] == sequence.new_company.manifest["dbt_invocation_id"]
    assert ids["iij"] == ids["hoshi"] == next_documents.manifest["dbt_invocation_id"]
    # The restatement reached the marts: IIJ's FY2017-Q1 revenue is the 1Q FY2018 document's.
    # (Its file is the previous generation now: the full refresh was published after it.)
    by_company_db = next_documents.build.db_path.parent / "previous" / next_documents.build.db_path.name
    assert Path(os.readlink(by_company_db.parent)).name == next_documents.build.build_id
    with duckdb.connect(str(by_company_db), read_only=True) as connection:
        (revenue,) = connection.execute(
            "select revenue from fct_income_statement_quarterly where fiscal_period_id = 'iij:FY2017-Q1'"
        ).fetchone()
    assert revenue == 41210


def test_a_full_refresh_gives_the_same_warehouse(sequence: Sequence) -> None:
    assert "kessan build: every company (3): --full-refresh" in sequence.full_refresh.build.output
    assert sequence.full_refresh.manifest["built_by_company"] is None
    assert snapshot.compare(sequence.by_company_snapshot, sequence.full_snapshot) == []


def test_a_model_that_reads_every_company_stops_a_build_by_company(sequence: Sequence, tmp_path: Path) -> None:
    """The strategy's guard: dim_documents without its for_changed_companies computes IIJ's and hoshi's rows in a
    build of acme alone; the build stops on that model, naming it, instead of doubling their rows."""
    project = copy_built(sequence.full_refresh.build, tmp_path / "kessan", current_only=True).project_dir
    model = project / "models" / "marts" / "dim_documents.sql"
    text = model.read_text()
    assert "{{ for_changed_companies() }}\n" in text
    model.write_text(text.replace("{{ for_changed_companies() }}\n", ""))
    db_path = tmp_path / "kessan.duckdb"  # a copy of the published file, as a build by company starts from
    shutil.copyfile(sequence.full_refresh.build.db_path, db_path)
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--target", BUILD_TARGET, "--select", "dim_documents",
         "--vars", json.dumps({"changed_companies": [NEW_COMPANY]})],
        cwd=project, env={**environment(project), BUILD_DB_VARIABLE: str(db_path)},
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    assert "dim_documents computed rows of companies other than the changed ones" in output, output
    assert "hoshi, iij" in output, output
    with duckdb.connect(str(db_path), read_only=True) as connection:  # the table as it was: no row doubled
        assert connection.execute("select count(*) - count(distinct document_id) from dim_documents").fetchone() == (0,)


def inputs(project_sha256: str = "code", orphans: int = 0, **companies: str) -> Inputs:
    return Inputs(project_sha256, dict(companies), orphans)


def published(now: Inputs) -> dict:
    return {"inputs": now.record()}


def test_what_changed_decides_between_a_build_by_company_and_a_full_one() -> None:
    before = inputs(iij="1", acme="2", hoshi="3")
    assert changes(published(before), inputs(iij="1", acme="9", hoshi="3")).companies == ["acme"]
    assert changes(published(before), inputs(iij="1", acme="2", hoshi="3", zeta="4")).companies == ["zeta"]
    assert changes(published(before), inputs(iij="1", acme="2")).companies == ["hoshi"]  # its rows are deleted
    full = {
        "no fingerprints": changes({"build_id": "x"}, before),
        "nothing published": changes(None, before),
        "code": changes(published(before), inputs("other code", iij="1", acme="9", hoshi="3")),
        "orphans": changes(published(before), inputs(orphans=2, iij="1", acme="9", hoshi="3")),
        "nothing changed": changes(published(before), before),
        "everything changed": changes(published(before), inputs(iij="7", acme="8", hoshi="9")),
    }
    for case, decision in full.items():
        assert decision.companies is None and decision.reason, case
    assert "code" in full["code"].reason and "no company" in full["orphans"].reason


def test_a_company_fingerprint_covers_its_rows_and_their_places(project_copy: Path) -> None:
    before = fingerprints(project_copy)
    add_company_copies(project_copy, [NEW_COMPANY])
    added = fingerprints(project_copy)
    assert added.project_sha256 == before.project_sha256  # company seeds are not the project's code
    assert added.companies["iij"] == before.companies["iij"] and NEW_COMPANY in added.companies
    # One printed value of the new company edited: its fingerprint alone changes.
    figures = Seed(project_copy / "seeds" / "reported_figures.csv")
    line = figures.find(company_id=NEW_COMPANY, line_item_id="revenue", period="FY2017-Q3", basis="value")
    figures.replace(line, [figures.render({**figures.record(line), "printed_value": "44,625"})])
    edited = fingerprints(project_copy)
    assert edited.companies["iij"] == added.companies["iij"]
    assert edited.companies[NEW_COMPANY] != added.companies[NEW_COMPANY]
    # A line item added: the project's own seed, so a full build.
    Seed(project_copy / "seeds" / "line_items.csv").append(
        ["extra_item,Extra,income_statement,duration,,1,999,false,x\n"]
    )
    assert fingerprints(project_copy).project_sha256 != edited.project_sha256
