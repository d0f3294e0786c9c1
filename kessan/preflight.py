"""The preflight of `make build`: every seed CSV read before dbt runs, each problem named by file and line.

dbt loads a seed whole, and a seed it cannot read stops it with an error that names no line (or the wrong one),
or worse, loads: DuckDB's CSV reader skips a blank line and reads an unclosed quote as text, so every seed line
below is off by one in every message of the build, or a row goes missing. So before dbt, every
`seeds/**/*.csv` must be (docs/decisions.md D24, D29):

- UTF-8 (a byte order mark, Excel's "CSV UTF-8", is accepted): else the first line that is not, what it reads as
  and the command that converts it (seed_encoding_problem);
- not empty, with a header of the seed's columns as seeds/_seeds.yml lists them (in any order, each once);
- one record per line, each with as many fields as the header: a short or long row, a quote that is never
  closed (or closed lines later: a record over several lines), a malformed quote, a blank line between rows.
  The line named is the physical line the record starts on; CRLF line ends and blank lines at the end are fine.

Every problem of every seed is reported at once (the rest of a file is not read past a quote that breaks it).
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import yaml

SEEDS_DIR = Path("seeds")  # dbt_project.yml's seed-paths
SEEDS_YML = SEEDS_DIR / "_seeds.yml"  # each seed's columns
PREFLIGHT_EXIT = 2  # as dbt's own exit status when it cannot parse the project (a seed that is not UTF-8)
# What a seed that is not UTF-8 usually is: Shift_JIS as Excel on Japanese Windows writes it (Microsoft's CP932).
LIKELY_ENCODING = "cp932"
NEWLINE = b"\n"
SHOWN = 60  # characters of a bad line quoted in its message


def seed_encoding_problem(path: Path, shown: Path) -> str | None:
    """What is wrong with the encoding of the seed CSV at `path` (named `shown` in the message), or None when it
    is UTF-8, with or without a byte order mark (Excel's "CSV UTF-8"; dbt skips it). The message names the first
    line that is not UTF-8, what the file reads as, and the command that converts it."""
    data = path.read_bytes()
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        data[start:].decode("utf-8")
        return None
    except UnicodeDecodeError as error:
        offset = start + error.start
    line_start = data.rfind(NEWLINE, 0, offset) + 1
    line_end = data.find(NEWLINE, offset)
    raw_line = data[line_start : line_end if line_end >= 0 else len(data)].rstrip(b"\r")
    where = f"{shown} line {data.count(NEWLINE, 0, line_start) + 1}"
    found = f"byte 0x{data[offset]:02x} at byte {offset - line_start + 1} of the line"
    if any(byte >= 0x80 for byte in data[start:line_start]):  # UTF-8 text above: rows appended in another encoding
        return f"{where}: not UTF-8 ({found}), though the lines above are: save the lines from here on as UTF-8."
    try:
        data.decode(LIKELY_ENCODING)
    except UnicodeDecodeError:
        return f"{where}: not UTF-8 ({found}), nor CP932 (Shift_JIS). dbt reads seeds as UTF-8: save it as UTF-8."
    converted = Path(f"{shown.stem}.utf8.csv")
    return (
        f"{where}: not UTF-8 ({found}); the file reads as CP932 (Shift_JIS, as Excel on Japanese Windows saves a "
        f"CSV), and dbt reads seeds as UTF-8 only.\n"
        f"    line as CP932: {raw_line.decode(LIKELY_ENCODING)}\n"
        f"    convert it:    iconv -f CP932 -t UTF-8 {shown} > {converted} && mv {converted} {shown}"
    )


def seed_paths(project_dir: Path) -> list[Path]:
    return sorted((project_dir / SEEDS_DIR).rglob("*.csv"))


def seed_encoding_problems(project_dir: Path) -> list[str]:
    """One message per seed CSV of the project that is not UTF-8 (seed_encoding_problem)."""
    problems = (seed_encoding_problem(path, path.relative_to(project_dir)) for path in seed_paths(project_dir))
    return [problem for problem in problems if problem]


def expected_columns(project_dir: Path) -> dict[str, list[str]]:
    """Seed name -> its columns, as seeds/_seeds.yml lists them (seeds it does not list are not in it)."""
    path = project_dir / SEEDS_YML
    if not path.is_file():
        return {}
    seeds = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("seeds") or []
    return {seed["name"]: [column["name"] for column in seed.get("columns") or []] for seed in seeds}


def header_problems(header: list[str], expected: list[str] | None, shown: Path) -> list[str]:
    """What is wrong with a seed's header, given the columns _seeds.yml lists (None or []: not listed)."""
    where = f"{shown} line 1"
    if not any(header):
        return [f"{where}: blank: a seed's first line is its header" + (f": {','.join(expected)}" if expected else "")]
    twice = sorted({name for name in header if header.count(name) > 1})
    problems = [f"{where}: column {name!r} twice in the header" for name in twice]
    missing = [name for name in expected or [] if name not in header]
    unexpected = [name for name in header if expected and name not in expected]
    if missing or unexpected:
        found = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"not a column of the seed: {', '.join(map(repr, unexpected))}"] if unexpected else []
        )
        problems.append(
            f"{where}: the header is not the seed's columns (seeds/_seeds.yml): {'; '.join(found)}. "
            f"Expected (in any order): {','.join(expected or [])}"
        )
    return problems


def quoted_line(text: str, line: int) -> str:
    """Line `line` of `text` (1 = first), shortened, for a message."""
    lines = text.splitlines()
    content = lines[line - 1] if line <= len(lines) else ""
    return repr(content if len(content) <= SHOWN else content[: SHOWN - 1] + "…")


def csv_problems(text: str, shown: Path, expected: list[str] | None) -> list[str]:
    """Every structural problem of a seed's text (already decoded), each naming the line it starts on."""
    if not text.strip():
        what = "empty (0 bytes)" if not text else "blank"
        columns = f": {','.join(expected)}" if expected else ""
        return [f"{shown}: {what}: a seed's first line is its header{columns}"]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[str] = []
    header: list[str] | None = None
    blank_lines: list[int] = []
    while True:
        start = reader.line_num + 1  # the physical line the next record starts on
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:  # strict: stops at the first broken quote; nothing after it can be trusted
            if "unexpected end of data" in str(error):
                line, what = start, "a quote opened in this record is never closed (the rest of the file is one field)"
            else:
                line, what = reader.line_num, f"malformed quoting ({error})"
            problems.append(
                f"{shown} line {line}: {what}. A field with a quote, comma or line break is quoted whole, and a quote "
                f'inside it doubled (""). Line: {quoted_line(text, line)}'
            )
            break
        if header is None:
            header = record
            problems += header_problems(header, expected, shown)
            if not any(header):  # no header to count fields against
                break
            continue
        if not record:
            blank_lines.append(start)
            continue
        problems += [f"{shown} line {line}: blank line between rows: delete it" for line in blank_lines]
        blank_lines = []
        if reader.line_num > start:
            problems.append(
                f"{shown} line {start}: one record runs over lines {start}-{reader.line_num} (a quote not closed on "
                f"line {start}, or a line break inside a quoted field): a seed has one record per line. "
                f"Line: {quoted_line(text, start)}"
            )
        elif len(record) != len(header):
            problems.append(
                f"{shown} line {start}: {len(record)} fields, but the header has {len(header)} "
                f"({'a field missing' if len(record) < len(header) else 'a field too many'}: a comma missing or one "
                f"too many, or a text with a comma not quoted). Line: {quoted_line(text, start)}"
            )
    return problems  # blank lines left in blank_lines are at the end of the file: harmless


def seed_problems(project_dir: Path) -> list[str]:
    """The preflight: every problem of every seed CSV of the project, in file order."""
    expected = expected_columns(project_dir)
    problems: list[str] = []
    for path in seed_paths(project_dir):
        shown = path.relative_to(project_dir)
        encoding = seed_encoding_problem(path, shown)
        if encoding:
            problems.append(encoding)
            continue
        problems += csv_problems(path.read_text(encoding="utf-8-sig"), shown, expected.get(path.stem))
    return problems
