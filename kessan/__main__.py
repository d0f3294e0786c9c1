"""kessan's one command line: `python -m kessan COMMAND [options]` (`python -m kessan COMMAND --help`).

Each command is a function, `main(argv)` of its module, imported only when it runs (Great Expectations takes
seconds to import; the report needs neither it nor dbt). The shipped path is kessan/ (build, validate,
rollback, report); the developer tools are kessan/dev/. A command runs another in a child process only where a
separate process is the point (docs/decisions.md D32): the build runs the validation in one, which opens the
staged file read-only while dbt's connection to it is still open in the build's process; the bench runs the
generator, dbt and the validation in their own, to time each and measure its peak memory; `make test`'s phases
run side by side.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# command: (module, what it does). The module's main(argv) parses the rest of the command line.
COMMANDS = {
    "build": ("kessan.build", "build, validate, audit and publish the warehouse (make build)"),
    "validate": ("kessan.validate", "the Great Expectations suites over a warehouse, with Data Docs"),
    "rollback": ("kessan.publish", "publish the previous generation again (make rollback; again: undo)"),
    "report": ("kessan.report", "the results report, one offline HTML file (make report)"),
    "bench": ("kessan.dev.bench", "developer tool: the scale benchmark on synthetic companies (make bench)"),
    "synthetic": ("kessan.dev.synthetic", "developer tool: synthetic companies' figures, as Parquet"),
    "snapshot": ("kessan.dev.snapshot", "developer tool: export two builds' relations and compare them"),
    "project-rules": ("kessan.dev.project_rules", "developer tool: the project's structure rules on its manifest"),
    "spark-build": ("kessan.dev.spark_build", "developer tool: the models on Apache Spark, compared with DuckDB"),
    "phases": ("kessan.dev.phases", "developer tool: run commands as timed phases (make test)"),
}


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kessan",
        description=__doc__.splitlines()[0],
        epilog="`python -m kessan COMMAND --help` prints a command's options.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (_, summary) in COMMANDS.items():
        commands.add_parser(name, help=summary, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] not in COMMANDS:
        parser().parse_args(arguments[:1])  # prints the usage (and exits 2 on an unknown command, 0 on --help)
    command, *rest = arguments
    module, _ = COMMANDS[command]
    return importlib.import_module(module).main(rest)


if __name__ == "__main__":
    sys.exit(main())
