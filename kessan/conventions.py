"""The names kessan's modules share, defined once: where the published warehouse is, and the statuses of a check.

Nothing here imports DuckDB or dbt, so any module (kessan.folders, which runs before either is needed) can read
it. Which check fails the build is not here: it is a column of the warehouse, `rpt_data_quality.is_failing`, the
one definition every gate reads (the dbt test, the Great Expectations suites, the Spark build, the bench and the
report).
"""

from __future__ import annotations

import os
from pathlib import Path

DB_PATH_VARIABLE = "KESSAN_DB_PATH"  # profiles.yml's `path` of the published warehouse reads it too
DEFAULT_DB_PATH = "warehouse/kessan.duckdb"  # profiles.yml's default when KESSAN_DB_PATH is not set
# rpt_data_quality.status, in the order the report and the manifest list them (models/reports/_reports.yml).
STATUSES = ("pass", "documented_exception", "fail", "stale_exception")


def database_path() -> Path:
    """The published warehouse: $KESSAN_DB_PATH, else warehouse/kessan.duckdb (relative to the working directory)."""
    return Path(os.environ.get(DB_PATH_VARIABLE, DEFAULT_DB_PATH))
