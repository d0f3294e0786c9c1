"""Headless Chromium (Debian's `chromium` package; .ci/run installs it) for the page tests, with the network off.

Each run gets a fresh profile (--user-data-dir) and a host resolver that resolves nothing, so a page that
needed the network (a CDN script, a web font, a tracker) would render without it, and the tests would see it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    # Offline: every host name fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
TIMEOUT = 180  # seconds per Chromium run


def chromium() -> str:
    """The Chromium executable; the test fails (it is not skipped) when there is none."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("headless Chromium is needed: apt-get install chromium (.ci/run installs it)")


def run_chromium(url: str, *args: str) -> str:
    """Run Chromium on `url` with the flags above and `args`; its standard output."""
    with tempfile.TemporaryDirectory(prefix="kessan-chromium-") as profile:
        completed = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args, url],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    assert completed.returncode == 0, f"chromium exited {completed.returncode}:\n{completed.stderr[-3000:]}"
    return completed.stdout


def dump_dom(page: Path, fragment: str = "", budget_ms: int = 5000) -> str:
    """The DOM of a local page after it loaded and its scripts ran, serialised as HTML."""
    return run_chromium(page.resolve().as_uri() + fragment, f"--virtual-time-budget={budget_ms}", "--dump-dom")


def screenshot(page: Path, png: Path, width: int = 1200, height: int = 2600) -> Path:
    """A PNG of a local page as a 1200-pixel-wide window shows it."""
    run_chromium(page.resolve().as_uri(), f"--window-size={width},{height}", f"--screenshot={png}")
    assert png.is_file() and png.stat().st_size > 10_000, f"no screenshot written to {png}"
    return png


@dataclass
class Element:
    """An element of a parsed DOM: its tag, attributes and the chart (figure) it sits in."""

    tag: str
    attrs: dict[str, str]
    chart: str | None


class ParsedPage(HTMLParser):
    """The elements of an HTML page, and its charts (`<figure class="chart" data-chart=...>`)."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self.charts: dict[str, dict[str, str]] = {}
        self._chart: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "figure" and "chart" in values.get("class", "").split():
            self._chart = values.get("data-chart", "")
            self.charts[self._chart] = values
        self.elements.append(Element(tag, values, self._chart))

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._chart = None

    def marks(self, chart: str | None = None) -> dict[str, Element]:
        """The elements that carry a number (data-key, data-value), by key; of one chart if given."""
        return {
            element.attrs["data-key"]: element
            for element in self.elements
            if "data-key" in element.attrs and (chart is None or element.chart == chart)
        }


def parse(html_text: str) -> ParsedPage:
    page = ParsedPage()
    page.feed(html_text)
    page.close()
    return page
