"""kessan.dev.project_rules, dbt-project-evaluator's rules as checks of the manifest.

On the project's own manifest (the pristine build's target/manifest.json): every rule holds but for its
documented exceptions, and no exception is stale, a test per rule. On small hand-written manifests: a project
that breaks no rule, and each rule catching what it should when one thing in it changes, so that none of the
tests above can pass because a rule finds nothing anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kessan.dev import project_rules
from kessan.dev.project_rules import EXCEPTIONS, RULES, Manifest, main, unexcepted, unknown_rule_exceptions

from .builds import Build


@pytest.fixture(scope="module")
def project_manifest(pristine_build: Build) -> Manifest:
    assert pristine_build.returncode == 0, pristine_build.tail()
    return json.loads((pristine_build.project_dir / "target" / "manifest.json").read_text())


@pytest.mark.parametrize("rule", RULES)
def test_the_project_keeps_the_rule(project_manifest: Manifest, rule: str) -> None:
    violations = unexcepted(project_manifest, rule)
    assert not violations, f"{rule} (fix the project, or add an exception with its reason):\n" + "\n".join(violations)


def test_the_project_manifest_is_the_project(project_manifest: Manifest) -> None:
    """The rules read the whole project: its models in every layer, its seeds and exposures, its tests."""
    models = project_rules.models(project_manifest).values()
    assert {project_rules.folder(node) for node in models} == set(project_rules.LAYER_PREFIXES)
    assert len(models) > 40 and len(project_manifest["exposures"]) >= 5
    assert len(project_rules.raw_inputs(project_manifest)) > 10
    assert sum(node["resource_type"] == "test" for node in project_manifest["nodes"].values()) > 100


def test_every_exception_has_a_rule_and_a_reason() -> None:
    assert not unknown_rule_exceptions()
    assert all(len(reason) > 40 for reason in EXCEPTIONS.values())


# A synthetic project, each of its nodes a hand-written dict with the fields the rules read. Two seeds, each
# staged; an intermediate model; a dimension and a fact, public under enforced contracts; a dashboard reading
# both. Each model's key is checked another way: unique + not_null tests (stg_companies), unique_figure
# (stg_figures), unique_combination_of_columns (int_figures), a unique test with a not_null constraint
# (dim_companies), a primary_key constraint (fct_figures).
Nodes = dict[str, dict[str, Any]]  # by unique id: models, seeds, tests and the exposure
Change = Callable[[Nodes], object]  # changes the nodes in place


def uid(name: str) -> str:
    return f"seed.demo.{name}" if name in ("companies", "figures", "units") else f"model.demo.{name}"


def model(name: str, folder: str | None, parents: list[str], **fields: Any) -> dict[str, Any]:
    path = f"models/{folder}/{name}.sql" if folder else f"models/{name}.sql"
    return {
        "resource_type": "model",
        "name": name,
        "fqn": ["demo", folder, name] if folder else ["demo", name],
        "original_file_path": path,
        "description": f"The {name} model.",
        "access": "protected",
        "config": {"materialized": "table"},
        "contract": {"enforced": False},
        "constraints": [],
        "columns": {},
        "depends_on": {"nodes": [uid(parent) for parent in parents]},
        **fields,
    }


def public_model(name: str, parents: list[str], key: str, constraint: str) -> dict[str, Any]:
    columns = {key: {"description": "The key.", "constraints": [{"type": constraint}]}}
    return model(name, "marts", parents, access="public", contract={"enforced": True}, columns=columns)


def seed(name: str) -> dict[str, Any]:
    return {"resource_type": "seed", "name": name, "depends_on": {"nodes": []}}


def data_test(kind: str, model_name: str, **kwargs: Any) -> dict[str, Any]:
    return {
        "resource_type": "test",
        "name": f"{kind}_{model_name}",
        "attached_node": uid(model_name),
        "test_metadata": {"name": kind, "kwargs": kwargs},
        "config": {"where": None},
        "depends_on": {"nodes": [uid(model_name)]},
    }


def project() -> Nodes:
    """The synthetic project, breaking no rule."""
    nodes = {
        uid("companies"): seed("companies"),
        uid("figures"): seed("figures"),
        uid("stg_companies"): model("stg_companies", "staging", ["companies"], config={"materialized": "view"}),
        uid("stg_figures"): model("stg_figures", "staging", ["figures"], config={"materialized": "view"}),
        uid("int_figures"): model("int_figures", "intermediate", ["stg_figures"]),
        uid("dim_companies"): public_model("dim_companies", ["stg_companies"], "company_id", "not_null"),
        uid("fct_figures"): public_model("fct_figures", ["int_figures", "dim_companies"], "figure_id", "primary_key"),
        "exposure.demo.dashboard": {
            "resource_type": "exposure",
            "name": "dashboard",
            "depends_on": {"nodes": [uid("dim_companies"), uid("fct_figures")]},
        },
    }
    tests = [
        data_test("unique", "stg_companies", column_name="company_id"),
        data_test("not_null", "stg_companies", column_name="company_id"),
        data_test("unique_figure", "stg_figures", columns=["figure_id"]),
        data_test("unique_combination_of_columns", "int_figures", combination=["company_id", "period"]),
        data_test("unique", "dim_companies", column_name="company_id"),
        data_test("accepted_values", "stg_figures", column_name="unit"),  # not a key test
    ]
    nodes.update({f"test.demo.{test['name']}": test for test in tests})
    return nodes


def manifest_of(nodes: Nodes) -> Manifest:
    """A manifest of these nodes: exposures apart, parent_map and child_map from each node's depends_on."""
    parent_map = {node_id: list(node["depends_on"]["nodes"]) for node_id, node in nodes.items()}
    child_map: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    for node_id, parents in parent_map.items():
        for parent in parents:
            child_map[parent].append(node_id)
    return {
        "nodes": {node_id: node for node_id, node in nodes.items() if node["resource_type"] != "exposure"},
        "exposures": {node_id: node for node_id, node in nodes.items() if node["resource_type"] == "exposure"},
        "sources": {},
        "parent_map": parent_map,
        "child_map": {node_id: sorted(children) for node_id, children in child_map.items()},
    }


def broken(change: Change) -> Manifest:
    nodes = project()
    change(nodes)
    return manifest_of(nodes)


def test_the_synthetic_project_breaks_no_rule() -> None:
    manifest = manifest_of(project())
    assert {rule: found for rule, check in RULES.items() if (found := check(manifest))} == {}


def set_field(name: str, **fields: Any) -> Change:
    return lambda nodes: nodes[uid(name)].update(fields)


def add_parent(name: str, parent: str) -> Change:
    return lambda nodes: nodes[uid(name)]["depends_on"]["nodes"].append(uid(parent))


def exposure_reads(name: str) -> Change:
    return lambda nodes: nodes["exposure.demo.dashboard"]["depends_on"]["nodes"].append(uid(name))


def add_model(name: str, folder: str, parents: list[str]) -> Change:
    return lambda nodes: nodes.update({uid(name): model(name, folder, parents)})


def set_test(name: str, **fields: Any) -> Change:
    return lambda nodes: nodes[f"test.demo.{name}"].update(fields)


def drop_test(name: str) -> Change:
    return lambda nodes: nodes.pop(f"test.demo.{name}")


def move(name: str, folder: str | None) -> Change:
    """The model moved to models/<folder>/ (models/ itself for None)."""
    moved = model(name, folder, [])
    return set_field(name, fqn=moved["fqn"], original_file_path=moved["original_file_path"])


def leaf_reports(count: int) -> Change:
    """`count` reports reading dim_companies that nothing reads (leaves), and one more that the dashboard reads."""

    def change(nodes: Nodes) -> None:
        for index in range(count + 1):
            add_model(f"rpt_{index}", "reports", ["dim_companies"])(nodes)
        nodes["exposure.demo.dashboard"]["depends_on"]["nodes"].append(uid(f"rpt_{count}"))

    return change


def retarget(test: str, column: str) -> Change:
    return lambda nodes: nodes[f"test.demo.{test}"]["test_metadata"]["kwargs"].update(column_name=column)


def set_column(name: str, column: str, **fields: Any) -> Change:
    return lambda nodes: nodes[uid(name)]["columns"][column].update(fields)


def both(*changes: Change) -> Change:
    return lambda nodes: [change(nodes) for change in changes]


NO_KEY = (
    ": no primary-key test (unique and not_null on a column, unique_combination_of_columns, unique_figure, or a "
    "primary_key constraint)"
)
CASES = [
    pytest.param(
        set_field("fct_figures", config={"materialized": "view"}),
        "fct_exposure_parents_materializations",
        ["fct_figures: a view, read by exposure dashboard"],
        id="a view read by an exposure",
    ),
    pytest.param(
        exposure_reads("companies"),
        "fct_exposure_parents_materializations",
        ["companies: a raw input (seed), read by exposure dashboard"],
        id="a seed read by an exposure",
    ),
    pytest.param(
        exposure_reads("int_figures"),
        "fct_exposures_dependent_on_private_models",
        ["int_figures: access protected, read by exposure dashboard"],
        id="a private model read by an exposure",
    ),
    pytest.param(
        drop_test("not_null_stg_companies"),
        "fct_missing_primary_key_tests",
        ["stg_companies" + NO_KEY],
        id="unique without not_null",
    ),
    pytest.param(
        retarget("not_null_stg_companies", "company_name"),
        "fct_missing_primary_key_tests",
        ["stg_companies" + NO_KEY],
        id="unique and not_null on two columns",
    ),
    pytest.param(
        set_test("unique_stg_companies", config={"where": "company_id <> 'x'"}),
        "fct_missing_primary_key_tests",
        ["stg_companies" + NO_KEY],
        id="unique on some rows only",
    ),
    pytest.param(
        drop_test("unique_figure_stg_figures"),
        "fct_missing_primary_key_tests",
        ["stg_figures" + NO_KEY],
        id="no unique_figure",
    ),
    pytest.param(
        drop_test("unique_combination_of_columns_int_figures"),
        "fct_missing_primary_key_tests",
        ["int_figures" + NO_KEY],
        id="no unique_combination_of_columns",
    ),
    pytest.param(
        drop_test("unique_dim_companies"),
        "fct_missing_primary_key_tests",
        ["dim_companies" + NO_KEY],
        id="a not_null constraint without a unique test",
    ),
    pytest.param(
        set_column("fct_figures", "figure_id", constraints=[{"type": "not_null"}]),
        "fct_missing_primary_key_tests",
        ["fct_figures" + NO_KEY],
        id="no primary_key constraint",
    ),
    pytest.param(
        set_field("fct_figures", contract={"enforced": False}),
        "fct_missing_primary_key_tests",
        ["fct_figures" + NO_KEY],
        id="a primary_key constraint without an enforced contract",
    ),
    pytest.param(
        set_field("fct_figures", contract={"enforced": False}),
        "fct_public_models_without_contract",
        ["fct_figures: public, without an enforced contract"],
        id="a public model without a contract",
    ),
    pytest.param(
        set_field("int_figures", description=" "),
        "fct_undocumented_models",
        ["int_figures: no description"],
        id="a model without a description",
    ),
    pytest.param(
        set_column("dim_companies", "company_id", description=""),
        "fct_undocumented_public_models",
        ["dim_companies: public, columns without a description: company_id"],
        id="a public column without a description",
    ),
    pytest.param(
        move("stg_companies", "marts"),
        "fct_model_naming_conventions",
        ["stg_companies: in models/marts/, not named dim_ or fct_..."],
        id="stg_ in marts: not a mart's name",
    ),
    pytest.param(
        move("stg_companies", "marts"),
        "fct_model_directories",
        ["stg_companies: named as a model of models/staging/, in models/marts/stg_companies.sql"],
        id="stg_ in marts: not staging's folder",
    ),
    pytest.param(
        move("int_figures", None),
        "fct_model_directories",
        [
            "int_figures: models/int_figures.sql is in no layer's folder "
            "(staging, intermediate, marts, reports, metrics, semantic)"
        ],
        id="a model directly in models/",
    ),
    pytest.param(
        leaf_reports(3),
        "fct_model_fanout",
        ["dim_companies: read by 3 leaf models (rpt_0, rpt_1, rpt_2)"],
        id="three leaf models read one",
    ),
    pytest.param(leaf_reports(2), "fct_model_fanout", [], id="two leaf models read one"),
    pytest.param(
        add_parent("fct_figures", "stg_figures"),
        "fct_rejoining_of_upstream_concepts",
        ["fct_figures: reads stg_figures directly and through int_figures, which nothing else reads"],
        id="a rejoin",
    ),
    pytest.param(
        both(add_parent("fct_figures", "stg_figures"), add_model("rpt_figures", "reports", ["int_figures"])),
        "fct_rejoining_of_upstream_concepts",
        [],
        id="a rejoin through a model another model reads",
    ),
    pytest.param(
        set_field("int_figures", depends_on={"nodes": []}),
        "fct_root_models",
        ["int_figures: no parent (it refs nothing and reads no source)"],
        id="a root model",
    ),
    pytest.param(
        add_parent("int_figures", "companies"),
        "fct_direct_join_to_source",
        ["int_figures: reads raw inputs (companies) and models (stg_figures)"],
        id="a model reading a seed and a model",
    ),
    pytest.param(
        add_parent("int_figures", "companies"),
        "fct_marts_or_intermediate_dependent_on_source",
        ["int_figures: in models/intermediate/, reads raw inputs (companies)"],
        id="an intermediate model reading a seed",
    ),
    pytest.param(
        add_parent("stg_figures", "stg_companies"),
        "fct_staging_dependent_on_staging",
        ["stg_figures: a staging model reading staging models (stg_companies)"],
        id="staging reading staging",
    ),
    pytest.param(
        add_parent("stg_companies", "int_figures"),
        "fct_staging_dependent_on_marts_or_intermediate",
        ["stg_companies: a staging model reading models of other layers (int_figures)"],
        id="staging reading intermediate",
    ),
    pytest.param(
        add_parent("stg_figures", "companies"),
        "fct_multiple_sources_joined",
        ["stg_figures: reads 2 raw inputs (companies, figures)"],
        id="a model reading two seeds",
    ),
    pytest.param(
        add_parent("stg_figures", "companies"),
        "fct_source_fanout",
        ["companies: a raw input read by 2 models (stg_companies, stg_figures)"],
        id="a seed read by two models",
    ),
    pytest.param(
        lambda nodes: nodes.update({uid("units"): seed("units")}),
        "fct_unused_sources",
        ["units: a raw input nothing reads"],
        id="a seed nothing reads",
    ),
]


@pytest.mark.parametrize(("change", "rule", "expected"), CASES)
def test_each_rule_catches_what_it_should(change: Change, rule: str, expected: list[str]) -> None:
    assert RULES[rule](broken(change)) == expected


def test_every_rule_is_shown_catching_something() -> None:
    assert {case.values[1] for case in CASES if case.values[2]} == set(RULES)


def test_an_exception_hides_its_violation_and_a_stale_one_is_a_violation(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = "fct_undocumented_models"
    monkeypatch.setattr(project_rules, "EXCEPTIONS", {(rule, "int_figures"): "a reason"})
    assert unexcepted(broken(set_field("int_figures", description="")), rule) == []
    stale = "int_figures: stale exception, no such violation any more (a reason)"
    assert unexcepted(manifest_of(project()), rule) == [stale]
    monkeypatch.setattr(project_rules, "EXCEPTIONS", {("fct_no_such_rule", "int_figures"): "a reason"})
    assert unknown_rule_exceptions() == ["fct_no_such_rule: no such rule, exception for int_figures"]


def test_main_prints_each_rule_and_fails_on_a_violation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(project_rules, "EXCEPTIONS", {})  # the project's own would be stale here
    clean, rejoined = tmp_path / "clean.json", tmp_path / "rejoined.json"
    clean.write_text(json.dumps(manifest_of(project())))
    rejoined.write_text(json.dumps(broken(add_parent("fct_figures", "stg_figures"))))
    assert main(["--manifest", str(clean)]) == 0
    assert f"{len(RULES)} of {len(RULES)} rules hold" in capsys.readouterr().out
    assert main(["--manifest", str(rejoined)]) == 1
    out = capsys.readouterr().out
    assert "fct_rejoining_of_upstream_concepts: 1\n  fct_figures: reads stg_figures directly" in out
    assert f"{len(RULES) - 1} of {len(RULES)} rules hold" in out


def test_main_names_a_missing_or_broken_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing, broken_json = tmp_path / "missing.json", tmp_path / "broken.json"
    broken_json.write_text("{not json")
    assert main(["--manifest", str(missing)]) == 2
    assert f"cannot read the manifest {missing}" in capsys.readouterr().out
    assert main(["--manifest", str(broken_json)]) == 2
    assert f"cannot read the manifest {broken_json}" in capsys.readouterr().out
