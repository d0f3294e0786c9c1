"""The Data Docs of a build open offline in a browser and show every suite.

Great Expectations' pages load their scripts from CDNs; kessan.data_docs points them at the pinned copies
of package.json (node_modules/, installed by `make venv`). Headless Chromium (python_tests/browser.py)
renders the index with the network off, and its DOM must list every suite.
"""

from __future__ import annotations

import json
import re

from kessan import data_docs

from .browser import dump_dom
from .builds import PROJECT_DIR, Build

SUITES = sorted(json.loads(path.read_text())["name"] for path in (PROJECT_DIR / "expectations").glob("*.json"))


def test_data_docs_load_nothing_from_the_network(pristine_build: Build) -> None:
    assert pristine_build.returncode == 0, pristine_build.tail()
    docs = pristine_build.project_dir / "build" / "data_docs"
    pages = list(docs.rglob("*.html"))
    assert len(pages) >= 1 + 2 * len(SUITES)  # the index, and a suite page and a validation page per suite
    remote = {str(page.relative_to(docs)): data_docs.remote_resources(page.read_text()) for page in pages}
    assert not {page: urls for page, urls in remote.items() if urls}


def test_data_docs_show_every_suite_offline(pristine_build: Build) -> None:
    index = pristine_build.project_dir / "build" / "data_docs" / "index.html"
    dom = dump_dom(index, budget_ms=10000)  # with every host name unresolvable: offline
    # bootstrap-table renders the rows from data in the page's script: they exist only if the scripts ran.
    assert "Showing 1 to" in dom, dom[-2000:]
    for suite in SUITES:
        assert re.search(rf">\s*{suite}\s*</td>", dom), f"suite {suite} is not in a rendered row of the index"
