"""What a BI tool gets from the published warehouse: the README's connection recipes, run as written; the example
analyses, compiled by dbt and run read-only; column descriptions inside the database; the Parquet exports and
the manifest; the storage version older DuckDB readers open.

All of it runs against a copy of the session's pristine build (a published warehouse in a copy of the
project), from the copy's directory, while another process holds the database open read-only, and must leave every
published file as it was.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from kessan.publish import git_commit, sha256

from .builds import PROJECT_DIR, Build, copy_built, environment

README = PROJECT_DIR / "README.md"
SECTION = "## Connect a BI tool"
FENCE = re.compile(r"^```(sh|python)\n(.*?)^```$", re.M | re.S)
ANALYSES = ["plan_vs_actual", "quarterly_revenue_and_margin_trend", "reconciliation_exceptions", "segment_mix"]
TIMEOUT = 120  # seconds for any one recipe or dbt command


@dataclass(frozen=True)
class Recipe:
    language: str  # sh or python
    code: str


def readme_recipes() -> list[Recipe]:
    """The code blocks of the README's "Connect a BI tool" section, in order."""
    text = README.read_text()
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    return [Recipe(language, code) for language, code in FENCE.findall(section)]


def run_recipe(recipe: Recipe, project_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run a recipe as written, in the project copy, whose .venv is this interpreter's, in a user's environment:
    none of the variables `make` or the tests set."""
    command = ["bash", "-euo", "pipefail", "-c", recipe.code] if recipe.language == "sh" else [sys.executable, "-c"]
    if recipe.language == "python":
        command.append(recipe.code)
    unset = {"KESSAN_DB_PATH", "KESSAN_BUILD_DB_PATH", "DBT_PROFILES_DIR", "PYTHONPATH"}
    env = {name: value for name, value in os.environ.items() if name not in unset}
    env |= {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_USE_COLORS": "false"}
    return subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True, timeout=TIMEOUT)


def published_files(db_path: Path) -> dict[str, str]:
    """sha256 of every published file (the database, the manifest, the Parquet files)."""
    root = db_path.parent
    files = [db_path, root / "manifest.json", *sorted((root / "parquet").glob("*.parquet"))]
    return {str(path.relative_to(root)): sha256(path) for path in files}


@pytest.fixture(scope="module")
def published(pristine_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    """A copy of the pristine build, its .venv this interpreter's, held open by a reader; its files must not
    change."""
    assert pristine_build.returncode == 0, pristine_build.tail()
    build = copy_built(pristine_build, tmp_path_factory.mktemp("bi_access") / "kessan")
    (build.project_dir / ".venv").symlink_to(sys.prefix)
    before = published_files(build.db_path)
    hold = "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); print('ready', flush=True); input()"
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(build.db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready", "the reader did not open it"
    yield build
    holder.communicate("\n", timeout=TIMEOUT)
    assert holder.returncode == 0, "the reader failed"
    assert published_files(build.db_path) == before, "reading changed a published file"


def test_the_readme_covers_every_way_in() -> None:
    code = "\n".join(recipe.code for recipe in readme_recipes())
    for way in (
        "duckdb -readonly warehouse/kessan.duckdb",
        'duckdb.connect("warehouse/kessan.duckdb", read_only=True)',
        'create_engine("duckdb:///warehouse/kessan.duckdb", connect_args={"read_only": True})',
        "'warehouse/parquet/",
        "dbt show",
        "'warehouse/manifest.json'",
    ):
        assert way in code, f"no recipe of README's {SECTION!r} uses {way!r}"


@pytest.mark.parametrize("index", range(len(readme_recipes())))
def test_readme_recipe_runs(index: int, published: Build) -> None:
    recipe = readme_recipes()[index]
    completed = run_recipe(recipe, published.project_dir)
    assert completed.returncode == 0, f"{recipe.code}\n{completed.stdout}\n{completed.stderr}"
    output = completed.stdout
    assert any(marker in output for marker in ("1Q17", "FY17", "Network services", "passed")), output


def test_analyses_compile_and_run_against_the_published_file(published: Build) -> None:
    project = published.project_dir
    # As the README's `dbt show` recipe runs (the default path, relative): so dbt's saved parse carries over.
    compiled = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "compile", "--select", "resource_type:analysis", "--quiet"],
        cwd=project,
        env={name: value for name, value in environment(project).items() if name != "KESSAN_DB_PATH"},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    folder = project / "target" / "compiled" / "kessan" / "analyses"
    assert sorted(path.stem for path in folder.glob("*.sql")) == sorted(
        path.stem for path in (project / "analyses").glob("*.sql")
    )
    assert {path.stem for path in folder.glob("*.sql")} >= set(ANALYSES)
    with duckdb.connect(str(published.db_path), read_only=True) as connection:
        for path in sorted(folder.glob("*.sql")):
            rows = connection.execute(path.read_text()).fetchall()
            assert rows, f"{path.name} returned no rows"


def public_models(build: Build) -> dict[str, dict[str, Any]]:
    """The models of the build's dbt manifest with access: public (the group `results`), by name."""
    manifest = json.loads((build.project_dir / "target" / "manifest.json").read_text())
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["access"] == "public"
    }


def test_the_default_schema_holds_the_public_surface_only(published: Build) -> None:
    """What a BI tool lists first (`main`): the public models, every one a table, and nothing else; the seeds,
    staging and intermediate models, the semantic layer's and the stored test failures each in a schema of
    their own (macros/generate_schema_name.sql)."""
    public = public_models(published)
    folders = {node["original_file_path"].split("/")[1] for node in public.values()}
    assert folders == {"marts", "reports", "metrics"}
    with duckdb.connect(str(published.db_path), read_only=True) as connection:
        relations = connection.execute(
            "select schema_name, table_name, 'table' from duckdb_tables() where database_name = current_database()"
            " union all select schema_name, view_name, 'view' from duckdb_views()"
            " where database_name = current_database() and not internal"
        ).fetchall()
    in_main = {name: kind for schema, name, kind in relations if schema == "main"}
    assert in_main == dict.fromkeys(public, "table")
    schemas = {schema: set() for schema, _, _ in relations}
    for schema, name, _ in relations:
        schemas[schema].add(name)
    assert set(schemas) == {"main", "raw", "staging", "intermediate", "semantic"}  # no stored test failures: D34
    assert {"reported_figures", "companies"} <= schemas["raw"]
    assert all(name.startswith("stg_") for name in schemas["staging"])
    assert all(name.startswith("int_") for name in schemas["intermediate"])
    assert schemas["semantic"] == {"dim_fiscal_days", "sem_income_statement_quarters"}


def test_every_public_column_has_its_description_in_the_database(published: Build) -> None:
    public = public_models(published)
    with duckdb.connect(str(published.db_path), read_only=True) as connection:
        columns = connection.execute(
            "select table_name, column_name, comment from duckdb_columns()"
            " where database_name = current_database() and schema_name = 'main'"
        ).fetchall()
        tables = dict(
            connection.execute(
                "select table_name, comment from duckdb_tables()"
                " where database_name = current_database() and schema_name = 'main'"
            ).fetchall()
        )
    comments = {(table, column): comment for table, column, comment in columns}
    expected = {
        (name, column): spec["description"] for name, node in public.items() for column, spec in node["columns"].items()
    }
    assert len(expected) > 200
    assert comments == expected
    assert tables == {name: node["description"] for name, node in public.items()}


def test_parquet_exports_and_manifest_describe_the_published_database(published: Build) -> None:
    """One Parquet file per public relation, the same rows, and its descriptions in its key-value metadata:
    `kessan.description`, and `kessan.columns` (JSON: column -> description, in column order), as README says."""
    root = published.db_path.parent
    manifest = json.loads((root / "manifest.json").read_text())
    public = public_models(published)
    names = sorted(public)
    assert {"mtr_income_statement_fiscal_quarter", "rpt_data_quality", "fct_balance_sheet"} <= set(names)
    assert sorted(manifest["relations"]) == names
    assert sorted(path.stem for path in (root / "parquet").glob("*.parquet")) == names
    with duckdb.connect(str(published.db_path), read_only=True) as connection:
        for name in names:
            rows = connection.execute(f"select count(*) from {name}").fetchone()[0]  # type: ignore[index]
            parquet = root / manifest["relations"][name]["parquet"]
            assert connection.execute(f"select count(*) from '{parquet}'").fetchone()[0] == rows, name  # type: ignore[index]
            assert manifest["relations"][name]["rows"] == rows, name
            differing = connection.execute(
                f"select count(*) from (select * from {name} except all select * from '{parquet}')"
            ).fetchone()[0]  # type: ignore[index]
            assert differing == 0, name
            metadata = dict(
                connection.execute(
                    "select decode(key), decode(value) from parquet_kv_metadata(?)", [str(parquet)]
                ).fetchall()
            )
            assert metadata["kessan.description"] == public[name]["description"], name
            columns = json.loads(metadata["kessan.columns"])
            assert list(columns) == [row[0] for row in connection.execute(f"describe {name}").fetchall()], name
            assert columns == {column: spec["description"] for column, spec in public[name]["columns"].items()}, name
        by_status = dict(connection.execute("select status, count(*) from rpt_data_quality group by all").fetchall())
        (invocation_id,) = connection.execute("select any_value(build_id) from rpt_data_quality").fetchone()  # type: ignore[misc]
    assert {status: count for status, count in manifest["data_quality"]["by_status"].items() if count} == by_status
    assert manifest["data_quality"]["validation"] == "passed"
    assert manifest["data_quality"]["checks"] == sum(by_status.values())
    assert manifest["dbt_invocation_id"] == invocation_id
    assert manifest["build_id"] == os.readlink(root / "current").split("/")[-1]
    assert manifest["database"]["sha256"] == sha256(published.db_path)
    assert manifest["duckdb_version"] == duckdb.__version__
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["built_at"])
    # The commit of the project built: "unknown" for a copy outside git (builds.copy_project), the project's
    # commit for the build `make test` made in it (builds.reusable_build).
    assert re.fullmatch(r"[0-9a-f]{40}|unknown", manifest["git_commit"]), manifest["git_commit"]


def test_git_commit_of_a_clone() -> None:
    commit, dirty = git_commit(PROJECT_DIR)
    if (PROJECT_DIR / ".git").exists():
        assert re.fullmatch(r"[0-9a-f]{40}", commit) and isinstance(dirty, bool)
    else:
        assert (commit, dirty) == ("unknown", None)


def test_the_published_file_has_the_pinned_storage_version(published: Build) -> None:
    """DuckDB >= 1.0 reads storage version 64 ("v1.0.0+"); decisions D17 has the measurements."""
    profile = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text())["kessan"]["outputs"]["build"]
    assert profile["config_options"]["storage_compatibility_version"] == "v1.0.0"
    with published.db_path.open("rb") as handle:
        header = handle.read(20)
    assert header[8:12] == b"DUCK" and int.from_bytes(header[12:20], "little") == 64
    manifest = json.loads((published.db_path.parent / "manifest.json").read_text())
    assert manifest["storage_version"] == "v1.0.0+"
