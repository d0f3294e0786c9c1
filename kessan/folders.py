"""Output folders kessan empties before writing into them, only when they are kessan's to empty.

A tool that writes a folder of its own (kessan.validate's Data Docs, kessan.dev.bench's per-size folders,
kessan.dev.spark_build's Spark folder) calls `fresh_folder` first. The folder is emptied only when it is absent, empty,
or holds MARKER, the file kessan writes into every folder it creates this way; it is never the project, the
warehouse folder or an ancestor of either. Anything else raises UnsafeFolder, having changed nothing
(docs/decisions.md D28).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .conventions import PROJECT_DIR, database_path

MARKER = ".kessan-output"  # "this folder is kessan's output, emptied by its next run"
# What kessan.validate wrote into its Data Docs folder before it wrote MARKER: Great Expectations' site.
DATA_DOCS_SITE = {"index.html", "static", "validations", "expectations"}


class UnsafeFolder(Exception):
    """A folder kessan was asked to empty is not kessan's to empty."""


def protected_folders() -> list[Path]:
    """The folders never to empty, nor any folder holding them: the project, the working directory, the
    warehouse folder ($KESSAN_DB_PATH's) and the home folder."""
    db_path = database_path()
    folders = [PROJECT_DIR, Path.cwd(), (db_path if db_path.is_absolute() else Path.cwd() / db_path).parent]
    return [folder.resolve() for folder in [*folders, Path.home()]]


def is_kessans(folder: Path) -> bool:
    """Whether `folder` holds nothing kessan did not write: empty, marked, or Data Docs from before the marker."""
    names = {entry.name for entry in folder.iterdir()}
    legacy = names <= DATA_DOCS_SITE and {"index.html", "static"} <= names  # kessan.validate before D28
    return not names or MARKER in names or legacy


def fresh_folder(folder: Path, writer: str) -> Path:
    """Empty `folder` (or create it) and mark it as `writer`'s output; its resolved path.

    Raises UnsafeFolder, changing nothing, when it is a protected folder or holds one, is not a folder, or holds
    files kessan did not write there.
    """
    resolved = folder.resolve()
    for protected in protected_folders():
        if protected.is_relative_to(resolved):
            what = "is" if protected == resolved else "holds"
            raise UnsafeFolder(
                f"{folder} {what} {protected} (the project, the warehouse folder, the working or home folder): "
                "kessan empties only a folder of its own output. Nothing was changed; choose another folder."
            )
    if resolved.exists() and not resolved.is_dir():
        raise UnsafeFolder(f"{folder} is not a folder. Nothing was changed; choose another path.")
    if resolved.is_dir() and not is_kessans(resolved):
        raise UnsafeFolder(
            f"{folder} holds files kessan did not write (it has no {MARKER}): kessan empties only a folder of its "
            "own output. Nothing was changed; choose another folder, or empty this one yourself."
        )
    if resolved.is_dir():
        shutil.rmtree(resolved)
    resolved.mkdir(parents=True)
    (resolved / MARKER).write_text(f"Written by {writer}, which empties this folder when it runs again.\n")
    return resolved
