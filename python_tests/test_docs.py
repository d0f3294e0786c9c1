"""`make docs`: the dbt docs site of the pristine build describes everything, declares its exposures truthfully,
and renders offline.

`dbt docs generate --static` runs on a copy of the session's pristine build (read-only target), then:
- every model, seed, source, analysis, macro, exposure, semantic model (its measures and dimensions) and metric
  of the project has a description, and so does every column the warehouse has (catalog.json), while no
  described column is missing from the warehouse;
- each analysis's exposure depends on exactly what the analysis refs, and the report's on exactly what
  kessan/report/page.py reads;
- the single-file site loads nothing from the network and renders the overview in headless Chromium with the
  network off.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kessan.report import RELATIONS

from .browser import dump_dom, parse
from .builds import Build, copy_built

DBT = Path(sys.executable).parent / "dbt"
DESCRIBED = ("model", "seed", "snapshot", "analysis")


@dataclass(frozen=True)
class DocsSite:
    site: Path
    manifest: dict[str, Any]
    catalog: dict[str, Any]


@pytest.fixture(scope="module")
def docs_site(pristine_build: Build, tmp_path_factory: pytest.TempPathFactory) -> DocsSite:
    assert pristine_build.returncode == 0, pristine_build.tail()
    build = copy_built(pristine_build, tmp_path_factory.mktemp("docs") / "kessan")
    project = build.project_dir
    environment = {
        **os.environ,
        "KESSAN_DB_PATH": str(build.db_path),
        "DBT_PROFILES_DIR": str(project),
        "DBT_TARGET": "readonly",
    }
    completed = subprocess.run(
        [str(DBT), "docs", "generate", "--static", "--quiet"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    target = project / "target"
    return DocsSite(
        target / "static_index.html",
        json.loads((target / "manifest.json").read_text()),
        json.loads((target / "catalog.json").read_text()),
    )


def ours(resources: dict[str, Any]) -> dict[str, Any]:
    return {uid: node for uid, node in resources.items() if node.get("package_name") == "kessan"}


PROJECT_DIR = Path(__file__).resolve().parent.parent
DOC_CALL = re.compile(r"doc\((.*?)\)")


def test_yaml_calls_doc_one_way() -> None:
    """Every `doc()` in the project's YAML is written `doc("name")` (in a single-quoted or folded string); the
    rest of the style (indentation, lists indented under their key) is yamllint's (.yamllint, make lint)."""
    odd = [
        f"{path.relative_to(PROJECT_DIR)}:{number}: {call.group(0)}"
        for folder in ("models", "macros", "seeds", "tests", "analyses")
        for path in sorted((PROJECT_DIR / folder).rglob("*.yml"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        for call in DOC_CALL.finditer(line)
        if not re.fullmatch(r'"[a-z0-9_]+"', call.group(1)) or re.search(r'"\{\{ *doc', line)
    ]
    assert not odd, "write doc() as '{{ doc(\"name\") }}':\n" + "\n".join(odd)


def test_every_resource_and_column_is_described(docs_site: DocsSite) -> None:
    manifest, catalog = docs_site.manifest, docs_site.catalog
    undescribed = [
        uid
        for uid, node in ours(manifest["nodes"]).items()
        if node["resource_type"] in DESCRIBED and not node.get("description", "").strip()
    ]
    for kind in ("sources", "macros", "exposures", "semantic_models", "metrics"):
        undescribed += [uid for uid, node in ours(manifest[kind]).items() if not node.get("description", "").strip()]
    for uid, model in ours(manifest["semantic_models"]).items():
        for part in ("measures", "dimensions"):
            undescribed += [
                f"{uid}.{item['name']}" for item in model[part] if not (item.get("description") or "").strip()
            ]
    assert not undescribed, f"without a description: {undescribed}"

    relations = {**ours(manifest["nodes"]), **ours(manifest["sources"])}
    relations = {uid: node for uid, node in relations.items() if node["resource_type"] in ("model", "seed", "source")}
    undocumented, stale, empty = [], [], []
    for uid, node in relations.items():
        documented = {name.lower(): column for name, column in node["columns"].items()}
        actual = {name.lower() for name in (catalog["nodes"].get(uid) or catalog["sources"].get(uid, {}))["columns"]}
        assert actual, f"{uid} is not in the warehouse"
        undocumented += [f"{uid}.{name}" for name in sorted(actual - set(documented))]
        stale += [f"{uid}.{name}" for name in sorted(set(documented) - actual)]
        empty += [f"{uid}.{name}" for name, column in documented.items() if not column.get("description", "").strip()]
    assert not undocumented, f"columns of the warehouse without a description: {undocumented}"
    assert not stale, f"described columns the warehouse does not have: {stale}"
    assert not empty, f"columns with an empty description: {empty}"
    assert len(relations) > 40


def test_exposures_depend_on_what_they_read(docs_site: DocsSite) -> None:
    manifest = docs_site.manifest
    exposures = {node["name"]: node for node in ours(manifest["exposures"]).values()}
    report = exposures["results_report"]
    assert set(report["depends_on"]["nodes"]) == {f"model.kessan.{relation}" for relation in RELATIONS}
    analyses = [node for node in ours(manifest["nodes"]).values() if node["resource_type"] == "analysis"]
    assert len(analyses) == 4
    for analysis in analyses:
        exposure = exposures.get(f"analysis_{analysis['name']}")
        assert exposure, f"analysis {analysis['name']} has no exposure"
        assert exposure["type"] == "analysis"
        assert set(exposure["depends_on"]["nodes"]) == set(analysis["depends_on"]["nodes"]), analysis["name"]
    assert set(exposures) == {"results_report", *(f"analysis_{a['name']}" for a in analyses)}


def test_docs_site_renders_offline(docs_site: DocsSite) -> None:
    text = docs_site.site.read_text()
    # One file: manifest and catalog inlined, no script, stylesheet or font loaded from elsewhere.
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", text, re.I)
    assert not re.search(r"fonts\.googleapis|@import\s+url", text, re.I)
    # dbt docs loads a tracker from a CDN only when the manifest allows anonymous usage statistics.
    assert docs_site.manifest["metadata"]["send_anonymous_usage_stats"] is False
    page = parse(dump_dom(docs_site.site, "#!/overview", budget_ms=20000))
    headings = {element.attrs.get("id", "") for element in page.elements if element.tag == "h2"}
    for heading in ("layers", "the-fiscal-calendar", "units-and-signs", "metrics"):
        assert heading in headings, f"overview heading {heading} not rendered: {sorted(headings)}"
