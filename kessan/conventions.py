"""The names kessan's modules share, defined once: where the project and the published warehouse are, the
statuses of a check, and how a list of figure ids is written.

Nothing here imports DuckDB or dbt, so any module (kessan.folders, which runs before either is needed) can read
it. Which check fails the build is not here: it is a column of the warehouse, `rpt_data_quality.is_failing`, the
one definition every gate reads (the dbt test, the Great Expectations suites, the Spark build, the bench and the
report).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]  # the dbt project: dbt_project.yml, profiles.yml, seeds/

DB_PATH_VARIABLE = "KESSAN_DB_PATH"  # profiles.yml's `path` of the published warehouse reads it too
DEFAULT_DB_PATH = "warehouse/kessan.duckdb"  # profiles.yml's default when KESSAN_DB_PATH is not set
# rpt_data_quality.status, in the order the report and the manifest list them (models/reports/_reports.yml).
STATUSES = ("pass", "documented_exception", "fail", "stale_exception")
# How rpt_data_quality (reported_figure_ids, derived_from_figure_ids) and rpt_reported_vs_derived write a list of
# figure ids; in SQL the macros figure_id_list and figure_id_array (macros/figure_ids.sql) use the same separator.
FIGURE_ID_SEPARATOR = ", "


def database_path() -> Path:
    """The published warehouse: $KESSAN_DB_PATH, else warehouse/kessan.duckdb (relative to the working directory)."""
    return Path(os.environ.get(DB_PATH_VARIABLE, DEFAULT_DB_PATH))


def figure_ids(*lists: str | None) -> list[str]:
    """The figure ids of one or more written lists (FIGURE_ID_SEPARATOR), in order; NULL or empty lists add none."""
    return [figure for text in lists if text for figure in str(text).split(FIGURE_ID_SEPARATOR) if figure]


def figure_id_array_sql(*columns: str) -> str:
    """SQL (DuckDB and Spark alike) for the array of the figure ids in the columns: macros/figure_ids.sql's
    figure_id_array, for the queries kessan runs outside dbt (the bench, the Spark build)."""
    separator = FIGURE_ID_SEPARATOR.replace("'", "''")
    return f"split(concat_ws('{separator}', {', '.join(columns)}), '{separator}')"
