"""Fixtures: the project built as it is, and fresh copies of it to break (helpers in builds.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .builds import FIGURES_SEED, Build, Seed, copy_project, run_build


@pytest.fixture(scope="session")
def pristine_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The project as it is, built once per session."""
    return run_build(copy_project(tmp_path_factory.mktemp("pristine") / "kessan"))


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A fresh copy of the project, to break."""
    return copy_project(tmp_path / "kessan")


@pytest.fixture
def figures_seed(project_copy: Path) -> Seed:
    """The figures seed of the fresh copy."""
    return Seed(project_copy / FIGURES_SEED)
