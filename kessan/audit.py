"""The audit of write-audit-publish against what is published: a build may add, never silently remove.

kessan.build calls `removals` once dbt and the Great Expectations suites passed, before it exports anything. It
compares the staged database with the published one (both opened read-only) and lists what publishing would
remove: a mart of the published manifest that has fewer rows (or is gone), check instances of rpt_data_quality
(by check_id) and printed figures of fct_figures_as_reported (by figure_id) that the published build has and
this one has not. A figure corrected in place keeps its id, so only a figure deleted, or moved to another line
item, period, scenario, basis, document or slide, counts as removed; the same for checks.

Any removal fails the build (exit status 1, nothing published), naming what disappears, unless the user says so
(`python -m kessan build --allow-removal`); the manifest records the comparison either way (docs/decisions.md
D27). A first publish has nothing to compare with. A published database that cannot be read (a corrupted release)
is reported and does not block a build that replaces it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

MANIFEST = "manifest.json"
MAX_NAMED = 20  # removed checks or figures printed by name; the rest are counted
# (table, key column, what one row is): the instances compared one by one.
KEYED = (("rpt_data_quality", "check_id", "check"), ("fct_figures_as_reported", "figure_id", "figure"))
PUBLISHED = "published"  # the published database's catalog alias in the audit's connection


@dataclass
class Audit:
    """What publishing the staged build would remove from the published one."""

    compared_with: str | None  # the published build id, None when nothing is published (or it is unreadable)
    fewer_rows: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # mart -> (published, built)
    removed: dict[str, list[str]] = field(default_factory=dict)  # "check" / "figure" -> keys gone
    unreadable: str | None = None  # why the published database could not be compared

    @property
    def removes(self) -> bool:
        return bool(self.fewer_rows or any(self.removed.values()))

    def lines(self) -> list[str]:
        """What disappears, one line per mart and per removed instance (MAX_NAMED of each kind)."""
        lines = [
            f"{mart}: {published:,} rows published, {'no such table' if built is None else f'{built:,}'} in this "
            f"build ({'all' if built is None else f'{built - published:+,}'})"
            for mart, (published, built) in sorted(self.fewer_rows.items())
        ]
        for kind, keys in self.removed.items():
            lines += [f"{kind} {key} is published, and not in this build" for key in keys[:MAX_NAMED]]
            if len(keys) > MAX_NAMED:
                lines.append(f"... and {len(keys) - MAX_NAMED} more {kind}s")
        return lines

    def record(self, allowed: bool) -> dict[str, Any]:
        """The comparison as the manifest keeps it."""
        return {
            "compared_with": self.compared_with,
            "removal_allowed": allowed,
            "unreadable_published": self.unreadable,
            "fewer_rows": {mart: {"published": p, "built": b} for mart, (p, b) in sorted(self.fewer_rows.items())},
            "removed": {kind: {"count": len(keys), "first": keys[:MAX_NAMED]} for kind, keys in self.removed.items()},
        }


def published_manifest(published_db: Path) -> dict[str, Any] | None:
    """The manifest beside the published database (the `current` release's), None when there is none."""
    path = published_db.parent / MANIFEST
    return json.loads(path.read_text()) if path.is_file() else None


def removals(built_db: Path, published_db: Path) -> Audit:
    """Compare the staged database `built_db` with the published `published_db` (module docstring)."""
    try:
        manifest = published_manifest(published_db)
    except (OSError, ValueError) as error:
        return Audit(None, unreadable=f"{published_db.parent / MANIFEST}: {error}")
    if manifest is None or not published_db.is_file():
        return Audit(None)
    audit = Audit(manifest.get("build_id"))
    try:
        with duckdb.connect(str(built_db), read_only=True) as connection:
            path = str(published_db.resolve()).replace("'", "''")  # a folder may have a quote in its name
            connection.execute(f"attach '{path}' as {PUBLISHED} (read_only)")
            tables = "select table_name from duckdb_tables() where database_name = ?"
            built_tables = {name for (name,) in connection.execute(tables, [built_db.stem]).fetchall()}
            published_tables = {name for (name,) in connection.execute(tables, [PUBLISHED]).fetchall()}
            # "marts": the key of manifests written before the public surface (docs/decisions.md D32).
            for mart in manifest.get("relations", manifest.get("marts", {})):
                (published_rows,) = connection.execute(f'select count(*) from {PUBLISHED}."{mart}"').fetchone()  # type: ignore[misc]
                built_rows = (
                    connection.execute(f'select count(*) from "{mart}"').fetchone()[0]  # type: ignore[index]
                    if mart in built_tables
                    else None
                )
                if built_rows is None or built_rows < published_rows:
                    audit.fewer_rows[mart] = (published_rows, built_rows)
            for table, key, kind in KEYED:
                if table not in built_tables or table not in published_tables:
                    continue  # a table gone is counted above; one new since the published build removes nothing
                gone = connection.execute(
                    f'select {key} from {PUBLISHED}."{table}" except select {key} from "{table}" order by 1'
                ).fetchall()
                audit.removed[kind] = [str(value) for (value,) in gone]
    except duckdb.Error as error:
        return Audit(None, unreadable=f"{published_db}: {type(error).__name__}: {error}")
    return audit
