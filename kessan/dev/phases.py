"""Run commands as named phases, then print one line per phase with its wall time.

The Makefile's `test` target runs `python -m kessan phases [--label LABEL] NAME='COMMAND' [+NAME='COMMAND' ...]`.

Phases run one after the other, each command through bash. A phase written `+NAME` runs alongside the phase
before it instead: it starts at the same moment, its output is held back and printed when it ends, and the
next phase without `+` starts when all of them have ended. The first group with a failing phase stops the
run: the exit status is that phase's, and the phases after the group are listed as not run. The summary is
printed either way, so a slow or failing phase shows at the end of the output.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

USAGE = "[--label LABEL] NAME='COMMAND' [+NAME='COMMAND' ...]"


@dataclass
class Phase:
    name: str
    command: str
    alongside: bool  # starts with the phase before it


def parse(arguments: Sequence[str]) -> list[Phase]:
    """NAME=COMMAND or +NAME=COMMAND, in order."""
    phases = []
    for argument in arguments:
        name, equals, command = argument.partition("=")
        alongside = name.startswith("+")
        name = name.removeprefix("+")
        if not equals or not name or not command or (alongside and not phases):
            raise SystemExit(f"kessan.dev.phases: expected NAME=COMMAND or +NAME=COMMAND after it, got {argument!r}")
        phases.append(Phase(name, command, alongside))
    return phases


def groups(phases: list[Phase]) -> list[list[Phase]]:
    """Each phase with the `+` phases that follow it."""
    grouped: list[list[Phase]] = []
    for phase in phases:
        if phase.alongside:
            grouped[-1].append(phase)
        else:
            grouped.append([phase])
    return grouped


def run_group(group: list[Phase], label: str, timings: dict[str, str]) -> int:
    """Run a group's phases at once (the first in the foreground); the first non-zero exit status, or 0."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kessan-phases-") as folder:
        background = []
        for phase in group[1:]:
            log = Path(folder) / f"{phase.name}.log"
            handle = log.open("w")
            print(f"\n{label}: phase {phase.name} (alongside {group[0].name}, output when it ends): {phase.command}")
            process = subprocess.Popen(["bash", "-euo", "pipefail", "-c", phase.command], stdout=handle, stderr=handle)
            ended: list[float] = []  # when it ended, taken by a thread that waits for it
            waiter = threading.Thread(target=lambda p=process, e=ended: (p.wait(), e.append(time.monotonic())))
            waiter.start()
            background.append((phase, process, log, handle, waiter, ended))
        print(f"\n{label}: phase {group[0].name}: {group[0].command}", flush=True)
        status = subprocess.run(["bash", "-euo", "pipefail", "-c", group[0].command], check=False).returncode
        timings[group[0].name] = timing(time.monotonic() - started, status)
        for phase, process, log, handle, waiter, ended in background:
            waiter.join()
            handle.close()
            timings[phase.name] = timing(ended[0] - started, process.returncode)
            print(f"\n{label}: output of phase {phase.name}:\n{log.read_text()}", end="", flush=True)
            status = status or process.returncode
    return status


def timing(seconds: float, status: int) -> str:
    return f"{seconds:6.1f} s" + ("" if status == 0 else f"  FAILED (exit {status})")


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] in ("-h", "--help"):
        print(f"usage: python -m kessan phases {USAGE}\n\n{__doc__}")
        return 0 if arguments else 2
    label = "phases"
    if arguments[0] == "--label" and len(arguments) > 1:
        label, arguments = arguments[1], arguments[2:]
    phases = parse(arguments)
    timings: dict[str, str] = {}
    started = time.monotonic()
    status = 0
    for group in groups(phases):
        if status:
            timings.update((phase.name, "not run") for phase in group)
            continue
        status = run_group(group, label, timings)
    width = max(len(phase.name) for phase in phases)
    print(f"\n{label}: wall time by phase")
    for phase in phases:
        note = f"  (alongside {next(g[0].name for g in groups(phases) if phase in g)})" if phase.alongside else ""
        print(f"  {phase.name.ljust(width)}  {timings[phase.name]}{note}")
    print(f"  {'total'.ljust(width)}  {time.monotonic() - started:6.1f} s{'' if status == 0 else '  FAILED'}")
    return status
