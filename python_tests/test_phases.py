"""kessan.dev.phases, which runs `make test`'s phases: order, phases alongside another, the summary, failures."""

from __future__ import annotations

import subprocess
import sys

from .builds import PROJECT_DIR


def phases(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kessan", "phases", "--label", "t", *arguments],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def summary(output: str) -> dict[str, str]:
    lines = output.split("t: wall time by phase\n", 1)[1].splitlines()
    return {line.split()[0]: line.split(None, 1)[1] for line in lines}


def test_phases_in_order_and_alongside_with_their_wall_times() -> None:
    done = phases("a=echo first", "b=sleep 1.2; echo second", "+c=echo beside", "d=echo last")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert out.index("first\n") < out.index("second\n") < out.index("phase c:\nbeside\n") < out.index("last\n")
    times = summary(out)
    assert set(times) == {"a", "b", "c", "d", "total"}
    assert float(times["b"].split()[0]) >= 1.1 > float(times["c"].split()[0])  # c ran beside b, and took no time
    assert times["c"].endswith("(alongside b)")


def test_a_failing_phase_stops_the_run_and_says_so() -> None:
    done = phases("a=true", "b=exit 3", "+c=true", "d=echo never")
    assert done.returncode == 3
    assert "never" not in done.stdout
    times = summary(done.stdout)
    assert "FAILED (exit 3)" in times["b"] and times["d"] == "not run" and times["total"].endswith("FAILED")


def test_a_failing_phase_alongside_fails_the_run() -> None:
    done = phases("a=sleep 0.3", "+b=exit 4", "c=echo never")
    assert done.returncode == 4 and "never" not in done.stdout
    assert "FAILED (exit 4)" in summary(done.stdout)["b"]
