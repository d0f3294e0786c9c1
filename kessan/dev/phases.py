"""Run commands one after the other as named phases, then print one line per phase with its wall time.

Usage (the Makefile's `test` target):

    python -m kessan.dev.phases [--label LABEL] NAME='COMMAND' [NAME='COMMAND' ...]

Each command runs through bash with its output as it comes. The first phase that fails stops the run: its
exit status is this one's, and the phases after it are listed as not run. The summary is printed either way,
so a slow or failing phase shows at the end of the output.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence


def parse(arguments: Sequence[str]) -> list[tuple[str, str]]:
    """NAME=COMMAND pairs, in order."""
    phases = []
    for argument in arguments:
        name, equals, command = argument.partition("=")
        if not equals or not name or not command:
            raise SystemExit(f"kessan.dev.phases: expected NAME=COMMAND, got {argument!r}")
        phases.append((name, command))
    return phases


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if arguments else 2
    label = "phases"
    if arguments[0] == "--label" and len(arguments) > 1:
        label, arguments = arguments[1], arguments[2:]
    phases = parse(arguments)
    timings: list[tuple[str, str]] = []
    started = time.monotonic()
    status = 0
    for name, command in phases:
        if status:
            timings.append((name, "not run"))
            continue
        print(f"\n{label}: phase {name}: {command}", flush=True)
        phase_started = time.monotonic()
        status = subprocess.run(["bash", "-euo", "pipefail", "-c", command], check=False).returncode
        elapsed = time.monotonic() - phase_started
        timings.append((name, f"{elapsed:6.1f} s" + ("" if status == 0 else f"  FAILED (exit {status})")))
    width = max(len(name) for name, _ in phases)
    print(f"\n{label}: wall time by phase")
    for name, timing in timings:
        print(f"  {name.ljust(width)}  {timing}")
    print(f"  {'total'.ljust(width)}  {time.monotonic() - started:6.1f} s{'' if status == 0 else '  FAILED'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
