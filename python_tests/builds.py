"""Builds of a copy of the project (as `make build` does) in a temporary folder, and seed editing.

A copy carries the saved parse of the build it comes from (target/partial_parse.msgpack: kessan.build gives
dbt the same paths in every copy, so dbt re-parses only the files that differ). `copy_built` copies a built
project with its published warehouse, so that a test that needs a warehouse of its own does not build one.
Every build runs `python -m kessan build` with this interpreter, in a copy of the project, with its
published DuckDB file in the copy (KESSAN_DB_PATH = <copy>/warehouse/kessan.duckdb), so the tests never
touch warehouse/ or target/ and run while someone else builds the real project. A build writes its
database in the copy's warehouse/.staging/<build id>/ and publishes it only if everything passed
(kessan.publish): `Build.built_db_path` is the database a build wrote, published or not.
"""

from __future__ import annotations

import calendar
import csv
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from kessan.conventions import DEFAULT_DB_PATH
from kessan.publish import (
    BUILD_DB_VARIABLE,
    BUILD_TARGET,
    BUILDING,
    MANIFEST,
    Warehouse,
    dbt_path,
    sources_sha256,
)

PROJECT_DIR = Path(__file__).resolve().parents[1]
# Top-level entries of the project that a build neither needs nor may share.
NOT_COPIED = {".venv", ".venv-spark", "target", "logs", "warehouse", ".git", "build", "dbt_packages", "node_modules"}
CACHES = {"__pycache__", ".pytest_cache", ".ruff_cache"}
FIGURES_SEED = Path("seeds/reported_figures.csv")
SAVED_PARSE = Path("target/partial_parse.msgpack")
DATA_DOCS = Path("build/data_docs")  # kessan.validate's default
BUILD_OUTPUT = Path("build/build_output.txt")  # `make test` saves its build's output there
BUILD_TIMEOUT = 900  # seconds; a build of the project takes well under a minute, the mutation build a few
STAGED = re.compile(rf"^{re.escape(BUILDING)} (\S+) into (.+)$", re.M)


@dataclass(frozen=True)
class Build:
    """The outcome of `python -m kessan build` in a copy of the project."""

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

    def save(self, path: Path) -> None:
        record = {**asdict(self), "project_dir": str(self.project_dir), "db_path": str(self.db_path)}
        path.write_text(json.dumps(record))

    @classmethod
    def load(cls, path: Path) -> Build:
        record = json.loads(path.read_text())
        return cls(Path(record["project_dir"]), Path(record["db_path"]), record["returncode"], record["output"])


def copy_project(destination: Path) -> Path:
    """Copy the project, without its venv, build outputs, warehouse and git folder, to `destination`."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        top_level = NOT_COPIED if Path(directory) == PROJECT_DIR else set()
        return {name for name in names if name in top_level or name in CACHES}

    shutil.copytree(PROJECT_DIR, destination, ignore=ignore)
    if (PROJECT_DIR / "node_modules").is_dir():  # the Data Docs' pinned scripts: shared, not copied (100 MB)
        (destination / "node_modules").symlink_to(PROJECT_DIR / "node_modules", target_is_directory=True)
    copy_saved_parse(PROJECT_DIR, destination)
    return destination


def copy_saved_parse(source: Path, destination: Path) -> None:
    """dbt's saved parse of `source`, if it has one (a parse for another target is simply not used)."""
    if (source / SAVED_PARSE).is_file():
        (destination / SAVED_PARSE).parent.mkdir(exist_ok=True)
        shutil.copyfile(source / SAVED_PARSE, destination / SAVED_PARSE)


def copy_built(build: Build, destination: Path, with_outputs: bool = False, current_only: bool = False) -> Build:
    """A copy of a built project with its warehouse (releases, links, staging) and its dbt artifacts (target/:
    the saved parse, the semantic manifest mf reads): the same build, published (or not) in another folder.
    Its outputs (build/: the Data Docs) are copied only `with_outputs`; `current_only` copies the published
    build alone (no previous generation, nothing else the warehouse folder holds)."""
    copy_project(destination)
    source = build.project_dir / "warehouse"
    warehouse = Warehouse(source / published_path(destination).name)
    current = warehouse.release_of(warehouse.current)

    def ignore(folder: str, names: list[str]) -> set[str]:
        if not current_only:
            return set()
        if Path(folder) == source:
            return {name for name in names if name not in ("releases", "current", *warehouse.entries())}
        return {name for name in names if name != current} if Path(folder) == source / "releases" else set()

    shutil.copytree(source, destination / "warehouse", symlinks=True, ignore=ignore)
    (destination / "warehouse" / ".build.lock").unlink(missing_ok=True)
    # What mf reads and the saved parse; not target/docs/, which `make docs` may be writing (make test).
    source_target = build.project_dir / "target"
    shutil.copytree(
        source_target,
        destination / "target",
        dirs_exist_ok=True,
        ignore=lambda folder, names: {"docs"} if Path(folder) == source_target else set(),
    )
    if with_outputs and (build.project_dir / DATA_DOCS).is_dir():
        shutil.copytree(build.project_dir / DATA_DOCS, destination / DATA_DOCS)
    return Build(destination, published_path(destination), build.returncode, build.output)


def reusable_build() -> Build | None:
    """The project's own published build, when it is a build of the project as it is: `make test` builds the
    warehouse before pytest, saving the output to BUILD_OUTPUT, and the tests need not build it again.

    It is reused only when its manifest's `sources_sha256` is the project's now, the saved output is the
    output of that very build (it names its build id) and reports it published, and KESSAN_DB_PATH does not
    point elsewhere; otherwise None, and the tests build their own.
    """
    db_path = PROJECT_DIR / DEFAULT_DB_PATH
    manifest_path, output_path = db_path.parent / MANIFEST, PROJECT_DIR / BUILD_OUTPUT
    if "KESSAN_DB_PATH" in os.environ or not manifest_path.is_file() or not output_path.is_file():
        return None
    manifest, output = json.loads(manifest_path.read_text()), output_path.read_text()
    published = f"kessan build: PUBLISHED build {manifest.get('build_id')} "
    if manifest.get("sources_sha256") != sources_sha256(PROJECT_DIR) or published not in output:
        return None
    return Build(PROJECT_DIR, db_path, 0, output)


def shared(folder: Path, make: Callable[[Path], Build]) -> Build:
    """The build `make(folder)` made, made once for all the test processes that ask for it (pytest-xdist's
    workers): the first to ask makes it while the others wait; later ones read it back."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with folder.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = folder.with_suffix(".json")
        if record.is_file():
            return Build.load(record)
        build = make(folder)
        build.save(record)
        return build


def add_company_copies(project: Path, companies: Iterable[str], source: str = "iij") -> None:
    """Append a copy of company `source` under each name: its documents (`source`'s document ids with the
    company's name in place of `source`'s) and their slides, its figures, its companies row, its documented
    exceptions (under their own check ids). Each copy's figures are in one block, in the order of the source's."""
    companies = list(companies)
    figures = Seed(project / FIGURES_SEED)
    records = [record for _, record in figures.records() if record["company_id"] == source]
    catalogue = Seed(project / "seeds" / "companies.csv")
    documents = Seed(project / "seeds" / "source_documents.csv")
    slides = Seed(project / "seeds" / "slides.csv")
    exceptions = Seed(project / "seeds" / "reconciliation_exceptions.csv")
    own_documents = [record for _, record in documents.records() if record["company_id"] == source]
    document_ids = {record["document_id"] for record in own_documents}
    own_slides = [record for _, record in slides.records() if record["document_id"] in document_ids]
    documented = [record for _, record in exceptions.records() if f"|{source}:" in record["check_id"]]
    template = catalogue.record(catalogue.find(company_id=source))

    def renamed(document_id: str, company: str) -> str:
        return document_id.replace(source, company, 1) if document_id.startswith(source) else f"{company}-{document_id}"

    def renamed_check(check_id: str, company: str) -> str:
        check_id = check_id.replace(f"|{source}:", f"|{company}:").replace(f"+{source}:", f"+{company}:")
        for document_id in document_ids:
            check_id = check_id.replace(f"@{document_id}/", f"@{renamed(document_id, company)}/")
        return check_id

    documents.append(
        documents.render({**record, "company_id": company, "document_id": renamed(record["document_id"], company)})
        for company in companies
        for record in own_documents
    )
    slides.append(
        slides.render({**record, "document_id": renamed(record["document_id"], company)})
        for company in companies
        for record in own_slides
    )
    figures.append(
        figures.render({**record, "company_id": company, "document_id": renamed(record["document_id"], company)})
        for company in companies
        for record in records
    )
    catalogue.append(catalogue.render({**template, "company_id": company}) for company in companies)
    exceptions.append(
        exceptions.render({**record, "check_id": renamed_check(record["check_id"], company)})
        for company in companies
        for record in documented
    )


def set_fiscal_calendar(project: Path, company: str, year_end_month: int, named_by: str) -> None:
    """Give `company` (a row of seeds/companies.csv) another fiscal year end and naming (`start` or `end`)."""
    catalogue = Seed(project / "seeds" / "companies.csv")
    line = catalogue.find(company_id=company)
    changed = {"fiscal_year_end_month": str(year_end_month), "fiscal_year_named_by": named_by}
    catalogue.replace(line, [catalogue.render({**catalogue.record(line), **changed})])


def shift_dated_figures(project: Path, company: str, months: int) -> int:
    """Move every figure of `company` dated at a day (period an ISO date: balance sheets, KPIs at a date) by
    `months`, a month end staying a month end (2018-03-31 - 3 months = 2017-12-31), and its documented
    exceptions' check ids with them; how many figures moved."""
    figures = Seed(project / FIGURES_SEED)
    lines = figures.path.read_text(encoding="utf-8").splitlines(keepends=True)
    moved = 0
    for line, record in figures.records():
        if record["company_id"] != company or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["period"]):
            continue
        lines[line - 1] = figures.render({**record, "period": shifted_date(record["period"], months)})
        moved += 1
    figures.path.write_text("".join(lines), encoding="utf-8")
    exceptions = Seed(project / "seeds" / "reconciliation_exceptions.csv")
    lines = exceptions.path.read_text(encoding="utf-8").splitlines(keepends=True)
    dated = re.compile(rf"([|+]{re.escape(company)}:)(\d{{4}}-\d{{2}}-\d{{2}})(?=:)")
    for line, record in exceptions.records():
        check_id = dated.sub(lambda match: match.group(1) + shifted_date(match.group(2), months), record["check_id"])
        lines[line - 1] = exceptions.render({**record, "check_id": check_id})
    exceptions.path.write_text("".join(lines), encoding="utf-8")
    return moved


def shifted_date(day: str, months: int) -> str:
    """An ISO date `months` later (earlier if negative); a month end stays a month end."""
    year, month, date = (int(part) for part in day.split("-"))
    index = year * 12 + month - 1 + months
    new_year, new_month = divmod(index, 12)
    last = calendar.monthrange(new_year, new_month + 1)[1]
    month_end = date == calendar.monthrange(year, month)[1]
    return f"{new_year:04d}-{new_month + 1:02d}-{(last if month_end else min(date, last)):02d}"


def append_figures(project: Path, company: str, figures: Iterable[tuple[str, str, str, str, str]]) -> None:
    """Append printed figures of `company`, each (slide_id, line_item_id, period, printed_value, unit_id), actual
    values, of the company's document (as its first figure names it)."""
    seed = Seed(project / FIGURES_SEED)
    document = next(record["document_id"] for _, record in seed.records() if record["company_id"] == company)
    common = {**dict.fromkeys(seed.header(), ""), "company_id": company, "document_id": document}
    fields = ("slide_id", "line_item_id", "period", "printed_value", "unit_id")
    seed.append(
        seed.render({**common, **dict(zip(fields, figure, strict=True)), "scenario": "actual", "basis": "value"})
        for figure in figures
    )


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
    """Start `python -m kessan build` in `project_dir` (its warehouse folder may not exist yet)."""
    return subprocess.Popen(
        [sys.executable, "-m", "kessan", "build", *args],
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
    """Run `python -m kessan build` in `project_dir` and wait for it."""
    return finish_build(project_dir, start_build(project_dir, *args))


def run_dbt_build(project_dir: Path, *args: str) -> Build:
    """`dbt build --full-refresh [args]` alone, as kessan.build runs it (same target, same path, so the saved
    parse carries over), without the validation and the publish step; `built_db_path` is the database it
    wrote."""
    building = Warehouse(published_path(project_dir)).building
    building.mkdir(parents=True, exist_ok=True)
    dbt_db_path = dbt_path(project_dir, building / published_path(project_dir).name)
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--full-refresh", "--target", BUILD_TARGET, *args],
        cwd=project_dir,
        env={**environment(project_dir), BUILD_DB_VARIABLE: dbt_db_path},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    output = f"{BUILDING} dbt-only into {project_dir / dbt_db_path}\n{completed.stdout}"
    (project_dir / "build_output.txt").write_text(output)
    return Build(project_dir, published_path(project_dir), completed.returncode, output)


@dataclass
class Seed:
    """A seed CSV of a project copy, to edit. Line numbers are the file's (header = line 1)."""

    path: Path

    def header(self) -> list[str]:
        with self.path.open(newline="", encoding="utf-8") as handle:
            return next(csv.reader(handle))

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """(line the record starts on, its fields by column) for every data record."""
        with self.path.open(newline="", encoding="utf-8") as handle:
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
        return self.path.read_text(encoding="utf-8").splitlines(keepends=True)[line - 1]

    def record(self, line: int) -> dict[str, str]:
        """The fields of the one-line record at `line`."""
        return dict(zip(self.header(), next(csv.reader([self.raw(line)])), strict=True))

    def render(self, record: dict[str, str]) -> str:
        """A record as a CSV line, quoting only the fields that need it (as the seed does)."""

        def field(value: str) -> str:
            return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value

        return ",".join(field(record[column]) for column in self.header()) + "\n"

    def append(self, lines: Iterable[str]) -> None:
        with self.path.open("a", encoding="utf-8") as handle:
            handle.writelines(lines)

    def replace(self, line: int, new_lines: list[str]) -> None:
        """Replace a line with `new_lines` (none: delete it)."""
        lines = self.path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[line - 1 : line] = new_lines
        self.path.write_text("".join(lines), encoding="utf-8")


EXAMPLES = PROJECT_DIR / "examples" / "next_documents"
EXAMPLE_SEEDS = ("companies", "source_documents", "slides", "reported_figures")


def add_next_documents(project: Path) -> None:
    """Append examples/next_documents/ to the project's seeds, as its README says: each file's rows, not its header."""
    for name in EXAMPLE_SEEDS:
        rows = (EXAMPLES / f"{name}.csv").read_text(encoding="utf-8").splitlines()[1:]
        Seed(project / "seeds" / f"{name}.csv").append(f"{row}\n" for row in rows)
