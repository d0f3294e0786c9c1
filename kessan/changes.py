"""What changed since the published build: the inputs' fingerprints, one per company and one for the rest.

A build by company (docs/decisions.md D36) recomputes only the companies whose inputs changed: kessan.build
compares the fingerprints of the inputs as they are with those the published manifest recorded (`inputs`), and
passes the changed companies to dbt as the var `changed_companies` (macros/by_company.sql), starting from a copy
of the published database. Everything else (the project's code and every seed that is not a company's) is one
fingerprint, `project_sha256`: when it changed, or anything else makes the comparison unsafe (`Changes.reason`),
the build is a full one.

A company's fingerprint covers every row of a company seed that belongs to it, with the row's position in its
file, since a figure's seed line is part of what the warehouse holds: appending a document changes only its
company; a row inserted in the middle of a file changes every company whose rows move. A fingerprint is the count
and the sum of the rows' 64-bit hashes (DuckDB's `hash`), so it does not depend on the order the rows are read
in, and a row printed twice counts twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from kessan.publish import SOURCES, sql_string

# The seeds whose rows belong to one company, and how a row names its company. A slide belongs to its document's
# company; a documented exception to the company of the check it excuses (check ids are `<identity>|<figure id>`,
# figure ids `<company>:...`: the SQL of macros/figure_ids.sql's company_of_check).
COMPANY_SEEDS: Mapping[str, str] = {
    "companies": "company_id",
    "source_documents": "company_id",
    "reported_figures": "company_id",
    "slides": "(select any_value(d.company_id) from source_documents as d where d.document_id = rows.document_id)",
    "reconciliation_exceptions": "nullif(split_part(split_part(check_id, '|', 2), ':', 1), '')",  # company_of_check
}


@dataclass(frozen=True)
class Inputs:
    """The fingerprints of one build's inputs."""

    project_sha256: str  # the code and every seed that is not a company's
    companies: dict[str, str]  # company id -> fingerprint of its rows
    orphan_rows: int  # rows of a company seed that name no company (a build by company cannot place them)

    def record(self) -> dict[str, object]:
        """As the manifest keeps them (`inputs`)."""
        return {"project_sha256": self.project_sha256, "companies": self.companies}


@dataclass(frozen=True)
class Changes:
    """What a build must recompute: `companies` (sorted) when it can be built by company, else `reason` says why
    it is a full build."""

    companies: list[str] | None
    reason: str | None = None


def project_sha256(project_dir: Path, external_dir: Path | None = None) -> str:
    """sha256 over the path and bytes of every source file (kessan.publish.SOURCES) but the company seeds' CSVs,
    and, with external inputs, the name of their folder."""
    company_files = {project_dir / "seeds" / f"{name}.csv" for name in COMPANY_SEEDS}
    digest = hashlib.sha256(f"external_dir={external_dir}\0".encode())
    for name in SOURCES:
        top = project_dir / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file()) if top.is_dir() else []
        for path in files:
            if "__pycache__" in path.parts or path in company_files:
                continue
            digest.update(f"{path.relative_to(project_dir).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def load_company_seeds(con: duckdb.DuckDBPyConnection, project_dir: Path, external_dir: Path | None) -> None:
    """Each company seed as a table of its rows as the build reads them, with `position`, the row's place in its
    file: the project's CSV (every column as text; loaded in file order, as dbt-duckdb loads a seed, so `rowid`
    is the row's place), or with external inputs the folder's Parquet file (macros/external_or_seed.sql)."""
    for name in COMPANY_SEEDS:
        if external_dir is not None:
            path = sql_string(str(external_dir / f"{name}.parquet"))
            con.execute(
                f"create temp table {name} as select * exclude (file_row_number), file_row_number + 1 as position "
                f"from read_parquet({path}, file_row_number = true)"
            )
        else:
            path = sql_string(str(project_dir / "seeds" / f"{name}.csv"))
            con.execute(
                f"create temp table {name} as select * from read_csv({path}, header = true, all_varchar = true, "
                "parallel = false)"
            )
            con.execute(f"create or replace temp table {name} as select *, rowid + 1 as position from {name}")


def fingerprints(project_dir: Path, external_dir: Path | None = None) -> Inputs:
    """The fingerprints of the inputs a build would read now."""
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        load_company_seeds(con, project_dir, external_dir)
        parts = " union all ".join(
            f"select {company} as company_id, hash('{name}', rows) as row_hash from {name} as rows"
            for name, company in COMPANY_SEEDS.items()
        )
        rows = con.execute(
            f"""
            select company_id, count(*) as row_count, sum(row_hash::hugeint) as hash_sum
            from ({parts})
            group by company_id
            """
        ).fetchall()
    companies = {company: f"{count}:{total}" for company, count, total in rows if company is not None}
    orphans = sum(count for company, count, _ in rows if company is None)
    return Inputs(project_sha256(project_dir, external_dir), companies, orphans)


def changes(published: Mapping[str, object] | None, now: Inputs) -> Changes:
    """The companies to recompute, comparing the published manifest's `inputs` with the inputs now."""
    recorded = (published or {}).get("inputs")
    if not isinstance(recorded, Mapping) or not isinstance(recorded.get("companies"), Mapping):
        return Changes(None, "the published build recorded no fingerprints of its inputs")
    if recorded.get("project_sha256") != now.project_sha256:
        return Changes(None, "the project's code or a seed that is not a company's changed")
    if now.orphan_rows:
        return Changes(None, f"{now.orphan_rows} row(s) of the company seeds name no company")
    before: Mapping[str, object] = recorded["companies"]
    changed = sorted(
        company for company in set(before) | set(now.companies) if before.get(company) != now.companies.get(company)
    )
    if not changed:
        return Changes(None, "no company's inputs changed since the published build (built again, checked again)")
    if len(changed) == len(now.companies.keys() | before.keys()):
        return Changes(None, "every company changed")
    return Changes(changed)
