"""Fixtures: the project built once per test session, and copies of it to break or to publish again.

pytest runs on several processes (pytest-xdist, `make pytest`): the builds every module may read are made
once for all of them (`shared`), in the session's common temporary folder. A test that writes (runs dbt, a
build, a rollback) works in a copy of its own: `copy_built` copies a built project with its warehouse in
well under a second.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .builds import (
    FIGURES_SEED,
    Build,
    Seed,
    add_company_copies,
    add_next_documents,
    append_figures,
    copy_built,
    copy_project,
    reusable_build,
    run_build,
    set_fiscal_calendar,
    shared,
    shift_dated_figures,
)

# Modules in this order, the longest first, so that the two processes end together (pytest-xdist sends whole
# modules, in collection order): each module's own build or commands, measured on two loaded cores.
MODULE_ORDER = ("test_identities", "test_faults_gate", "test_next_documents", "test_by_company", "test_calendars",
                "test_synthetic", "test_publish", "test_semantic_layer", "test_bi_access", "test_printed_conventions",
                "test_gx_duckdb_route", "test_docs", "test_validate", "test_build", "test_report")  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: position for position, name in enumerate(MODULE_ORDER)}
    items.sort(key=lambda item: rank.get(item.module.__name__.rsplit(".", 1)[-1], len(MODULE_ORDER)))  # stable


def session_folder(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The temporary folder all of this session's processes share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(request.config, "workerinput") else base


@pytest.fixture(scope="session")
def pristine_build(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Build:
    """The project as it is, built and published once per session (or `make test`'s own build of it, copied:
    builds.reusable_build; its published build alone, not the project warehouse's previous generation or other
    entries). Read it; never write in it."""

    def make(folder: Path) -> Build:
        reusable = reusable_build()
        return (
            copy_built(reusable, folder, with_outputs=True, current_only=True)
            if reusable
            else run_build(copy_project(folder))
        )

    return shared(session_folder(tmp_path_factory, request) / "pristine", make)


# The one build that fails the Great Expectations validation, shared by the tests of its messages
# (test_identities) and of what a failed build leaves published (test_publish): in a copy of the pristine
# build, 3Q17 revenue raised by 10 (44,624 -> 44,634, the README's example) and the FY16 adjusted EBITDA
# printed 16.0 instead of 16.1, which makes its documented exception reconcile again (stale).
REVENUE_3Q17 = {"slide_id": "III-2", "line_item_id": "revenue", "period": "FY2017-Q3", "basis": "value"}
EBITDA_FY16 = {"slide_id": "III-1", "line_item_id": "adjusted_ebitda", "period": "FY2016", "basis": "value"}
FAILED_BUILD_EDITS = ((REVENUE_3Q17, "44,624", "44,634"), (EBITDA_FY16, "16.1", "16.0"))


def build_failing_validation(pristine: Build, folder: Path) -> Build:
    project = copy_built(pristine, folder).project_dir
    seed = Seed(project / FIGURES_SEED)
    for figure, printed, changed in FAILED_BUILD_EDITS:
        line = seed.find(**figure)
        record = seed.record(line)
        assert record["printed_value"] == printed, record
        seed.replace(line, [seed.render({**record, "printed_value": changed})])
    return run_build(project)


@pytest.fixture(scope="session")
def failed_build(
    pristine_build: Build, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Build:
    """A copy of the pristine build, published, then built again with FAILED_BUILD_EDITS (fails validation)."""
    assert pristine_build.returncode == 0, pristine_build.tail()
    folder = session_folder(tmp_path_factory, request) / "failed"
    return shared(folder, lambda f: build_failing_validation(pristine_build, f))


@pytest.fixture
def built_copy(pristine_build: Build, tmp_path: Path) -> Build:
    """A copy of the pristine build with its published warehouse, to change."""
    assert pristine_build.returncode == 0, pristine_build.tail()
    return copy_built(pristine_build, tmp_path / "kessan")


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A fresh copy of the project, to break."""
    return copy_project(tmp_path / "kessan")


@pytest.fixture
def figures_seed(project_copy: Path) -> Seed:
    """The figures seed of the fresh copy."""
    return Seed(project_copy / FIGURES_SEED)


# The next documents and other calendars, in one build shared by test_next_documents and test_calendars: IIJ's
# FY2017 deck with examples/next_documents/ (IIJ's 1Q and 3Q FY2018 documents, the December-year `hoshi`), and
# two copies of IIJ's FY2017 deck: `decem`, a December-year company whose years are named by their end (its dated
# figures moved three months earlier, to its own year ends), and `ytdco`, which has reported FY2018-Q1 alone.
DECEMBER, IN_PROGRESS = "decem", "ytdco"
# FY2018-Q1 of the company with a year in progress: revenue, cost of revenues, SG&A/R&D (JPY million).
IN_PROGRESS_FY2018_Q1 = (
    ("III-2", "revenue", "FY2018-Q1", "45,123", "jpy_million"),
    ("III-3", "cost_of_revenue", "FY2018-Q1", "38,001", "jpy_million"),
    ("III-7", "sga_rd", "FY2018-Q1", "5,502", "jpy_million"),
)


def build_next_documents(pristine: Build, folder: Path) -> Build:
    project = copy_built(pristine, folder).project_dir
    add_company_copies(project, [DECEMBER, IN_PROGRESS])  # of the FY2017 deck, before the next documents
    set_fiscal_calendar(project, DECEMBER, 12, "end")
    assert shift_dated_figures(project, DECEMBER, -3) > 0
    append_figures(project, IN_PROGRESS, IN_PROGRESS_FY2018_Q1)
    add_next_documents(project)
    return run_build(project)


@pytest.fixture(scope="session")
def next_documents(
    pristine_build: Build, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Build:
    """The next documents and other calendars, built and published (see build_next_documents)."""
    assert pristine_build.returncode == 0, pristine_build.tail()
    folder = session_folder(tmp_path_factory, request) / "next_documents"
    return shared(folder, lambda f: build_next_documents(pristine_build, f))
