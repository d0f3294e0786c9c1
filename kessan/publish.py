"""Publish a built and validated warehouse in one atomic step; keep one previous generation; roll back.

Usage (from the project directory; `make rollback` runs the second):

    python -m kessan rollback   # the previous generation becomes the published one (again: undo)

kessan.build builds into a staging folder and calls `export` and `switch` from here once dbt and the Great
Expectations suites passed. With P = $KESSAN_DB_PATH (default warehouse/kessan.duckdb) and W its folder:

    W/kessan.duckdb  -> current/kessan.duckdb    what readers open (fixed symlinks, made once)
    W/parquet        -> current/parquet          one Parquet file per public relation, with its descriptions
    W/manifest.json  -> current/manifest.json    build time, git commit, DuckDB version, rows, data quality
    W/current        -> releases/<build id>      THE switch: replaced by one rename(2) of a symlink
    W/previous       -> releases/<build id>      the generation before, which `rollback` restores
    W/releases/<build id>/                       a published build: its files read-only, never written again,
                                                 removed when neither current nor previous
    W/releases/<build id>/.kessan-build          the marker: only a folder holding it is kessan's to remove
    W/.staging/<build id>/                       a build in progress, or the last failed one (for inspection);
                                                 marked too, as it becomes the release
    W/.staging/building  -> <build id>           the same folder under a name that does not change, the path
                                                 dbt is given, so that its saved parse stays valid
    W/.build.lock                                flock(2): one build or rollback at a time

Anything else in W, releases/ or .staging/ is not kessan's: it is left alone, and named in the output where
kessan would otherwise have removed it. Whatever can fail runs before the switch (then nothing is published and
`current` is as it was); after it, the build is published, and a failure to tidy up is a warning. A release
served again (`rollback`) or adopted must be what was published: its database matches its manifest's sha256
(an adopted file: opens read-only) and no write-ahead log (kessan.duckdb.wal) lies beside it; otherwise it
is refused and nothing changes.

A reader that opened P keeps its file (DuckDB holds the descriptor, and a release is never modified), so it
sees one consistent snapshot; a connection opened after the switch resolves `current` anew and sees the new
build. The database keeps its file name (kessan.duckdb) in staging and releases, because DuckDB names the
catalog after it and dbt's views refer to that catalog. docs/decisions.md D15 and D28 give the reasons.

Fault injection, for the tests only (python_tests/test_faults_publish.py): with KESSAN_FAULT_KILL=<point> the
process SIGKILLs itself at that point: `export` (after the first Parquet file), `switch` (after the release
is in releases/, before `current` points at it).

Exit status of `rollback`: 0 rolled back, 1 nothing to roll back to, 2 refused (the previous generation is
not what was published, or the warehouse folder cannot be written), 3 a build or rollback holds the lock.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import stat
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import duckdb

from .conventions import DEFAULT_DB_PATH, STATUSES, database_path

PARQUET = "parquet"
# The Parquet files' key-value metadata: the relation's description, and its columns' as a JSON object.
PARQUET_DESCRIPTION = "kessan.description"
PARQUET_COLUMNS = "kessan.columns"
MANIFEST = "manifest.json"
BUSY_EXIT = 3  # exit status when another build or rollback holds the lock
BUILD_TARGET = "build"  # profiles.yml's target that writes, at $KESSAN_BUILD_DB_PATH
BUILD_DB_VARIABLE = "KESSAN_BUILD_DB_PATH"
BUILDING = "kessan build: building"  # kessan.build prints "<this> <build id> into <database>" first
MARKER = ".kessan-build"  # in each staging folder and release: what kessan made, and may remove
WAL = ".wal"  # DuckDB's write-ahead log: <database>.wal beside the database
REFUSED_EXIT = 2  # exit status of a rollback refused because the previous generation is not as published
FAULT_KILL = "KESSAN_FAULT_KILL"  # the fault-injection point (module docstring)
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH  # a published file: no one writes it (root excepted)


class WarehouseBusy(Exception):
    """Another build or rollback holds the warehouse's lock."""


class Refused(Exception):
    """Publishing would overwrite or serve something that is not what it should be; nothing was changed."""


def fault_point(name: str) -> None:
    """Die here, as kill -9 would, when KESSAN_FAULT_KILL names this point (the fault suite's hook)."""
    if os.environ.get(FAULT_KILL) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def mark(folder: Path, build_id: str) -> None:
    """Mark `folder` as kessan's (MARKER): a staging folder or release that kessan may remove."""
    (folder / MARKER).write_text(f"kessan build {build_id}: removed by kessan when no longer current or previous\n")


def is_kessans(entry: Path) -> bool:
    """Whether `entry` is a folder kessan made (it holds MARKER), not a file, link or someone else's folder."""
    return entry.is_dir() and not entry.is_symlink() and (entry / MARKER).is_file()


def release_problem(folder: Path, db_name: str) -> str | None:
    """Why the release in `folder` is not what was published, or None: its database matches its manifest's
    sha256 and no write-ahead log lies beside it (DuckDB would replay it: the reader would see other data)."""
    db_path = folder / db_name
    wal = db_path.with_name(db_name + WAL)
    if wal.exists():
        return f"{wal} exists: a program opened the release read-write after it was published"
    try:
        expected = json.loads((folder / MANIFEST).read_text())["database"]["sha256"]
        actual = sha256(db_path)
    except (OSError, ValueError, KeyError, TypeError) as error:
        return f"{db_path} cannot be checked against {folder / MANIFEST}: {type(error).__name__}: {error}"
    if actual != expected:
        return (
            f"{db_path} does not match its manifest (sha256 {actual[:12]}..., the manifest says {expected[:12]}...): "
            "it was changed after it was published"
        )
    return None


@dataclass(frozen=True)
class Warehouse:
    """The published layout around the database path readers open (module docstring)."""

    db_path: Path  # absolute; what $KESSAN_DB_PATH names

    @classmethod
    def from_environment(cls, project_dir: Path) -> Warehouse:
        path = database_path()
        return cls(path if path.is_absolute() else project_dir / path)

    @property
    def root(self) -> Path:
        return self.db_path.parent

    @property
    def current(self) -> Path:
        return self.root / "current"

    @property
    def previous(self) -> Path:
        return self.root / "previous"

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    @property
    def lock_path(self) -> Path:
        return self.root / ".build.lock"

    def staging_dir(self, build_id: str) -> Path:
        return self.root / ".staging" / build_id

    @property
    def building(self) -> Path:
        """The staging folder of the build in progress, under a fixed name (a symlink to it)."""
        return self.root / ".staging" / "building"

    def entries(self) -> dict[str, str]:
        """Fixed symlinks of the warehouse folder and their targets: what readers open."""
        return {name: f"current/{name}" for name in (self.db_path.name, PARQUET, MANIFEST)}

    def release_of(self, link: Path) -> str | None:
        """The build id a `current` or `previous` link points at, None when there is none."""
        return Path(os.readlink(link)).name if link.is_symlink() else None


def dbt_path(project_dir: Path, path: Path) -> str:
    """`path` as dbt is given it: relative to the project when inside it, so that every copy of the project
    gives dbt the same profile and a saved parse (target/partial_parse.msgpack) carries over."""
    return os.path.relpath(path, project_dir) if path.is_relative_to(project_dir) else str(path)


def new_build_id(now: datetime | None = None) -> str:
    """A unique build id that sorts by its UTC second: 20180515T093000Z-1a2b3c."""
    return f"{(now or datetime.now(UTC)):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def lock_holder(handle: IO[str]) -> str:
    """What the lock's holder wrote of itself. It writes after taking the lock, so a process that lost the race by
    a moment may find the file still empty: read again for up to a second before saying "another process"."""
    for _ in range(20):
        handle.seek(0)
        if holder := handle.read().strip():
            return holder
        time.sleep(0.05)
    return "another process"


@contextmanager
def locked(warehouse: Warehouse, action: str) -> Iterator[None]:
    """Hold the warehouse's lock for `action`, or raise WarehouseBusy saying who holds it.

    flock(2) is released by the kernel when the holder exits, however it exits: a lock is never stale.
    """
    warehouse.root.mkdir(parents=True, exist_ok=True)
    with warehouse.lock_path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = lock_holder(handle)
            raise WarehouseBusy(
                f"the warehouse is locked by {holder} ({warehouse.lock_path}); nothing was changed. "
                "Wait for it to finish, then run the command again."
            ) from None
        handle.truncate(0)
        handle.write(f"{action} (pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC)\n")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)


def prepare_staging(warehouse: Warehouse, build_id: str) -> Path:
    """An empty, marked staging folder for `build_id`, after removing earlier ones kessan made (call with the lock
    held); anything else in .staging/ is left alone and named.

    `warehouse.building` points at it: dbt is given that path, which is the same for every build, because
    dbt re-parses the whole project (about 8 s) whenever the target's path changes.
    """
    if warehouse.building.is_symlink():
        warehouse.building.unlink()
    if (warehouse.root / ".staging").is_dir():
        for entry in sorted((warehouse.root / ".staging").iterdir()):
            if is_kessans(entry):
                shutil.rmtree(entry)
            else:
                print(f"kessan build: left alone: {entry} (not made by kessan: no {MARKER} in it)")
    staging = warehouse.staging_dir(build_id)
    staging.mkdir(parents=True)
    mark(staging, build_id)
    warehouse.building.symlink_to(build_id, target_is_directory=True)
    return staging


def sql_string(text: str) -> str:
    """`text` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def descriptions(connection: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    """The Parquet key-value metadata of `relation` of the default schema: its description and its columns'
    (a JSON object, column -> description, in the relation's column order), as the database holds them."""
    (description,) = connection.execute(
        "select comment from duckdb_tables() where database_name = current_database()"
        " and schema_name = current_schema() and table_name = ?",
        [relation],
    ).fetchone()  # type: ignore[misc]
    columns = connection.execute(
        "select column_name, comment from duckdb_columns() where database_name = current_database()"
        " and schema_name = current_schema() and table_name = ? order by column_index",
        [relation],
    ).fetchall()
    return {
        PARQUET_DESCRIPTION: description or "",
        PARQUET_COLUMNS: json.dumps({name: comment or "" for name, comment in columns}, ensure_ascii=False),
    }


def quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def git_commit(project_dir: Path) -> tuple[str, bool | None]:
    """(HEAD's commit, whether the work tree has changes); ("unknown", None) outside git."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=project_dir, capture_output=True, text=True, check=True, timeout=30
        ).stdout.strip()

    try:
        if Path(git("rev-parse", "--show-toplevel")).resolve() != project_dir.resolve():
            return "unknown", None  # a copy of the project inside some other repository
        return git("rev-parse", "HEAD"), bool(git("status", "--porcelain"))
    except (OSError, subprocess.SubprocessError):
        return "unknown", None


# What a build is made of: a warehouse built from the same files is the same warehouse (the manifest's
# `sources_sha256`; the tests reuse a published build whose sources are the project's as it is).
SOURCES = ("dbt_project.yml", "profiles.yml", "requirements.txt", "analyses", "expectations", "kessan", "macros",
           "models", "seeds", "tests")  # fmt: skip


def sources_sha256(project_dir: Path) -> str:
    """sha256 over the path and bytes of every file of SOURCES (caches left out), in path order."""
    digest = hashlib.sha256()
    for name in SOURCES:
        top = project_dir / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file()) if top.is_dir() else []
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(f"{path.relative_to(project_dir).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def export(
    staging: Path, db_name: str, relations: Sequence[str], facts: Mapping[str, Any], project_dir: Path
) -> dict[str, Any]:
    """Write every public relation to staging/parquet/<name>.parquet and staging/manifest.json; return the manifest.

    `relations` are the tables of the database's default schema (the BI surface); each file carries the
    descriptions the database holds (dbt's persist_docs) in its key-value metadata (PARQUET_DESCRIPTION,
    PARQUET_COLUMNS). `facts` (build id, times, dbt's invocation id) go into the manifest as they are. The
    database is opened read-only: its bytes do not change.
    """
    db_path = staging / db_name
    if db_path.with_name(db_name + ".wal").exists():  # dbt closes cleanly, so this is not expected
        with duckdb.connect(str(db_path)) as connection:
            connection.execute("checkpoint")
    (staging / PARQUET).mkdir()
    rows: dict[str, int] = {}
    with duckdb.connect(str(db_path), read_only=True) as connection:
        for name in relations:
            target = staging / PARQUET / f"{name}.parquet"
            metadata = ", ".join(
                f"{sql_string(key)}: {sql_string(value)}" for key, value in descriptions(connection, name).items()
            )
            connection.execute(
                f"copy (select * from {quoted(name)}) to {sql_string(str(target))}"
                f" (format parquet, compression zstd, kv_metadata {{{metadata}}})"
            )
            fault_point("export")
            rows[name] = connection.execute(f"select count(*) from {quoted(name)}").fetchone()[0]  # type: ignore[index]
        by_status = dict(connection.execute("select status, count(*) from rpt_data_quality group by all").fetchall())
        # This build's: a build by company keeps the other companies' rows, with the build id that computed them.
        (invocation_id,) = connection.execute("select arg_max(build_id, built_at) from rpt_data_quality").fetchone()  # type: ignore[misc]
        (storage_version,) = connection.execute(
            "select tags['storage_version'] from duckdb_databases() where database_name = current_database()"
        ).fetchone()  # type: ignore[misc]
    commit, dirty = git_commit(project_dir)
    manifest = {
        **facts,
        "dbt_invocation_id": invocation_id,  # = rpt_data_quality.build_id
        "git_commit": commit,
        "git_dirty": dirty,
        "duckdb_version": duckdb.__version__,
        "storage_version": storage_version,
        "database": {"file": db_name, "bytes": db_path.stat().st_size, "sha256": sha256(db_path)},
        "relations": {name: {"rows": rows[name], "parquet": f"{PARQUET}/{name}.parquet"} for name in sorted(rows)},
        "data_quality": {
            "validation": "passed",  # only validated builds are published
            "checks": sum(by_status.values()),
            "by_status": {status: by_status.get(status, 0) for status in dict.fromkeys([*STATUSES, *by_status])},
        },
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    return manifest


def fsync(path: Path) -> None:
    """Flush a file or folder to disk, so a crash after the switch cannot leave a half-written release."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def point(link: Path, target: str) -> None:
    """Make `link` a symlink to `target` atomically: a new symlink renamed over the old entry."""
    temporary = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    os.replace(temporary, link)


def adoption_problem(db_path: Path) -> str | None:
    """Why the plain database file at `db_path` cannot become a release as it is, or None: a write-ahead log
    beside it (its last writes are not in the file), or DuckDB cannot open it read-only (not a database, or a
    program holds it read-write)."""
    wal = db_path.with_name(db_path.name + WAL)
    if wal.exists():
        return f"{wal} exists: the last writes to {db_path} are not in the file (a writer did not close it)"
    try:
        duckdb.connect(str(db_path), read_only=True).close()
    except duckdb.Error as error:
        return f"DuckDB cannot open {db_path} read-only: {error}"
    return None


def adopt_unpublished_file(warehouse: Warehouse) -> str | None:
    """A plain database file at P (written before kessan published) becomes a release, kept as previous: a marked
    folder with the file hard-linked (no copy) and a manifest of its sha256, so that `rollback` can verify it.
    Raises Refused when the file is not fit to be served again (adoption_problem)."""
    if warehouse.db_path.is_symlink() or not warehouse.db_path.is_file():
        return None
    if problem := adoption_problem(warehouse.db_path):
        raise Refused(
            f"{warehouse.db_path} is a database file from before kessan published, kept as the previous generation "
            f"on the first publish, but {problem}. Open it once with DuckDB read-write and close it (which folds "
            "the log into the file), or move it away, then build again"
        )
    mtime = datetime.fromtimestamp(warehouse.db_path.stat().st_mtime, UTC)
    release = f"{mtime:%Y%m%dT%H%M%SZ}-unpublished"
    folder = warehouse.releases / release
    folder.mkdir(parents=True, exist_ok=True)
    mark(folder, release)
    adopted = folder / warehouse.db_path.name
    if not adopted.exists():
        os.link(warehouse.db_path, adopted)  # same inode, no copy
    database = {"file": adopted.name, "bytes": adopted.stat().st_size, "sha256": sha256(adopted)}
    manifest = {"build_id": release, "adopted_from": str(warehouse.db_path), "database": database}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    for path in (adopted, folder / MANIFEST, folder / MARKER, folder):
        fsync(path)
    return release


@dataclass
class Switched:
    """What `switch` did: the build published, the one it replaced (now previous), and what to report."""

    release: str
    replaced: str | None
    notes: list[str] = field(default_factory=list)  # warnings: left alone, not tidied, a damaged release


def check_entries(warehouse: Warehouse) -> None:
    """Raise Refused when a reader's fixed entry is something kessan would overwrite: a folder, or a plain file
    other than the database (which is adopted)."""
    for name in warehouse.entries():
        entry = warehouse.root / name
        if entry.is_symlink() or not entry.exists() or (entry == warehouse.db_path and entry.is_file()):
            continue
        raise Refused(f"{entry} is not kessan's link to current/{name}: move it away (kessan publishes a link there)")


def switch(warehouse: Warehouse, staging: Path) -> Switched:
    """Publish the staging folder: one rename makes it current.

    Before the switch, whatever can fail: the readers' entries are checked, a plain database file at P is
    adopted, the folder is marked, made read-only, flushed to disk and moved into releases/. Raises (OSError,
    Refused) only before it, with `current` as it was. After it, the readers' fixed entries are made (only on
    the first publish do they not exist yet), `previous` is pointed, and releases kessan made that are neither
    current nor previous are removed; a reader still holding one keeps it until it closes it. A failure there
    is a note: the build is published.
    """
    check_entries(warehouse)
    replaced = warehouse.release_of(warehouse.current) or adopt_unpublished_file(warehouse)
    if not (staging / MARKER).is_file():
        mark(staging, staging.name)
    for path in staging.rglob("*"):  # a read-write connection could otherwise write a WAL into a release
        if path.is_file() and not path.is_symlink():
            path.chmod(READ_ONLY)
    for path in sorted(staging.rglob("*"), reverse=True):
        fsync(path)
    fsync(staging)
    warehouse.releases.mkdir(exist_ok=True)
    release = warehouse.releases / staging.name
    os.rename(staging, release)
    if warehouse.building.is_symlink() and os.readlink(warehouse.building) == staging.name:
        warehouse.building.unlink()  # it pointed at the staging folder, now the release
    try:
        fsync(warehouse.releases)
    except OSError:
        os.rename(release, staging)  # not published: back where a failed build's folder stays
        raise
    notes = []
    if replaced and (problem := release_problem(warehouse.releases / replaced, warehouse.db_path.name)):
        notes.append(f"the replaced build is damaged: {problem}; kept as previous, which `make rollback` refuses")
    fault_point("switch")

    point(warehouse.current, f"releases/{release.name}")  # the atomic publish
    try:
        for name, target in warehouse.entries().items():
            entry = warehouse.root / name
            if not (entry.is_symlink() and os.readlink(entry) == target):
                point(entry, target)
        if replaced:
            point(warehouse.previous, f"releases/{replaced}")
        fsync(warehouse.root)
    except OSError as error:
        notes.append(f"published, but the readers' links or `previous` could not be made: {error}")
    for old in sorted(warehouse.releases.iterdir()):
        if old.name in (release.name, replaced):
            continue
        if not is_kessans(old):
            notes.append(f"left alone: {old} (not made by kessan: no {MARKER} in it)")
            continue
        try:
            shutil.rmtree(old)
        except OSError as error:
            notes.append(f"could not remove the old release {old}: {error}")
    return Switched(release.name, replaced, notes)


def rollback(warehouse: Warehouse) -> int:
    """Swap current and previous (run twice, it undoes itself), once previous is verified; an exit status."""
    with locked(warehouse, "make rollback"):
        current, previous = warehouse.release_of(warehouse.current), warehouse.release_of(warehouse.previous)
        if not current or not previous or not (warehouse.releases / previous).is_dir():
            print(f"kessan rollback: nothing to roll back to: no previous generation in {warehouse.releases}")
            return 1
        if problem := release_problem(warehouse.releases / previous, warehouse.db_path.name):
            print(
                f"kessan rollback: REFUSED: {problem}. {warehouse.db_path} is unchanged (still build {current}). "
                f"Build {previous} cannot be served again as it was published: restore releases/{previous} from a "
                "backup, or publish a new build (`make build`)."
            )
            return REFUSED_EXIT
        point(warehouse.current, f"releases/{previous}")
        point(warehouse.previous, f"releases/{current}")
        fsync(warehouse.root)
    print(
        f"kessan rollback: {warehouse.db_path} is build {previous} again (was {current}); "
        f"`make rollback` again restores {current}"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kessan rollback",
        description="The previous generation of the published warehouse ($KESSAN_DB_PATH, default "
        f"{DEFAULT_DB_PATH}) becomes the published one, after checking it against its manifest (again: undo); "
        "kessan.build publishes.",
        epilog="exit status: 0 rolled back, 1 nothing to roll back to, 2 refused (the previous generation is not "
        "as published: nothing changed) or the warehouse folder cannot be written, 3 a build or rollback holds "
        "the lock",
    )
    parser.parse_args(argv)
    started = time.monotonic()
    warehouse = Warehouse.from_environment(Path.cwd())
    try:
        status = rollback(warehouse)
    except WarehouseBusy as error:
        print(f"kessan rollback: {error}")
        return BUSY_EXIT
    except OSError as error:
        print(f"kessan rollback: cannot use the warehouse folder {warehouse.root}: {error}. Nothing was changed.")
        return REFUSED_EXIT
    print(f"kessan rollback: done in {time.monotonic() - started:.3f} s")
    return status
