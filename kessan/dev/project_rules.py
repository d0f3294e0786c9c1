"""dbt-project-evaluator's rules, as checks of dbt's manifest (target/manifest.json).

dbt Hub is unreachable here, so the package cannot be installed (docs/decisions.md D33): its rules that matter for
kessan are small pure functions of the parsed manifest, each returning its violations sorted, one string per
violation, `<node>: <what is wrong>`. python_tests/test_project_rules.py runs them on the project's own manifest.
A violation that is a design choice is an entry of EXCEPTIONS with its reason; an exception that matches no
violation any more is itself a violation (stale), so the list cannot outlive its reasons.

The project has no dbt sources: its raw data are seeds (docs/decisions.md D1, D20), so the rules about sources
read sources and seeds alike ("raw inputs").

Rules expressed (the evaluator's names):
    fct_model_naming_conventions: a model in a layer's folder has that layer's prefix
    fct_model_directories: a model with a layer's prefix is in that layer's folder
    fct_missing_primary_key_tests: every model has a primary-key test (see has_primary_key_test)
    fct_undocumented_models: every model has a description
    fct_undocumented_public_models: a public model describes itself and every column
    fct_public_models_without_contract: a public model has an enforced contract
    fct_exposures_dependent_on_private_models: an exposure reads public models only
    fct_exposure_parents_materializations: an exposure reads tables (or incremental models), no raw input
    fct_model_fanout: no model is read by 3 leaf models or more (the evaluator's default)
    fct_rejoining_of_upstream_concepts: no A -> B -> C with A -> C, where C is all that reads B
    fct_root_models: every model has a parent (seeds count)
    fct_direct_join_to_source: a model reads raw inputs or models, not both
    fct_marts_or_intermediate_dependent_on_source: only staging reads raw inputs
    fct_staging_dependent_on_staging: a staging model reads no staging model
    fct_staging_dependent_on_marts_or_intermediate: a staging model reads raw inputs only
    fct_multiple_sources_joined: a model reads one raw input at most
    fct_source_fanout: a raw input is read by one model
    fct_unused_sources: every raw input is read

Rules left out:
    fct_duplicate_sources, fct_source_directories, fct_sources_without_freshness, fct_undocumented_sources,
    fct_undocumented_source_tables: about declared sources, and the project declares none (a seed is a file).
    fct_documentation_coverage, fct_test_coverage: percentages, weaker than requiring every model described and
    key-tested (fct_undocumented_models, fct_missing_primary_key_tests).
    fct_hard_coded_references: a regular-expression scan of each model's SQL, not a rule of the DAG; models name
    relations by ref, but for the Parquet inputs of D20 (read_parquet, by design).
    fct_too_many_joins: a count of refs (7 or more); a statement combining periods, line items and values is the
    design, and the count says nothing of it.
    fct_chained_views_dependencies: a query-cost rule for views over views; every view here reads a seed or a
    table, and exposures read tables only (fct_exposure_parents_materializations).
    fct_test_directories: where a test's YAML lives; each layer's tests are in the YAML files of its folder.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

Manifest = dict[str, Any]
Rule = Callable[[Manifest], list[str]]

MODELS_FANOUT_THRESHOLD = 3  # the evaluator's models_fanout_threshold: a violation at 3 leaf children or more
# Each layer's folder under models/ and the prefixes of its models' names.
LAYER_PREFIXES = {
    "staging": ("stg_",),
    "intermediate": ("int_",),
    "marts": ("dim_", "fct_"),
    "reports": ("rpt_",),
    "metrics": ("mtr_",),
    "semantic": ("sem_",),
}
# The evaluator's graph: what a model feeds besides its tests, unit tests and analyses (which read, never feed).
DAG_TYPES = frozenset({"model", "seed", "snapshot", "source", "exposure", "metric", "semantic_model", "saved_query"})
RAW_TYPES = ("source", "seed")
EXPOSURE_MATERIALIZATIONS = ("table", "incremental")
# Generic tests whose argument lists the columns that together identify a row (tests/generic/).
COMBINATION_TESTS = {"unique_combination_of_columns": "combination", "unique_figure": "columns"}

TIME_SPINE = (
    "the semantic layer's time spine (`time_spine:` in models/semantic/_semantic.yml): a dimension of fiscal days, "
    "named as one, kept with the semantic models it serves in schema semantic, not a published mart (protected)"
)
UNITS_COMPILED_IN = (
    "no join: macro to_base_unit reads the units seed when stg_reported_figures compiles and writes its "
    "multipliers into a CASE, so amounts are normalised once, in staging (D2); the ref makes dbt load units first"
)
# (rule, node): why the violation is the design. Each must match a violation of its rule, or it is stale.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("fct_model_naming_conventions", "dim_fiscal_days"): TIME_SPINE,
    ("fct_model_directories", "dim_fiscal_days"): TIME_SPINE,
    ("fct_multiple_sources_joined", "stg_reported_figures"): UNITS_COMPILED_IN,
    ("fct_source_fanout", "units"): "stg_units stages the seed; stg_reported_figures " + UNITS_COMPILED_IN,
    ("fct_rejoining_of_upstream_concepts", "fct_segment_revenue_components"): (
        "fct_segment_gross_margin is a published fact of its own, read by the results report and analysis "
        "segment_mix (exposures, which the evaluator does not count as readers), not a step to fold in; the "
        "components read stg_segments for the segment's revenue line and dim_fiscal_periods for the prior year, "
        "which the gross-margin fact does not carry"
    ),
    ("fct_rejoining_of_upstream_concepts", "int_checks_defined_identities"): (
        "int_identity_anchors, which only it reads, is split out of it for memory: in one query with the terms' "
        "joins over int_period_values_by_document, DuckDB ran out of memory under a 3 GB cap at 10,000 companies "
        "(docs/decisions.md D35)"
    ),
    ("fct_rejoining_of_upstream_concepts", "rpt_reported_vs_derived"): (
        "each int_checks_ model is one family of checks under its own key test (int_checks_defined_identities "
        "under unit tests too); the report unions them and names each check's family and description "
        "(stg_identities) and fiscal period (int_reported_figures), which no check carries"
    ),
}


def resource_type(unique_id: str) -> str:
    return unique_id.split(".", 1)[0]


def name_of(manifest: Manifest, unique_id: str) -> str:
    for kind in ("nodes", "sources", "exposures", "metrics", "semantic_models", "saved_queries"):
        if unique_id in manifest.get(kind, {}):
            return manifest[kind][unique_id]["name"]
    return unique_id


def names(manifest: Manifest, unique_ids: Iterable[str]) -> str:
    return ", ".join(sorted(name_of(manifest, unique_id) for unique_id in unique_ids))


def models(manifest: Manifest) -> dict[str, dict[str, Any]]:
    return {uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] == "model"}


def raw_inputs(manifest: Manifest) -> list[str]:
    seeds = [uid for uid, node in manifest["nodes"].items() if node["resource_type"] == "seed"]
    return [*manifest.get("sources", {}), *seeds]


def parents(manifest: Manifest, unique_id: str) -> list[str]:
    return [uid for uid in manifest["parent_map"].get(unique_id, []) if resource_type(uid) in DAG_TYPES]


def children(manifest: Manifest, unique_id: str) -> list[str]:
    return [uid for uid in manifest["child_map"].get(unique_id, []) if resource_type(uid) in DAG_TYPES]


def folder(node: dict[str, Any]) -> str | None:
    """The model's folder under models/ (its fqn: project, folders..., name); None directly in models/."""
    return node["fqn"][1] if len(node["fqn"]) > 2 else None


def prefix_layer(name: str) -> str | None:
    return next((layer for layer, prefixes in LAYER_PREFIXES.items() if name.startswith(prefixes)), None)


def model_naming_conventions(manifest: Manifest) -> list[str]:
    found = []
    for node in models(manifest).values():
        prefixes = LAYER_PREFIXES.get(folder(node) or "")
        if prefixes and not node["name"].startswith(prefixes):
            found.append(f"{node['name']}: in models/{folder(node)}/, not named {' or '.join(prefixes)}...")
    return sorted(found)


def model_directories(manifest: Manifest) -> list[str]:
    found = []
    for node in models(manifest).values():
        layer, path = prefix_layer(node["name"]), node["original_file_path"]
        if folder(node) not in LAYER_PREFIXES:
            found.append(f"{node['name']}: {path} is in no layer's folder ({', '.join(LAYER_PREFIXES)})")
        elif layer and layer != folder(node):
            found.append(f"{node['name']}: named as a model of models/{layer}/, in {path}")
    return sorted(found)


def has_primary_key_test(manifest: Manifest, unique_id: str) -> bool:
    """A key the build checks: one of the project's combination tests, dbt's `unique` and `not_null` on one
    column, or under an enforced contract a `primary_key` constraint or a column's `unique`/`not_null` constraints
    (the evaluator's mixed method: a unique test with a not_null constraint). A test with a `where` config checks
    some rows only, so it is no key."""
    unique, not_null = set(), set()
    for child in manifest["child_map"].get(unique_id, []):
        test = manifest["nodes"].get(child, {})
        if test.get("resource_type") != "test" or test.get("attached_node") != unique_id or test["config"].get("where"):
            continue
        metadata = test.get("test_metadata") or {}  # none for a singular test
        kind, kwargs = metadata.get("name"), metadata.get("kwargs", {})
        if kind in COMBINATION_TESTS and kwargs.get(COMBINATION_TESTS[kind]):
            return True
        if kind == "unique":
            unique.add(kwargs.get("column_name"))
        elif kind == "not_null":
            not_null.add(kwargs.get("column_name"))
    model = manifest["nodes"][unique_id]
    if model["contract"]["enforced"]:
        if any(constraint["type"] == "primary_key" for constraint in model.get("constraints", [])):
            return True
        for column, spec in model["columns"].items():
            kinds = {constraint["type"] for constraint in spec.get("constraints", [])}
            if "primary_key" in kinds:
                return True
            for kind, columns in (("unique", unique), ("not_null", not_null)):
                if kind in kinds:
                    columns.add(column)
    return bool((unique & not_null) - {None})


def missing_primary_key_tests(manifest: Manifest) -> list[str]:
    return sorted(
        f"{node['name']}: no primary-key test (unique and not_null on a column, unique_combination_of_columns, "
        "unique_figure, or a primary_key constraint)"
        for uid, node in models(manifest).items()
        if not has_primary_key_test(manifest, uid)
    )


def undocumented_models(manifest: Manifest) -> list[str]:
    return sorted(
        f"{node['name']}: no description" for node in models(manifest).values() if not node["description"].strip()
    )


def public(node: dict[str, Any]) -> bool:
    return node.get("access") == "public"


def undocumented_public_models(manifest: Manifest) -> list[str]:
    found = []
    for node in models(manifest).values():
        if not public(node):
            continue
        undescribed = sorted(name for name, column in node["columns"].items() if not column["description"].strip())
        if not node["description"].strip():
            found.append(f"{node['name']}: public, without a description")
        if not node["columns"]:
            found.append(f"{node['name']}: public, declares no columns")
        if undescribed:
            found.append(f"{node['name']}: public, columns without a description: {', '.join(undescribed)}")
    return sorted(found)


def public_models_without_contract(manifest: Manifest) -> list[str]:
    return sorted(
        f"{node['name']}: public, without an enforced contract"
        for node in models(manifest).values()
        if public(node) and not node["contract"]["enforced"]
    )


def exposure_parents(manifest: Manifest) -> list[tuple[str, str]]:
    """(exposure name, parent unique id) for every relation an exposure reads."""
    return [
        (exposure["name"], parent)
        for exposure in manifest.get("exposures", {}).values()
        for parent in exposure["depends_on"]["nodes"]
    ]


def exposures_dependent_on_private_models(manifest: Manifest) -> list[str]:
    found = []
    for exposure, parent in exposure_parents(manifest):
        node = manifest["nodes"].get(parent, {})
        if resource_type(parent) != "model":
            found.append(f"{name_of(manifest, parent)}: a {resource_type(parent)}, read by exposure {exposure}")
        elif not public(node):
            found.append(f"{node['name']}: access {node.get('access')}, read by exposure {exposure}")
    return sorted(found)


def exposure_parents_materializations(manifest: Manifest) -> list[str]:
    found = []
    for exposure, parent in exposure_parents(manifest):
        if resource_type(parent) in RAW_TYPES:
            found.append(
                f"{name_of(manifest, parent)}: a raw input ({resource_type(parent)}), read by exposure {exposure}"
            )
        elif resource_type(parent) == "model":
            materialized = manifest["nodes"][parent]["config"]["materialized"]
            if materialized not in EXPOSURE_MATERIALIZATIONS:
                found.append(f"{name_of(manifest, parent)}: a {materialized}, read by exposure {exposure}")
    return sorted(found)


def model_fanout(manifest: Manifest) -> list[str]:
    """As the evaluator counts: a model's direct children that are models nothing reads (leaves)."""
    leaves = {uid for uid in models(manifest) if not children(manifest, uid)}
    found = []
    for uid, node in models(manifest).items():
        leaf_children = [child for child in children(manifest, uid) if child in leaves]
        if len(leaf_children) >= MODELS_FANOUT_THRESHOLD:
            found.append(f"{node['name']}: read by {len(leaf_children)} leaf models ({names(manifest, leaf_children)})")
    return sorted(found)


def rejoining_of_upstream_concepts(manifest: Manifest) -> list[str]:
    """A model C reading A and B, where B reads A and only C reads B: B is a step of C's, or C should not read A.
    As in the evaluator, exposures and metrics are not readers (B read by C and a dashboard is still single-use)."""

    def readers(unique_id: str) -> list[str]:
        return [uid for uid in children(manifest, unique_id) if resource_type(uid) not in ("exposure", "metric")]

    found = []
    for uid, node in models(manifest).items():
        direct = set(parents(manifest, uid))
        for between in sorted(direct):
            if readers(between) == [uid]:
                for rejoined in sorted(direct & set(parents(manifest, between))):
                    found.append(
                        f"{node['name']}: reads {name_of(manifest, rejoined)} directly and through "
                        f"{name_of(manifest, between)}, which nothing else reads"
                    )
    return sorted(found)


def root_models(manifest: Manifest) -> list[str]:
    return sorted(
        f"{node['name']}: no parent (it refs nothing and reads no source)"
        for uid, node in models(manifest).items()
        if not parents(manifest, uid)
    )


def split_parents(manifest: Manifest, unique_id: str) -> tuple[list[str], list[str]]:
    """A model's (raw inputs, models) among its parents."""
    direct = parents(manifest, unique_id)
    return (
        [uid for uid in direct if resource_type(uid) in RAW_TYPES],
        [uid for uid in direct if resource_type(uid) == "model"],
    )


def direct_join_to_source(manifest: Manifest) -> list[str]:
    found = []
    for uid, node in models(manifest).items():
        raw, upstream = split_parents(manifest, uid)
        if raw and upstream:
            found.append(
                f"{node['name']}: reads raw inputs ({names(manifest, raw)}) and models ({names(manifest, upstream)})"
            )
    return sorted(found)


def marts_or_intermediate_dependent_on_source(manifest: Manifest) -> list[str]:
    found = []
    for uid, node in models(manifest).items():
        raw, _ = split_parents(manifest, uid)
        if raw and folder(node) != "staging":
            found.append(f"{node['name']}: in models/{folder(node)}/, reads raw inputs ({names(manifest, raw)})")
    return sorted(found)


def staging_upstream(manifest: Manifest, staging: bool) -> list[tuple[str, list[str]]]:
    """(staging model, the models it reads that are staging models, or that are not when `staging` is False)."""
    every = models(manifest)
    found = []
    for uid, node in every.items():
        if folder(node) == "staging":
            _, upstream = split_parents(manifest, uid)
            matching = [parent for parent in upstream if (folder(every[parent]) == "staging") == staging]
            if matching:
                found.append((node["name"], matching))
    return found


def staging_dependent_on_staging(manifest: Manifest) -> list[str]:
    return sorted(
        f"{name}: a staging model reading staging models ({names(manifest, upstream)})"
        for name, upstream in staging_upstream(manifest, staging=True)
    )


def staging_dependent_on_marts_or_intermediate(manifest: Manifest) -> list[str]:
    return sorted(
        f"{name}: a staging model reading models of other layers ({names(manifest, upstream)})"
        for name, upstream in staging_upstream(manifest, staging=False)
    )


def multiple_sources_joined(manifest: Manifest) -> list[str]:
    found = []
    for uid, node in models(manifest).items():
        raw, _ = split_parents(manifest, uid)
        if len(raw) > 1:
            found.append(f"{node['name']}: reads {len(raw)} raw inputs ({names(manifest, raw)})")
    return sorted(found)


def model_children(manifest: Manifest, unique_id: str) -> list[str]:
    return [uid for uid in children(manifest, unique_id) if resource_type(uid) == "model"]


def source_fanout(manifest: Manifest) -> list[str]:
    found = []
    for uid in raw_inputs(manifest):
        readers = model_children(manifest, uid)
        if len(readers) > 1:
            found.append(
                f"{name_of(manifest, uid)}: a raw input read by {len(readers)} models ({names(manifest, readers)})"
            )
    return sorted(found)


def unused_sources(manifest: Manifest) -> list[str]:
    return sorted(
        f"{name_of(manifest, uid)}: a raw input nothing reads"
        for uid in raw_inputs(manifest)
        if not children(manifest, uid)
    )


RULES: dict[str, Rule] = {
    "fct_model_naming_conventions": model_naming_conventions,
    "fct_model_directories": model_directories,
    "fct_missing_primary_key_tests": missing_primary_key_tests,
    "fct_undocumented_models": undocumented_models,
    "fct_undocumented_public_models": undocumented_public_models,
    "fct_public_models_without_contract": public_models_without_contract,
    "fct_exposures_dependent_on_private_models": exposures_dependent_on_private_models,
    "fct_exposure_parents_materializations": exposure_parents_materializations,
    "fct_model_fanout": model_fanout,
    "fct_rejoining_of_upstream_concepts": rejoining_of_upstream_concepts,
    "fct_root_models": root_models,
    "fct_direct_join_to_source": direct_join_to_source,
    "fct_marts_or_intermediate_dependent_on_source": marts_or_intermediate_dependent_on_source,
    "fct_staging_dependent_on_staging": staging_dependent_on_staging,
    "fct_staging_dependent_on_marts_or_intermediate": staging_dependent_on_marts_or_intermediate,
    "fct_multiple_sources_joined": multiple_sources_joined,
    "fct_source_fanout": source_fanout,
    "fct_unused_sources": unused_sources,
}


def subject(violation: str) -> str:
    """The node a violation names (its text before the first colon)."""
    return violation.split(":", 1)[0]


def unexcepted(manifest: Manifest, rule: str) -> list[str]:
    """The rule's violations without its exceptions, and each of its exceptions that matches no violation."""
    found = RULES[rule](manifest)
    excepted = {node: reason for (name, node), reason in EXCEPTIONS.items() if name == rule}
    stale = sorted(set(excepted) - {subject(violation) for violation in found})
    return sorted(
        [violation for violation in found if subject(violation) not in excepted]
        + [f"{node}: stale exception, no such violation any more ({excepted[node]})" for node in stale]
    )


def unknown_rule_exceptions() -> list[str]:
    """Exceptions of a rule this module does not have (renamed or removed): stale too."""
    return sorted(f"{rule}: no such rule, exception for {node}" for rule, node in EXCEPTIONS if rule not in RULES)


def main(argv: Sequence[str] | None = None) -> int:
    """Print every rule's violations (exceptions left out, stale ones included); 1 if there is any."""
    parser = argparse.ArgumentParser(prog="python -m kessan project-rules", description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=Path("target/manifest.json"), help="default %(default)s")
    arguments = parser.parse_args(argv)
    try:
        manifest = json.loads(arguments.manifest.read_text())
    except (OSError, ValueError) as error:
        print(f"kessan project-rules: cannot read the manifest {arguments.manifest} ({error}): run `dbt parse` first")
        return 2
    failing = 0
    for rule in RULES:
        violations = unexcepted(manifest, rule)
        failing += bool(violations)
        print(f"{rule}: {len(violations) or 'ok'}")
        for violation in violations:
            print(f"  {violation}")
    unknown = unknown_rule_exceptions()
    for violation in unknown:
        print(violation)
    print(f"{len(RULES) - failing} of {len(RULES)} rules hold, with {len(EXCEPTIONS)} documented exceptions")
    return 1 if failing or unknown else 0
