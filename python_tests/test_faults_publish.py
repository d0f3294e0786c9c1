"""Faults against publishing (issue 11, "Nothing published is ever lost or altered"): every case breaks something or
asks for something dangerous, then compares the warehouse folder before and after (faults.published_state): it is
unchanged, or changed exactly as a publish changes it; and checks the exit status and the message.

Each case works in its own copy of the session's pristine build (`built_copy`). Most call the publish step, a
rollback or a CLI directly; a staged build is the published database copied into a staging folder, as a trial
starts. Four cases run kessan.build for real (marked `build`): killed during dbt, killed during the validation
(a trial), and the two builds at once that follow a kill before the switch. Every wait is bounded.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kessan import build
from kessan.__main__ import COMMANDS
from kessan.folders import MARKER as OUTPUT_MARKER
from kessan.publish import (
    BUSY_EXIT,
    FAULT_KILL,
    MANIFEST,
    MARKER,
    Warehouse,
    locked,
    new_build_id,
    prepare_staging,
    sources_sha256,
)

from .builds import Build, environment, finish_build
from .faults import changes, published_state

TIMEOUT = 120  # seconds: a CLI, or the wait for a phase of a build
ENTRIES = ("kessan.duckdb", "parquet", MANIFEST)  # the readers' fixed links


@dataclass(frozen=True)
class Copy:
    """A copy of the pristine build: its project, its warehouse, and what it has published."""

    project: Path
    warehouse: Warehouse
    release: str  # the build current points at

    @property
    def root(self) -> Path:
        return self.warehouse.root

    def state(self) -> dict[str, str]:
        return published_state(self.root)


@pytest.fixture
def copy(built_copy: Build) -> Copy:
    """The copy, with its one generation (conftest's pristine build has no previous one)."""
    warehouse = Warehouse(built_copy.db_path)
    assert not warehouse.previous.exists()
    release = warehouse.release_of(warehouse.current)
    assert release and (warehouse.releases / release / MARKER).is_file()
    return Copy(built_copy.project_dir, warehouse, release)


def run(project: Path, command: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m kessan <command> args` in the project copy, as `make` runs it; stderr into stdout."""
    return subprocess.run(
        [sys.executable, "-m", "kessan", command, *args],
        cwd=project,
        env={**environment(project), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def failed_staging(warehouse: Warehouse) -> Path:
    """A staging folder as a failed build leaves it, to inspect: what no usage error may remove."""
    staging = prepare_staging(warehouse, new_build_id())
    (staging / warehouse.db_path.name).write_bytes(b"the failed build's database")
    return staging


def stage(warehouse: Warehouse, built: Path | None = None) -> Path:
    """A staging folder holding a copy of the published database (or of `built`), as a build leaves it after
    validation."""
    staging = prepare_staging(warehouse, new_build_id())
    shutil.copyfile(built or warehouse.db_path, staging / warehouse.db_path.name)
    return staging


def marts_of(release: Path) -> list[str]:
    return sorted(json.loads((release / MANIFEST).read_text())["relations"])


def publish_step(project: Path, warehouse: Warehouse, marts: list[str], built: Path | None = None) -> tuple[int, str]:
    """kessan.build's publish step (export, switch) on a staged copy (of the published database, or of `built`),
    under the lock: (status, staged build id)."""
    with locked(warehouse, "the fault suite"):
        staging = stage(warehouse, built)
        return build.publish(
            project, warehouse, staging, marts, datetime.now(UTC), sources_sha256(project)
        ), staging.name


def under(path: str, release: str | None) -> bool:
    return release is not None and (path == f"releases/{release}" or path.startswith(f"releases/{release}/"))


def as_published(
    before: dict[str, str], after: dict[str, str], new: str, replaced: str | None, removed: str | None = None
) -> dict[str, str]:
    """`before` as a publish of `new` changes it: its release added, current (and previous) pointed, the readers'
    links made, the release `removed` gone; everything else (kessan's or not) exactly as it was."""
    expected = {path: value for path, value in before.items() if not under(path, removed)}
    expected |= {path: value for path, value in after.items() if under(path, new)}
    expected |= {"releases": "dir", "current": f"-> releases/{new}"} | {e: f"-> current/{e}" for e in ENTRIES}
    return expected | ({"previous": f"-> releases/{replaced}"} if replaced else {})


def assert_unchanged(before: dict[str, str], after: dict[str, str]) -> None:
    assert after == before, "\n".join(changes(before, after))


def writable(path: Path) -> Path:
    """A published file made writable again, to damage it (root writes it anyway)."""
    path.chmod(0o644)
    return path


# validate --docs-dir: only a folder of kessan's own output is emptied.

DOCS_DIRS = {
    "warehouse_folder": (lambda copy: copy.root, "is"),
    "project_dir": (lambda copy: copy.project, "is"),
    "project_parent": (lambda copy: copy.project.parent, "holds"),
    "foreign_files": (lambda copy: copy.project / "notes", "holds files kessan did not write"),
}


@pytest.mark.parametrize("case", DOCS_DIRS)
def test_validate_refuses_to_empty_a_folder_that_is_not_its_output(case: str, copy: Copy) -> None:
    folder, says = DOCS_DIRS[case][0](copy), DOCS_DIRS[case][1]
    if case == "foreign_files":
        folder.mkdir()
        (folder / "mine.txt").write_text("not kessan's")
    before, project_before = copy.state(), sorted(path.name for path in copy.project.iterdir())

    done = run(copy.project, "validate", "--docs-dir", str(folder))

    assert done.returncode == 2, done.stdout
    assert f"ERROR: cannot write the Data Docs into {folder}: {folder} {says}" in done.stdout, done.stdout
    assert "Nothing was changed" in done.stdout and "Traceback" not in done.stdout
    assert_unchanged(before, copy.state())
    assert sorted(path.name for path in copy.project.iterdir()) == project_before
    if case == "foreign_files":
        assert (folder / "mine.txt").read_text() == "not kessan's"


def test_validate_empties_a_folder_it_marked_as_its_output(copy: Copy) -> None:
    folder = copy.project / "docs_out"
    folder.mkdir()
    (folder / OUTPUT_MARKER).write_text("kessan's")
    (folder / "stale.html").write_text("from an earlier run")
    before = copy.state()

    done = run(copy.project, "validate", "--docs-dir", str(folder))

    assert done.returncode == 0, done.stdout
    assert f"Data Docs: {folder / 'index.html'}\n" in done.stdout
    assert not (folder / "stale.html").exists() and (folder / OUTPUT_MARKER).is_file()
    assert_unchanged(before, copy.state())


# Trials: dbt arguments never make a build write another database; a usage error changes nothing.

TRIALS = {
    "target_bench": (["--target", "bench"], "--target/-t"),
    "t_bench": (["-t", "bench"], "--target/-t"),
    "target_equals_bench": (["--target=bench"], "--target/-t"),
    "select_then_target_bench": (["--select", "stg_companies", "dim_companies", "--target", "bench"], "--target/-t"),
    "profiles_dir": (["--profiles-dir", "x"], "--profiles-dir"),
    "project_dir": (["--project-dir", "."], "--project-dir"),
    "profile": (["--profile", "other"], "--profile"),
    "dbt_usage_error": (["--select", "stg_companies", "--no-such-option"], None),
}


@pytest.mark.parametrize("case", TRIALS)
def test_trial_options_that_change_the_database_or_a_usage_error_are_refused_before_anything(
    case: str, copy: Copy, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args, option = TRIALS[case]
    monkeypatch.chdir(copy.project)
    monkeypatch.setenv("KESSAN_DB_PATH", str(copy.warehouse.db_path))
    staging = failed_staging(copy.warehouse)
    before = copy.state()

    status = build.main(args)

    output = capsys.readouterr().out
    assert status == 2, output
    assert output.startswith("kessan build: NOT STARTED: ") and output.endswith("Nothing was changed.\n"), output
    if option:
        assert f"{option} is refused: a build with dbt arguments is a trial" in output
    else:
        assert "dbt build does not accept these arguments: No such option '--no-such-option'" in output
    assert_unchanged(before, copy.state())
    assert (staging / copy.warehouse.db_path.name).read_bytes() == b"the failed build's database"
    assert os.readlink(copy.warehouse.building) == staging.name


def test_build_help_is_its_own_and_keeps_the_failed_builds_staging(copy: Copy) -> None:
    staging = failed_staging(copy.warehouse)
    before = copy.state()

    done = run(copy.project, "build", "--help")

    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith(
        "usage: python -m kessan build [-h] [--full-refresh] [--allow-removal] [dbt build options]"
    )
    text = " ".join(done.stdout.split())
    for said in ("--allow-removal publish even if the build has fewer rows, checks or figures than the published "
                 "one (the audit's removal check)", "the build is a TRIAL", "never published", "Exit status: 0",
                 "3 another build or rollback holds the lock"):  # fmt: skip
        assert said in text, done.stdout
    assert "dbt build" in text and "Usage: dbt" not in done.stdout  # not dbt's own help
    assert_unchanged(before, copy.state())
    assert (staging / copy.warehouse.db_path.name).read_bytes() == b"the failed build's database"


def test_allow_removal_and_full_refresh_reach_the_build_and_not_dbt(
    copy: Copy, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}

    def run_phases(project_dir, warehouse, extra_args, phases, allow_removal, full_refresh):  # type: ignore[no-untyped-def]
        seen.update(extra_args=list(extra_args), allow_removal=allow_removal, full_refresh=full_refresh)
        return 0

    monkeypatch.chdir(copy.project)
    monkeypatch.setenv("KESSAN_DB_PATH", str(copy.warehouse.db_path))
    monkeypatch.setattr(build, "run_phases", run_phases)
    assert build.main(["--allow-removal"]) == 0
    assert seen == {"extra_args": [], "allow_removal": True, "full_refresh": False}
    assert build.main(["--full-refresh"]) == 0
    assert seen == {"extra_args": [], "allow_removal": False, "full_refresh": True}
    assert build.main([]) == 0 and seen["allow_removal"] is False and seen["full_refresh"] is False
    # The manifest's record of it: test_faults_gate (the audit refusing, then --allow-removal publishing).


# What is in releases/ or around the warehouse and not kessan's is left alone, and named.


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_foreign_entry_in_releases_is_left_alone_and_named(
    kind: str, copy: Copy, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = copy.warehouse.releases / f"someone_elses_{kind}"
    if kind == "file":
        foreign.write_text("a stray file")
    else:
        foreign.mkdir()
        (foreign / "kessan.duckdb").write_bytes(b"another program's database")
    before = copy.state()

    status, new = publish_step(copy.project, copy.warehouse, marts_of(copy.warehouse.releases / copy.release))

    output = capsys.readouterr().out
    after = copy.state()
    assert status == 0, output
    assert f"kessan build: PUBLISHED build {new} " in output
    assert f"kessan build: warning: left alone: {foreign} (not made by kessan: no {MARKER} in it)" in output
    assert after == as_published(before, after, new, copy.release), "\n".join(changes(before, after))


def test_a_warehouse_folder_of_another_program_keeps_its_files(
    copy: Copy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """KESSAN_DB_PATH in another program's folder, which has releases/ and .staging/ of its own: three publishes
    there remove only kessan's first release."""
    other = tmp_path / "other_program"
    for path, text in {"releases/app.db": "app", "releases/v1/data.bin": "v1", ".staging/job": "job",
                       "settings.conf": "conf"}.items():  # fmt: skip
        (other / path).parent.mkdir(parents=True, exist_ok=True)
        (other / path).write_text(text)
    warehouse = Warehouse(other / "kessan.duckdb")
    shutil.copyfile(copy.warehouse.db_path, tmp_path / "published.duckdb")
    marts = marts_of(copy.warehouse.releases / copy.release)
    ids: list[str] = []
    for _ in range(3):
        before = published_state(other)
        with locked(warehouse, "the fault suite"):
            staging = prepare_staging(warehouse, new_build_id())
            shutil.copyfile(tmp_path / "published.duckdb", staging / warehouse.db_path.name)
            assert build.publish(copy.project, warehouse, staging, marts, datetime.now(UTC), "x") == 0
        ids.append(staging.name)
        after = published_state(other)
        removed = ids[-3] if len(ids) == 3 else None
        expected = as_published(before, after, ids[-1], ids[-2] if len(ids) > 1 else None, removed)
        assert after == expected, "\n".join(changes(expected, after))
    output = capsys.readouterr().out
    assert f"kessan build: left alone: {other / '.staging' / 'job'} (not made by kessan" in output
    assert f"kessan build: warning: left alone: {other / 'releases' / 'v1'}" in output
    assert (other / "releases/app.db").read_text() == "app" and (other / "releases/v1/data.bin").read_text() == "v1"
    assert (other / ".staging/job").read_text() == "job" and (other / "settings.conf").read_text() == "conf"
    assert not (other / "releases" / ids[0]).exists()


# Rollback and adoption serve again only what was published.


@pytest.fixture
def two_generations(copy: Copy) -> Copy:
    """The copy with a second publish: its pristine release is now previous."""
    status, new = publish_step(copy.project, copy.warehouse, marts_of(copy.warehouse.releases / copy.release))
    assert status == 0 and copy.warehouse.release_of(copy.warehouse.previous) == copy.release
    return Copy(copy.project, copy.warehouse, new)


DAMAGES = {
    "truncated_previous": lambda db: os.truncate(writable(db), db.stat().st_size // 2),
    "wal_beside_previous": lambda db: db.with_name(db.name + ".wal").write_bytes(b"a crashed writer's log"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_rollback_refuses_a_previous_generation_that_is_not_as_published(damage: str, two_generations: Copy) -> None:
    copy = two_generations
    previous = copy.warehouse.release_of(copy.warehouse.previous)
    DAMAGES[damage](copy.warehouse.releases / str(previous) / copy.warehouse.db_path.name)
    before = copy.state()

    done = run(copy.project, "rollback")

    assert done.returncode == 2, done.stdout
    said = "does not match its manifest" if damage == "truncated_previous" else "kessan.duckdb.wal exists"
    assert done.stdout.startswith("kessan rollback: REFUSED: ") and said in done.stdout, done.stdout
    assert f"is unchanged (still build {copy.release})" in done.stdout and "make build" in done.stdout
    assert_unchanged(before, copy.state())


def test_rollback_verifies_and_restores_an_intact_previous_generation(two_generations: Copy) -> None:
    copy = two_generations
    before = copy.state()
    done = run(copy.project, "rollback")
    assert done.returncode == 0, done.stdout
    previous = before["previous"].removeprefix("-> releases/")
    assert f"is build {previous} again (was {copy.release})" in done.stdout
    expected = before | {"current": before["previous"], "previous": before["current"]}
    assert_unchanged(expected, copy.state())


PLAIN_FILES = {
    "wal_beside_it": ("kessan.duckdb.wal exists", True),
    "not_a_database": ("DuckDB cannot open", False),
}


@pytest.mark.parametrize("case", PLAIN_FILES)
def test_adoption_refuses_a_plain_file_it_cannot_serve_again(
    case: str, copy: Copy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said, valid_database = PLAIN_FILES[case]
    warehouse = Warehouse(tmp_path / "old_warehouse" / "kessan.duckdb")
    warehouse.root.mkdir()
    if valid_database:
        shutil.copyfile(copy.warehouse.db_path, warehouse.db_path)
        warehouse.db_path.with_name("kessan.duckdb.wal").write_bytes(b"a crashed writer's log")
    else:
        warehouse.db_path.write_bytes(b"not a DuckDB file" * 1000)
    before = published_state(warehouse.root)
    with locked(warehouse, "the fault suite"):
        staging = prepare_staging(warehouse, new_build_id())
        shutil.copyfile(copy.warehouse.db_path, staging / warehouse.db_path.name)
        status = build.publish(
            copy.project, warehouse, staging, marts_of(copy.warehouse.releases / copy.release), datetime.now(UTC), "x"
        )

    output = capsys.readouterr().out
    assert status == 2, output
    assert "kessan build: NOT PUBLISHED: exporting or publishing failed: Refused: " in output
    assert said in output and "then build again" in output and "is unchanged (nothing published yet)" in output
    assert_unchanged(before, published_state(warehouse.root))
    assert warehouse.db_path.is_file() and not warehouse.db_path.is_symlink()


def test_a_damaged_current_release_becomes_previous_and_rollback_refuses_it(
    copy: Copy, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The next publish succeeds: publishing never depends on the old build; the damaged one is kept as previous
    (evidence, one generation long) and named, and rollback will not serve it."""
    damaged = copy.warehouse.releases / copy.release / copy.warehouse.db_path.name
    # The next build, made before the damage: a copy of the damaged file would fail its own export wherever the
    # damage falls in a mart.
    built = tmp_path / "next-build.duckdb"
    shutil.copyfile(damaged, built)
    with writable(damaged).open("r+b") as handle:
        handle.seek(damaged.stat().st_size // 2)
        handle.write(b"\xff" * 4096)
    before = copy.state()

    status, new = publish_step(copy.project, copy.warehouse, marts_of(copy.warehouse.releases / copy.release), built)

    output = capsys.readouterr().out
    after = copy.state()
    assert status == 0, output
    assert f"kessan build: warning: the replaced build is damaged: {damaged} does not match its manifest" in output
    assert after == as_published(before, after, new, copy.release), "\n".join(changes(before, after))
    refused = run(copy.project, "rollback")
    assert refused.returncode == 2 and "REFUSED" in refused.stdout, refused.stdout
    assert_unchanged(after, copy.state())


# kill -9 at every phase: the published state is as it was, and the lock is free.

STAGE_AND_PUBLISH = """
import json, shutil, sys
from datetime import UTC, datetime
from pathlib import Path
from kessan.build import publish
from kessan.publish import Warehouse, locked, new_build_id, prepare_staging
warehouse = Warehouse.from_environment(Path.cwd())
with locked(warehouse, "a publish step"):
    staging = prepare_staging(warehouse, new_build_id())
    shutil.copyfile(warehouse.db_path, staging / warehouse.db_path.name)
    marts = sorted(json.loads((warehouse.root / "manifest.json").read_text())["relations"])
    print(staging.name, flush=True)
    sys.exit(publish(Path.cwd(), warehouse, staging, marts, datetime.now(UTC), "x"))
"""


def start(project: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    """A command in the project copy, in a process group of its own (to kill it with its children)."""
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=project,
        env={**environment(project), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def wait_for(process: subprocess.Popen[str], text: str, timeout: float = TIMEOUT) -> str:
    """The output up to the first line containing `text`, waiting at most `timeout` seconds."""
    assert process.stdout is not None
    seen, deadline = [], time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline and selector.select(deadline - time.monotonic()):
            line = process.stdout.readline()
            seen.append(line)
            if text in line or not line:
                break
    assert seen and text in seen[-1], f"no line with {text!r} within {timeout} s:\n{''.join(seen)}"
    return "".join(seen)


def kill(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=TIMEOUT)


def assert_lock_free(copy: Copy) -> None:
    """`make rollback` takes the lock (the killed build's died with it) and finds nothing to roll back to."""
    done = run(copy.project, "rollback")
    assert done.returncode == 1 and "nothing to roll back to" in done.stdout, done.stdout


@pytest.mark.build
def test_kill_during_dbt_leaves_the_published_state_and_frees_the_lock(copy: Copy) -> None:
    before = copy.state()
    process = start(copy.project, "-m", "kessan", "build")
    wait_for(process, "kessan build: phase dbt ...")
    deadline = time.monotonic() + TIMEOUT
    while not (copy.warehouse.building / copy.warehouse.db_path.name).exists() and time.monotonic() < deadline:
        time.sleep(0.1)  # dbt has opened its database: it is writing
    kill(process)
    assert_unchanged(before, copy.state())
    assert_lock_free(copy)


@pytest.mark.build
def test_kill_during_validation_leaves_the_published_state_and_frees_the_lock(copy: Copy) -> None:
    before = copy.state()
    process = start(copy.project, "-m", "kessan", "build", "--select", "stg_companies")  # a trial: dbt is quick
    wait_for(process, "kessan build: phase great_expectations ...")
    time.sleep(1)  # kessan.validate has started
    kill(process)
    assert_unchanged(before, copy.state())
    assert_lock_free(copy)


def test_kill_during_export_leaves_the_published_state_and_frees_the_lock(copy: Copy) -> None:
    before = copy.state()
    process = start(copy.project, "-c", STAGE_AND_PUBLISH, **{FAULT_KILL: "export"})
    output, _ = process.communicate(timeout=TIMEOUT)
    assert process.returncode == -signal.SIGKILL, output
    staged = output.split()[0]
    assert len(list((copy.warehouse.staging_dir(staged) / "parquet").iterdir())) == 1  # killed after the first
    assert_unchanged(before, copy.state())
    assert_lock_free(copy)


@dataclass(frozen=True)
class KilledBeforeSwitch:
    copy: Copy
    before: dict[str, str]
    after: dict[str, str]
    staged: str
    returncode: int | None


@pytest.fixture
def killed_before_switch(copy: Copy) -> KilledBeforeSwitch:
    """A publish step killed after its release is in releases/, before `current` points at it."""
    before = copy.state()
    process = start(copy.project, "-c", STAGE_AND_PUBLISH, **{FAULT_KILL: "switch"})
    output, _ = process.communicate(timeout=TIMEOUT)
    return KilledBeforeSwitch(copy, before, copy.state(), output.split()[0], process.returncode)


def test_kill_between_release_and_switch_publishes_nothing(killed_before_switch: KilledBeforeSwitch) -> None:
    killed = killed_before_switch
    assert killed.returncode == -signal.SIGKILL
    # The only change: a release no link points at (kessan's, marked), which the next publish removes.
    unpublished = {path: value for path, value in killed.after.items() if under(path, killed.staged)}
    assert (
        unpublished[f"releases/{killed.staged}/{MARKER}"] and f"releases/{killed.staged}/kessan.duckdb" in unpublished
    )
    assert_unchanged(killed.before, {p: v for p, v in killed.after.items() if p not in unpublished})
    assert_lock_free(killed.copy)


@pytest.mark.build
def test_after_a_kill_two_builds_at_once_one_publishes_one_stops(killed_before_switch: KilledBeforeSwitch) -> None:
    copy = killed_before_switch.copy
    started = [start(copy.project, "-m", "kessan", "build"), start(copy.project, "-m", "kessan", "build")]
    builds = [finish_build(copy.project, process) for process in started]

    published = [b for b in builds if b.returncode == 0]
    stopped = [b for b in builds if b.returncode == BUSY_EXIT]
    assert len(published) == len(stopped) == 1, [b.tail(5) for b in builds]
    message = stopped[0].output.strip().splitlines()[-1]
    assert message.startswith("kessan build: NOT STARTED: the warehouse is locked by make build (pid"), message
    after = copy.state()
    # The killed build's release is gone (kessan's, neither current nor previous); the pristine one is previous.
    expected = as_published(killed_before_switch.after, after, published[0].build_id, copy.release,
                            removed=killed_before_switch.staged)  # fmt: skip
    assert after == expected, "\n".join(changes(expected, after))


# Full disk and a read-only warehouse folder: mounts, as root.


def mount(*args: str) -> None:
    """mount(8), or skip the test saying why it cannot run here."""
    if os.geteuid() != 0:
        pytest.skip("needs root, to mount a small tmpfs or a read-only bind mount (chmod does not stop root)")
    done = subprocess.run(["mount", *args], capture_output=True, text=True, timeout=TIMEOUT, check=False)
    if done.returncode:
        pytest.skip(f"mount {' '.join(args)} failed here: {done.stderr.strip()}")


def umount(folder: Path) -> None:
    subprocess.run(["umount", str(folder)], capture_output=True, timeout=TIMEOUT, check=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    mount("-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk))
    yield disk
    umount(disk)


def test_a_full_disk_fails_the_publish_step_and_publishes_nothing(
    copy: Copy, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(copy.root, small_disk / "warehouse", symlinks=True)
    warehouse = Warehouse(small_disk / "warehouse" / "kessan.duckdb")
    before = published_state(warehouse.root)
    with locked(warehouse, "the fault suite"):
        staging = stage(warehouse)
        free = os.statvfs(small_disk)
        (small_disk / "filler").write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 32 * 1024))  # 32 KiB left
        status = build.publish(
            copy.project, warehouse, staging, marts_of(warehouse.releases / copy.release), datetime.now(UTC), "x"
        )
    output = capsys.readouterr().out
    assert status == 2, output
    assert "kessan build: NOT PUBLISHED: exporting or publishing failed: " in output
    assert f"is unchanged (still build {copy.release})" in output
    assert_unchanged(before, published_state(warehouse.root))
    (small_disk / "filler").unlink()
    assert run(copy.project, "rollback", KESSAN_DB_PATH=str(warehouse.db_path)).returncode == 1


def test_a_read_only_warehouse_folder_is_one_line_and_changes_nothing(copy: Copy) -> None:
    before = copy.state()
    mount("--bind", str(copy.root), str(copy.root))
    try:
        mount("-o", "remount,bind,ro", str(copy.root))
        done = run(copy.project, "build")
        rolled = run(copy.project, "rollback")
    finally:
        umount(copy.root)
    assert done.returncode == 2, done.stdout
    assert done.stdout == (
        f"kessan build: NOT STARTED: cannot write the warehouse folder {copy.root}: [Errno 30] Read-only file "
        f"system: '{copy.warehouse.lock_path}'. Nothing changed.\n"
    )
    assert rolled.returncode == 2 and "[Errno 30] Read-only file system" in rolled.stdout, rolled.stdout
    assert "Traceback" not in done.stdout + rolled.stdout
    assert_unchanged(before, copy.state())


def test_a_warehouse_folder_that_cannot_be_created_is_one_line(copy: Copy) -> None:
    db_path = copy.project / "dbt_project.yml" / "warehouse" / "kessan.duckdb"  # under a file
    done = run(copy.project, "build", KESSAN_DB_PATH=str(db_path))
    assert done.returncode == 2, done.stdout
    assert done.stdout.startswith(f"kessan build: NOT STARTED: cannot write the warehouse folder {db_path.parent}: ")
    assert "Not a directory" in done.stdout and len(done.stdout.splitlines()) == 1, done.stdout


# The CLIs: their own help, usage errors without a traceback.


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - {"build"}))  # build: test_build_help_is_its_own...
def test_every_command_prints_its_own_help_and_changes_nothing(command: str, copy: Copy) -> None:
    before, project_before = copy.state(), sorted(path.name for path in copy.project.iterdir())
    done = run(copy.project, command, "--help")
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith(f"usage: python -m kessan {command} "), done.stdout
    assert_unchanged(before, copy.state())
    assert sorted(path.name for path in copy.project.iterdir()) == project_before


def test_the_command_line_lists_every_command_and_refuses_an_unknown_one(copy: Copy) -> None:
    listed = run(copy.project, "--help")
    assert listed.returncode == 0 and listed.stdout.startswith("usage: python -m kessan "), listed.stdout
    assert set(listed.stdout.split()) >= set(COMMANDS), listed.stdout
    unknown = run(copy.project, "publish")
    assert unknown.returncode == 2 and "invalid choice: 'publish'" in unknown.stdout, unknown.stdout
    assert "Traceback" not in unknown.stdout


def test_synthetic_refuses_a_negative_count_with_a_usage_error(copy: Copy) -> None:
    out = copy.project / "synthetic_out"
    done = run(copy.project, "synthetic", "--companies", "-5", "--out", str(out))
    assert done.returncode == 2, done.stdout
    assert done.stdout.rstrip().endswith("error: argument --companies: must be a positive integer, not '-5'")
    assert "Traceback" not in done.stdout and not out.exists()


def test_bench_refuses_to_empty_a_size_folder_it_did_not_write(copy: Copy) -> None:
    (copy.project / "bench_out" / "1").mkdir(parents=True)
    (copy.project / "bench_out" / "1" / "mine.txt").write_text("not kessan's")
    done = run(copy.project, "bench", "--sizes", "1", "--out", str(copy.project / "bench_out"))
    assert done.returncode == 2, done.stdout
    assert f"kessan bench: {copy.project / 'bench_out' / '1'} holds files kessan did not write" in done.stdout
    assert (copy.project / "bench_out" / "1" / "mine.txt").read_text() == "not kessan's"


def test_published_files_are_read_only(copy: Copy) -> None:
    """A release's files have no write permission, so a read-write connection (not root) cannot leave a WAL in it."""
    release = copy.warehouse.releases / copy.release
    files = [path for path in release.rglob("*") if path.is_file()]
    assert {path.name for path in files} >= {MARKER, MANIFEST, "kessan.duckdb"} and len(files) > 10
    assert [path for path in files if path.stat().st_mode & 0o222] == []
