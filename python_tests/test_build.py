"""`make build` (python -m kessan build) on the project as it is, and on seeds broken in one place each.

A broken seed must fail the build, and the output must say where to fix it: the seed, the CSV line
and the figure, on one line (the failing test's `message`). The broken seeds are built together, in one
build: each case breaks its own copy of the company (`bad_<case>`), so that each case's message names its
own line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pytest

from kessan.conventions import FIGURE_ID_SEPARATOR, figure_id_array_sql, figure_ids

from .builds import FIGURES_SEED, Build, Seed, add_company_copies, copy_project, run_build

# The figure every case breaks: total revenues of 3Q FY2017 as printed on slide III-2.
TARGET = {
    "slide_id": "III-2",
    "line_item_id": "revenue",
    "period": "FY2017-Q3",
    "scenario": "actual",
    "basis": "value",
}
SUMMARY = re.compile(r"^kessan build: (OK|FAILED)\s+PASS=\d+ WARN=\d+ FAIL=\d+ ERROR=\d+ SKIP=\d+\s+in [\d.]+ s", re.M)


def test_pristine_project_builds(pristine_build: Build) -> None:
    assert pristine_build.returncode == 0, pristine_build.tail()
    summary = SUMMARY.search(pristine_build.output)
    assert summary and summary.group(1) == "OK", pristine_build.tail()
    assert pristine_build.db_path.is_file()


def test_seed_line_is_the_csv_line(pristine_build: Build) -> None:
    """stg_reported_figures.seed_line is the line of the row in the CSV file, for every row."""
    assert pristine_build.returncode == 0, pristine_build.tail()
    with (pristine_build.project_dir / FIGURES_SEED).open(newline="") as handle:
        reader = csv.DictReader(handle)
        expected, line = {}, 2
        for record in reader:
            expected[line] = tuple(
                record[column].strip() for column in ("company_id", "slide_id", "line_item_id", "period", "basis")
            ) + (record["printed_value"],)
            line = reader.line_num + 1
    with duckdb.connect(str(pristine_build.db_path), read_only=True) as connection:
        rows = connection.execute(
            "select seed_line, company_id, slide_id, line_item_id, period_code, basis, printed_value"
            " from staging.stg_reported_figures"
        ).fetchall()
    actual = {row[0]: tuple(row[1:]) for row in rows}
    assert len(rows) == len(actual) == len(expected)
    assert actual == expected


def test_published_figure_id_lists_split_into_the_figures_they_name(pristine_build: Build) -> None:
    """Every figure id the checks' lists name, split as kessan.conventions.figure_ids and SQL's figure_id_array
    split them, is a printed figure: the separator in Python, in the macros and in the published lists agree."""
    with duckdb.connect(str(pristine_build.db_path), read_only=True) as connection:
        figures = {
            figure for (figure,) in connection.execute("select figure_id from fct_figures_as_reported").fetchall()
        }
        lists = connection.execute(
            "select reported_figure_ids, derived_from_figure_ids from rpt_data_quality"
        ).fetchall()
        in_sql = {
            figure
            for (figure,) in connection.execute(
                "select distinct unnest("
                + figure_id_array_sql("reported_figure_ids", "derived_from_figure_ids")
                + ") from rpt_data_quality"
            ).fetchall()
        }
    in_python = {figure for row in lists for figure in figure_ids(*row)}
    assert any(derived and FIGURE_ID_SEPARATOR in derived for _, derived in lists)  # lists of several are split
    assert in_python == in_sql
    assert in_python - figures == set()


@dataclass(frozen=True)
class BadInput:
    """A way to break the target figure's row, and what the output must then say about it."""

    break_seed: Callable[[Seed, int], None]  # (seed, line of the target row)
    # What one output line must contain, given the seed and the target row's line after the edit.
    expected: Callable[[Seed, int], list[str]]


def set_field(column: str, value: str) -> Callable[[Seed, int], None]:
    """Break the target row by setting one of its fields."""

    def edit(seed: Seed, line: int) -> None:
        seed.replace(line, [seed.render({**seed.record(line), column: value})])

    return edit


def names_row(*texts: str) -> Callable[[Seed, int], list[str]]:
    """The target row's line, its figure and the given texts."""
    return lambda seed, line: [f"line {line}:", "revenue", *texts]


def other_quarter_lines(seed: Seed, line: int) -> list[str]:
    """After the target quarter's row is deleted: the figure, the missing quarter and the lines of the others."""
    company = seed.record(line - 1)["company_id"]  # the row before the deleted one is of the same company
    present = [seed.find(**{**TARGET, "company_id": company, "period": f"FY2017-Q{q}"}) for q in (1, 2, 4)]
    return [company, "revenue", "FY2017-Q3", *(str(present_line) for present_line in present)]


BAD_INPUTS = {
    "non_numeric_value": BadInput(set_field("printed_value", "12a"), names_row("FY2017-Q3", "'12a'")),
    "unknown_line_item": BadInput(set_field("line_item_id", "revenues"), lambda s, n: [f"line {n}:", "'revenues'"]),
    "unknown_unit": BadInput(set_field("unit_id", "jpy_millon"), names_row("FY2017-Q3", "'jpy_millon'")),
    "unknown_period": BadInput(set_field("period", "FY2017-Q5"), names_row("'FY2017-Q5'")),
    "duplicated_figure": BadInput(
        lambda seed, line: seed.replace(line, [seed.raw(line)] * 2),
        lambda seed, line: [f"line {line}:", "revenue", "FY2017-Q3", f"{line}, {line + 1}"],
    ),
    "missing_quarter": BadInput(lambda seed, line: seed.replace(line, []), other_quarter_lines),
    "missing_document": BadInput(set_field("document_id", "no-such-document"), names_row("'no-such-document'")),
}
# Cases that break the copy's document (seeds/source_documents.csv): (column, value, what the line must say).
BAD_DOCUMENTS = {
    "unknown_rounding": ("rounding", "nearest", ["'nearest'", "round, truncate"]),
    "unknown_document_company": ("company_id", "nobody", ["'nobody'", "stg_companies"]),
}
SAME_DATE = "same_date_conflict"  # a second document of the same date printing the target figure otherwise


@dataclass(frozen=True)
class BadInputsBuild:
    build: Build
    expected: dict[str, list[str]]  # case -> what one output line must contain


@pytest.fixture(scope="module")
def bad_inputs_build(tmp_path_factory: pytest.TempPathFactory) -> BadInputsBuild:
    """One build of the project with every case of BAD_INPUTS in its own copy of the company."""
    project = copy_project(tmp_path_factory.mktemp("bad_inputs") / "kessan")
    add_company_copies(project, (f"bad_{name}" for name in (*BAD_INPUTS, *BAD_DOCUMENTS, SAME_DATE)))
    seed = Seed(project / FIGURES_SEED)
    expected = {}
    # Top to bottom: an edit moves only the lines below it, which are edited later.
    for name, case in BAD_INPUTS.items():
        line = seed.find(**TARGET, company_id=f"bad_{name}")
        case.break_seed(seed, line)
        expected[name] = ["reported_figures", *case.expected(seed, line)]
    documents = Seed(project / "seeds" / "source_documents.csv")
    for name, (column, value, texts) in BAD_DOCUMENTS.items():
        line = documents.find(company_id=f"bad_{name}")
        documents.replace(line, [documents.render({**documents.record(line), column: value})])
        expected[name] = ["source_documents", f"line {line}:", *texts]
    # The same figure in a second document published the same day, with another value: both lines named.
    company = f"bad_{SAME_DATE}"
    original = documents.record(documents.find(company_id=company))
    documents.append([documents.render({**original, "document_id": f"{company}-reprint"})])
    slides = Seed(project / "seeds" / "slides.csv")
    slides.append([slides.render({"document_id": f"{company}-reprint", "slide_id": "III-2", "title": "Revenues"})])
    line = seed.find(**TARGET, company_id=company)
    seed.append([seed.render({**seed.record(line), "document_id": f"{company}-reprint", "printed_value": "44,700"})])
    appended = seed.records()[-1][0]
    expected[SAME_DATE] = ["reported_figures", f"lines {line} and {appended}", "44,700", "published on"]
    return BadInputsBuild(run_build(project), expected)


def test_bad_inputs_fail_the_build(bad_inputs_build: BadInputsBuild) -> None:
    build = bad_inputs_build.build
    assert build.returncode != 0, build.tail()
    summary = SUMMARY.search(build.output)
    assert summary and summary.group(1) == "FAILED", build.tail()


@pytest.mark.parametrize("case", [*BAD_INPUTS, *BAD_DOCUMENTS, SAME_DATE])
def test_bad_input_names_the_row(case: str, bad_inputs_build: BadInputsBuild) -> None:
    expected, build = bad_inputs_build.expected[case], bad_inputs_build.build
    assert any(all(text in output_line for text in expected) for output_line in build.output.splitlines()), (
        f"no output line names all of {expected}:\n{build.tail(200)}"
    )
