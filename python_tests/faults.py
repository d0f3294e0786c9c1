"""What the fault and bad-input suites (test_faults_*.py) assert after every case: the published files as they were.

`published_state` reads a warehouse folder as a reader and `make rollback` see it: every symlink with its target,
every file of every release with its sha256 (the database, the Parquet files, the manifest), and whatever else
lies in the folder, kessan's or not. Two states are equal exactly when nothing published, and nothing foreign, was
added, removed or changed. Left out: what a build may always rewrite, its staging folder and the lock file.
"""

from __future__ import annotations

import os
from pathlib import Path

from kessan.publish import sha256

NOT_PUBLISHED = {".staging", ".build.lock"}  # a build's scratch and its lock: rewritten by every build


def published_state(root: Path) -> dict[str, str]:
    """Relative path -> `-> target` for a symlink, the sha256 of a file, `dir` for a folder, under `root`."""
    state: dict[str, str] = {}
    if not root.exists():
        return state
    for directory, folders, files in os.walk(root):
        here = Path(directory)
        if here == root:
            folders[:] = [name for name in folders if name not in NOT_PUBLISHED]
            files = [name for name in files if name not in NOT_PUBLISHED]
        for name in sorted([*folders, *files]):
            path = here / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                state[relative] = f"-> {os.readlink(path)}"
            elif path.is_dir():
                state[relative] = "dir"
            else:
                state[relative] = sha256(path)
        folders[:] = [name for name in folders if not (here / name).is_symlink()]  # os.walk does not follow them
    return state


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What differs between two states, one line per path, for an assertion message."""
    return [
        f"{path}: {before.get(path, '(absent)')} -> {after.get(path, '(absent)')}"
        for path in sorted(before.keys() | after.keys())
        if before.get(path) != after.get(path)
    ]
