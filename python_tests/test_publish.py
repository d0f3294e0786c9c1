"""Build, audit, publish with real processes: readers during a build, a failed build, two builds at once,
rollback; and the publish step's own rules (one previous generation, adopting an unpublished file, the lock)
on small hand-made releases.

The process tests share one copy of the session's pristine build, with its published warehouse (generation
1), then, in file order: a build published while a reader holds the old file, a poller opens new connections
and a second build starts at the same moment (generation 2), and rollbacks. They run in one process, in this
order (pytest-xdist's `loadscope`: a module's tests run together). A failed build (the session's
`failed_build`, which fails validation) must leave the published files as they were. Every wait is bounded.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from kessan.publish import BUSY_EXIT, Warehouse, locked, new_build_id, prepare_staging, sha256, switch

from .builds import PROJECT_DIR, Build, copy_built, finish_build, start_build

TIMEOUT = 60  # seconds to wait for a helper process's line or exit
BUILD_ID = "select any_value(build_id) from rpt_data_quality"  # dbt's invocation id: differs every build

# Holds one read-only connection from before the build until told to stop, querying it all along.
READER = textwrap.dedent(
    """
    import duckdb, json, pathlib, sys, time
    stop = pathlib.Path(sys.argv[2])
    connection = duckdb.connect(sys.argv[1], read_only=True)
    query = "select any_value(build_id), count(*), sum(residual) from rpt_data_quality"
    first = json.dumps(connection.execute(query).fetchone(), default=str)
    print("ready", first, flush=True)
    seen = {first}
    while not stop.exists():
        seen.add(json.dumps(connection.execute(query).fetchone(), default=str))
        time.sleep(0.05)
    print(json.dumps(sorted(seen)), flush=True)
    """
)
# Opens a new connection every few milliseconds, as BI tools do, and checks that the release `current`
# points at is one build: its manifest names the database's build.
POLLER = textwrap.dedent(
    f"""
    import duckdb, json, pathlib, sys, time
    db, stop = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    def build_id(path):
        with duckdb.connect(str(path), read_only=True) as connection:
            return connection.execute("{BUILD_ID}").fetchone()[0]
    ids, errors, mixed = [], [], 0
    print("ready", flush=True)
    while not stop.exists():
        try:
            ids.append(build_id(db))
            release = (db.parent / "current").resolve()
            manifest = json.loads((release / "manifest.json").read_text())
            mixed += manifest["dbt_invocation_id"] != build_id(release / db.name)
        except Exception as error:
            errors.append(repr(error))
        time.sleep(0.02)
    changes = [build for n, build in enumerate(ids) if n == 0 or ids[n - 1] != build]
    print(json.dumps({{"opens": len(ids), "sequence": changes, "errors": errors[:5], "mixed": mixed}}), flush=True)
    """
)


def published_files(db_path: Path) -> dict[str, str]:
    """sha256 of every published file, and where current and previous point."""
    root = db_path.parent
    files = [db_path, root / "manifest.json", *sorted((root / "parquet").glob("*.parquet"))]
    state = {str(path.relative_to(root)): sha256(path) for path in files}
    return state | {link: os.readlink(root / link) for link in ("current", "previous") if (root / link).is_symlink()}


def build_id_of(db_path: Path) -> str:
    """The dbt invocation id of the build a new read-only connection sees."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute(BUILD_ID).fetchone()[0]  # type: ignore[index]


def read_line(process: subprocess.Popen[str], timeout: float = TIMEOUT) -> str:
    """The next line a helper prints, waiting at most `timeout` seconds."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        assert selector.select(timeout), f"no line within {timeout} s"
    return process.stdout.readline()


def helper(code: str, *args: str) -> tuple[subprocess.Popen[str], str]:
    """Start a helper script; (the process, the rest of its first line, once it said it is ready)."""
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=PROJECT_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    ready, _, rest = read_line(process).partition(" ")
    assert ready.strip() == "ready", ready
    return process, rest.strip()


def rollback(db_path: Path) -> subprocess.CompletedProcess[str]:
    """`make rollback` for the warehouse published at `db_path`."""
    return subprocess.run(
        [sys.executable, "-m", "kessan", "rollback"],
        cwd=PROJECT_DIR,
        env={**os.environ, "KESSAN_DB_PATH": str(db_path)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


@pytest.fixture(scope="module")
def generation_1(pristine_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A copy of the project with one published build."""
    assert pristine_build.returncode == 0, pristine_build.tail()
    return copy_built(pristine_build, tmp_path_factory.mktemp("publish") / "kessan")


def test_a_failed_build_leaves_the_published_files_unchanged(pristine_build: Build, failed_build: Build) -> None:
    before = published_files(pristine_build.db_path)  # what the failed build's copy had published
    after = published_files(failed_build.db_path)
    print(f"sha256 of the published database before the failed build: {before['kessan.duckdb']}")
    print(f"sha256 of the published database after the failed build:  {after['kessan.duckdb']}")

    assert failed_build.returncode == 1, failed_build.tail()
    assert (
        "kessan build: NOT PUBLISHED: dbt's data tests failed and the Great Expectations validation failed."
        in failed_build.output
    )
    assert f"still build {pristine_build.build_id}" in failed_build.output
    assert after == before
    assert failed_build.built_db_path.is_file() and ".staging" in failed_build.built_db_path.parts  # kept


@dataclass(frozen=True)
class Publication:
    """Generation 2, built by the first of two builds started at once while readers hold and open the file."""

    old_build_id: str  # dbt invocation ids, as rpt_data_quality.build_id
    new_build_id: str
    reader_first: str
    reader_seen: list[str]
    poller: dict[str, object]
    builds: list[Build]


@pytest.fixture(scope="module")
def generation_2(generation_1: Build) -> Iterator[Publication]:
    project, db_path = generation_1.project_dir, generation_1.db_path
    stop = project / "stop_readers"
    old_build_id = build_id_of(db_path)
    reader, first = helper(READER, str(db_path), str(stop))
    poller, _ = helper(POLLER, str(db_path), str(stop))
    started = [start_build(project), start_build(project)]  # at the same moment: one must stop at once
    try:
        builds = [finish_build(project, process) for process in started]
    finally:
        stop.touch()
        reader_output, _ = reader.communicate(timeout=TIMEOUT)
        poller_output, _ = poller.communicate(timeout=TIMEOUT)
        stop.unlink()
    yield Publication(
        old_build_id=old_build_id,
        new_build_id=build_id_of(db_path),
        reader_first=first,
        reader_seen=json.loads(reader_output),
        poller=json.loads(poller_output),
        builds=builds,
    )


def test_one_of_two_simultaneous_builds_publishes_the_other_stops_with_a_clear_message(
    generation_2: Publication,
) -> None:
    published = [build for build in generation_2.builds if build.returncode == 0]
    stopped = [build for build in generation_2.builds if build.returncode == BUSY_EXIT]
    assert len(published) == len(stopped) == 1, [build.tail(5) for build in generation_2.builds]
    assert "kessan build: PUBLISHED build" in published[0].output
    message = stopped[0].output.strip().splitlines()[-1]
    assert message.startswith("kessan build: NOT STARTED: the warehouse is locked by make build (pid"), message
    assert "nothing was changed" in message and ".build.lock" in message
    # Nothing corrupted: the published database is the one its manifest describes, and opens.
    db_path = published[0].db_path
    manifest = json.loads((db_path.parent / "manifest.json").read_text())
    assert manifest["build_id"] == published[0].build_id
    assert manifest["database"]["sha256"] == sha256(db_path)
    assert manifest["dbt_invocation_id"] == generation_2.new_build_id
    assert not list((db_path.parent / ".staging").iterdir())


def test_a_reader_keeps_its_snapshot_while_a_build_publishes(generation_2: Publication) -> None:
    assert generation_2.new_build_id != generation_2.old_build_id
    assert json.loads(generation_2.reader_first)[0] == generation_2.old_build_id
    assert generation_2.reader_seen == [generation_2.reader_first]


def test_new_connections_see_the_old_build_then_the_new_one_never_a_mixture(generation_2: Publication) -> None:
    poller = generation_2.poller
    assert poller["errors"] == [] and poller["mixed"] == 0, poller
    assert poller["sequence"] == [generation_2.old_build_id, generation_2.new_build_id], poller
    assert isinstance(poller["opens"], int) and poller["opens"] > 50, poller


def test_rollback_restores_the_previous_generation_and_undoes_itself(
    generation_1: Build, generation_2: Publication
) -> None:
    db_path = generation_1.db_path
    releases = db_path.parent / "releases"
    first, second = generation_1.build_id, next(b.build_id for b in generation_2.builds if b.returncode == 0)
    assert sorted(path.name for path in releases.iterdir()) == sorted([first, second])

    rolled_back = rollback(db_path)
    assert rolled_back.returncode == 0, rolled_back.stdout + rolled_back.stderr
    assert f"is build {first} again (was {second})" in rolled_back.stdout
    assert build_id_of(db_path) == generation_2.old_build_id
    assert json.loads((db_path.parent / "manifest.json").read_text())["build_id"] == first
    assert (db_path.parent / "parquet").resolve() == releases / first / "parquet"

    undone = rollback(db_path)
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert build_id_of(db_path) == generation_2.new_build_id
    assert os.readlink(db_path.parent / "previous") == f"releases/{first}"


# The publish step on hand-made releases: a staging folder with a one-table database.


def stage(warehouse: Warehouse, generation: int) -> Path:
    """A staging folder as a build leaves it, whose database says which generation it is."""
    staging = prepare_staging(warehouse, new_build_id())
    with duckdb.connect(str(staging / warehouse.db_path.name)) as connection:
        connection.execute(f"create table generation as select {generation} as generation")
    (staging / "manifest.json").write_text(json.dumps({"generation": generation}))
    return staging


def generation_of(db_path: Path) -> int:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return connection.execute("select generation from generation").fetchone()[0]  # type: ignore[index]


def test_three_publishes_keep_the_current_and_one_previous_generation(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "warehouse" / "kessan.duckdb")
    ids = []
    for generation in (1, 2, 3):
        staging = stage(warehouse, generation)
        ids.append(staging.name)
        assert switch(warehouse, staging).replaced == (ids[-2] if generation > 1 else None)
        assert generation_of(warehouse.db_path) == generation
        if generation == 1:
            reader = duckdb.connect(str(warehouse.db_path), read_only=True)
    assert sorted(path.name for path in warehouse.releases.iterdir()) == sorted(ids[1:])
    # Generation 1 is deleted, but the reader that opened it still reads it.
    assert reader.execute("select generation from generation").fetchone() == (1,)
    reader.close()
    assert os.readlink(warehouse.current) == f"releases/{ids[2]}"
    assert os.readlink(warehouse.previous) == f"releases/{ids[1]}"
    assert {name: os.readlink(warehouse.root / name) for name in warehouse.entries()} == warehouse.entries()


def test_a_database_file_from_before_publishing_becomes_the_previous_generation(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "warehouse" / "kessan.duckdb")
    warehouse.root.mkdir()
    with duckdb.connect(str(warehouse.db_path)) as connection:
        connection.execute("create table generation as select 0 as generation")
    reader = duckdb.connect(str(warehouse.db_path), read_only=True)

    replaced = switch(warehouse, stage(warehouse, 1)).replaced

    assert replaced is not None and replaced.endswith("-unpublished")
    assert warehouse.db_path.is_symlink() and generation_of(warehouse.db_path) == 1
    assert reader.execute("select generation from generation").fetchone() == (0,)  # its file is intact
    reader.close()
    assert generation_of(warehouse.releases / replaced / warehouse.db_path.name) == 0


def test_rollback_without_a_previous_generation_changes_nothing(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "warehouse" / "kessan.duckdb")
    switch(warehouse, stage(warehouse, 1))
    before = os.readlink(warehouse.current)
    outcome = rollback(warehouse.db_path)
    assert outcome.returncode == 1 and "nothing to roll back to" in outcome.stdout
    assert os.readlink(warehouse.current) == before


def test_the_lock_admits_one_build_or_rollback_at_a_time(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "warehouse" / "kessan.duckdb")
    holder, _ = helper(
        "import sys, pathlib; from kessan.publish import Warehouse, locked\n"
        "with locked(Warehouse(pathlib.Path(sys.argv[1])), 'a test'):\n"
        "    print('ready', flush=True); sys.stdin.read()",
        str(warehouse.db_path),
    )
    try:
        outcome = rollback(warehouse.db_path)
    finally:
        holder.kill()
        holder.wait(TIMEOUT)
    assert outcome.returncode == BUSY_EXIT, outcome.stdout
    assert f"locked by a test (pid {holder.pid}" in outcome.stdout
    with locked(warehouse, "this test"):  # released when its holder died
        pass
