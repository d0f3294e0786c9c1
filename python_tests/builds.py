"""Builds of a copy of the project (as `make build` does) in a temporary folder, and seed editing.

Every build runs `python -m kessan.build` with this interpreter, in a copy of the project, with its
DuckDB file in the copy (KESSAN_DB_PATH), so the tests never touch warehouse/ or target/ and run
while someone else builds the real project.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
# Top-level entries of the project that a build neither needs nor may share.
NOT_COPIED = {".venv", "target", "logs", "warehouse", ".git", "build", "dbt_packages", "node_modules"}
CACHES = {"__pycache__", ".pytest_cache", ".ruff_cache"}
FIGURES_SEED = Path("seeds/reported_figures.csv")


@dataclass(frozen=True)
class Build:
    """The outcome of `python -m kessan.build` in a copy of the project."""

    project_dir: Path
    db_path: Path
    returncode: int
    output: str  # stdout and stderr, interleaved

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


def run_build(project_dir: Path, *args: str) -> Build:
    """Run `python -m kessan.build` in `project_dir`, with the DuckDB file in a folder that does not exist yet."""
    db_path = project_dir / "warehouse" / "kessan.duckdb"
    env = {
        **os.environ,
        "KESSAN_DB_PATH": str(db_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_USE_COLORS": "false",
        "PYTHONPATH": str(project_dir),
    }
    completed = subprocess.run(
        [sys.executable, "-m", "kessan.build", *args],
        cwd=project_dir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    (project_dir / "build_output.txt").write_text(completed.stdout)
    return Build(project_dir, db_path, completed.returncode, completed.stdout)


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
