"""Make Great Expectations' Data Docs work offline.

GX 1.24.1 writes Data Docs whose pages load jQuery, Bootstrap, bootstrap-table, Font Awesome and Vega
from CDNs; without the network the pages stay unstyled and their tables (filled in by bootstrap-table)
stay empty. `package.json` pins the same libraries (installed into node_modules/ by `make venv` with npm);
`localize(docs_dir)` copies the files the pages use into the Data Docs (static/vendor/) and points every
page at the copies. Without node_modules it changes nothing and says so.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

NODE_MODULES = Path("node_modules")
VENDOR_DIR = Path("static/vendor")
# The CDN address GX 1.24.1 writes (a query string may follow) -> the same file in node_modules/.
CDN_FILES = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/dist/js/bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js/dist/umd/popper.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table/dist/bootstrap-table.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table/dist/bootstrap-table.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.js"
    ),
    # GX links the 1.19.0 stylesheet of the extension; 1.19.1's is the same extension one patch later.
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
        "bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "@fortawesome/fontawesome-free/css/all.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "@forevolve/bootstrap-dark/dist/css/bootstrap-prefers-dark.css"
    ),
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/build/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite/build/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed/build/vega-embed.min.js",
}
# Folders a vendored stylesheet refers to relatively (Font Awesome's css/ -> ../webfonts/).
CDN_FOLDERS = {"@fortawesome/fontawesome-free/css/all.min.css": "@fortawesome/fontawesome-free/webfonts"}
# GX's logo is on S3; the Data Docs carry a copy.
LOGO = re.compile(r"https://great-expectations-web-assets\.s3\.[^\"']*/logo-long\.png[^\"']*")
LOCAL_LOGO = Path("static/images/logo-long.png")
RESOURCE = re.compile(r"""(?:src|href)=["'](https?://[^"']+)["']""")


def remote_resources(html: str) -> list[str]:
    """Scripts, stylesheets and images a page still loads from the network (links to pages excluded)."""
    return [
        url
        for url in RESOURCE.findall(html)
        if re.search(r"\.(?:js|css|png|svg|woff2?)(?:\?|$)|cdn|unpkg", url) and "utm_" not in url
    ]


def localize(docs_dir: Path, node_modules: Path = NODE_MODULES) -> list[str]:
    """Point every Data Docs page at local copies of its scripts and styles; return what stays remote."""
    if not node_modules.is_dir():
        return [f"{node_modules}/ is missing (run `make venv` with npm): the Data Docs load their scripts from CDNs"]
    vendor = docs_dir / VENDOR_DIR
    for source in CDN_FILES.values():
        target = vendor / source
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / source, target)
        if folder := CDN_FOLDERS.get(source):
            shutil.copytree(node_modules / folder, vendor / folder, dirs_exist_ok=True)
    remaining: list[str] = []
    for page in docs_dir.rglob("*.html"):
        html = page.read_text()
        for url, source in CDN_FILES.items():
            local = Path(_relative(vendor / source, page.parent))
            html = re.sub(re.escape(url) + r"(?:\?[^\"']*)?(?=[\"'])", local.as_posix(), html)
        html = LOGO.sub(_relative(docs_dir / LOCAL_LOGO, page.parent), html)
        page.write_text(html)
        remaining += [f"{page.relative_to(docs_dir)}: {url}" for url in remote_resources(html)]
    return remaining


def _relative(target: Path, start: Path) -> str:
    """`target` relative to the folder `start`, as a URL path."""
    return Path(os.path.relpath(target, start)).as_posix()
