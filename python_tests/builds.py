"""Builds of a copy of the project (as `make build` does) in a temporary folder, and seed editing.

Every build runs `python -m kessan.build` with this interpreter, in a copy of the project, with its
published DuckDB file in the copy (KESSAN_DB_PATH = <copy>/warehouse/kessan.duckdb), so the tests never
touch warehouse/ or target/ and run while someone else builds the real project. A build writes its
database in the copy's warehouse/.staging/<build id>/ and publishes it only if everything passed
(kessan.publish): `Build.built_db_path` is the database a build wrote, published or not.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kessan.publish import BUILDING

PROJECT_DIR = Path(__file__).resolve().parents[1]
# Top-level entries of the project that a build neither needs nor may share.
NOT_COPIED = {".venv", ".venv-spark", "target", "logs", "warehouse", ".git", "build", "dbt_packages", "node_modules"}
CACHES = {"__pycache__", ".pytest_cache", ".ruff_cache"}
FIGURES_SEED = Path("seeds/reported_figures.csv")
BUILD_TIMEOUT = 900  # seconds; a build of the project takes well under a minute, the mutation build a few
STAGED = re.compile(rf"^{re.escape(BUILDING)} (\S+) into (.+)$", re.M)


@dataclass(frozen=True)
class Build:
    """The outcome of `python -m kessan.build` in a copy of the project."""

    project_dir: Path
    db_path: Path  # the published database, what readers open
    returncode: int
    output: str  # stdout and stderr, interleaved

    @property
    def build_id(self) -> str:
        match = STAGED.search(self.output)
        assert match, f"the build did not say where it builds:\n{self.tail()}"
        return match.group(1)

    @property
    def built_db_path(self) -> Path:
        """The database this build wrote: its release once published, else where it was staged."""
        release = self.db_path.parent / "releases" / self.build_id / self.db_path.name
        match = STAGED.search(self.output)
        return release if release.is_file() else Path(match.group(2) if match else "")

    def tail(self, lines: int = 80) -> str:
        """The end of the output, for assertion messages."""
        return "\n".join(self.output.splitlines()[-lines:])


def copy_project(destination: Path) -> Path:
    """Copy the project, without its venv, build outputs, warehouse and git folder, to `destination`."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        top_level = NOT_COPIED if Path(directory) == PROJECT_DIR else set()
        return {name for name in names if name in top_level or name in CACHES}

    shutil.copytree(PROJECT_DIR, destination, ignore=ignore)
    if (PROJECT_DIR / "node_modules").is_dir():  # the Data Docs' pinned scripts: shared, not copied (100 MB)
        (destination / "node_modules").symlink_to(PROJECT_DIR / "node_modules", target_is_directory=True)
    return destination


def published_path(project_dir: Path) -> Path:
    """The published database of a project copy (its KESSAN_DB_PATH)."""
    return project_dir / "warehouse" / "kessan.duckdb"


def environment(project_dir: Path) -> dict[str, str]:
    """The environment of a command run in a project copy, as `make` sets it, with its own warehouse."""
    return {
        **os.environ,
        "KESSAN_DB_PATH": str(published_path(project_dir)),
        "DBT_PROFILES_DIR": str(project_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_USE_COLORS": "false",
        "GX_ANALYTICS_ENABLED": "false",
        "PYTHONPATH": str(project_dir),
    }


def start_build(project_dir: Path, *args: str) -> subprocess.Popen[str]:
    """Start `python -m kessan.build` in `project_dir` (its warehouse folder may not exist yet)."""
    return subprocess.Popen(
        [sys.executable, "-m", "kessan.build", *args],
        cwd=project_dir,
        env=environment(project_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish_build(project_dir: Path, process: subprocess.Popen[str], timeout: float = BUILD_TIMEOUT) -> Build:
    """Wait (at most `timeout` seconds) for a started build; its outcome, also in build_output.txt."""
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        output += f"\n(killed after {timeout} s)"
    (project_dir / "build_output.txt").write_text(output)
    return Build(project_dir, published_path(project_dir), process.returncode, output)


def run_build(project_dir: Path, *args: str) -> Build:
    """Run `python -m kessan.build` in `project_dir` and wait for it."""
    return finish_build(project_dir, start_build(project_dir, *args))


@dataclass
class Seed:
    """A seed CSV of a project copy, to edit. Line numbers are the file's (header = line 1)."""

    path: Path

    def header(self) -> list[str]:
        with self.path.open(newline="") as handle:
            return next(csv.reader(handle))

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """(line the record starts on, its fields by column) for every data record."""
        with self.path.open(newline="") as handle:
            reader = csv.DictReader(handle)
            records, line = [], 2
            for record in reader:
                records.append((line, record))
                line = reader.line_num + 1
        return records

    def find(self, **fields: str) -> int:
        """The line of the one record with these field values."""
        found = [line for line, record in self.records() if all(record[k] == v for k, v in fields.items())]
        assert len(found) == 1, f"{len(found)} records of {self.path.name} match {fields}"
        return found[0]

    def raw(self, line: int) -> str:
        """A line of the file as it is."""
        return self.path.read_text().splitlines(keepends=True)[line - 1]

    def record(self, line: int) -> dict[str, str]:
        """The fields of the one-line record at `line`."""
        return dict(zip(self.header(), next(csv.reader([self.raw(line)])), strict=True))

    def render(self, record: dict[str, str]) -> str:
        """A record as a CSV line, quoting only the fields that need it (as the seed does)."""

        def field(value: str) -> str:
            return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value

        return ",".join(field(record[column]) for column in self.header()) + "\n"

    def replace(self, line: int, new_lines: list[str]) -> None:
        """Replace a line with `new_lines` (none: delete it)."""
        lines = self.path.read_text().splitlines(keepends=True)
        lines[line - 1 : line] = new_lines
        self.path.write_text("".join(lines))
