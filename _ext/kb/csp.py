"""A Content-Security-Policy for every page: the site's own resources and nothing else.

The policy is a ``<meta http-equiv="Content-Security-Policy">`` tag, so it works on any static
host. Scripts, styles, images, fonts, data requests and workers may come from the site itself
only; plugins, frames and forms to other sites are refused. The few inline pieces the theme
needs (Furo's one-line theme script, its ``<style>`` block of colour variables, ``style``
attributes on its icons) are allowed by their SHA-256 hashes, computed from each written page,
so a change in the theme or in our templates cannot silently break or widen the policy.
``'wasm-unsafe-eval'`` lets the search engine (Pagefind) compile its WebAssembly; it allows no
JavaScript ``eval``. ``<script type="application/json">`` data blocks are never executed and
need no hash.

Uses ``build-finished`` (HTML builder, not EPUB), after every other handler: each HTML page
written since the last successful pass gets the tag as the first element after ``<meta
charset>`` (a tag from an earlier pass is replaced). Pages an incremental build did not write
keep the tag they already have, so a build reads only the pages it wrote, not the whole site. The
time of the last pass is kept in the doctree folder (``kb-csp.stamp``), not in the published
output. Stores nothing in the environment.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.S | re.I)
STYLE = re.compile(r"<style(?:\s[^>]*)?>(.*?)</style>", re.S | re.I)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""", re.I)
TYPE_ATTRIBUTE = re.compile(r"""\btype=["']?([^"'\s>]+)""", re.I)
CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.I)
OLD_POLICY = re.compile(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>')
# Script types a browser executes; anything else (JSON data blocks) is inert.
EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}
SKIP_DIRS = {"_static", "_sources", "pagefind", "_images"}


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def policy_for(page: str) -> str:
    """The policy for one page, with the hashes of its inline scripts and styles."""
    scripts, styles, attributes = set(), set(), set()
    for attrs, body in SCRIPT.findall(page):
        if re.search(r"\ssrc=", attrs or ""):
            continue
        kind = TYPE_ATTRIBUTE.search(attrs or "")
        if (kind.group(1).lower() if kind else "") in EXECUTABLE:
            scripts.add(sha256(body))
    for body in STYLE.findall(page):
        styles.add(sha256(body))
    for double, single in STYLE_ATTRIBUTE.findall(page):
        attributes.add(sha256(html.unescape(double or single)))
    style_src = ["'self'", *sorted(styles)]
    if attributes:
        # 'unsafe-hashes' lets the listed hashes match style="..." attributes, nothing more.
        style_src += ["'unsafe-hashes'", *sorted(attributes)]
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", "'wasm-unsafe-eval'", *sorted(scripts)]),
        "style-src " + " ".join(style_src),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    return "; ".join(directives)


def add_policy(page: str) -> str | None:
    """The page with its policy tag, or None when it has no <meta charset> to put it after."""
    page = OLD_POLICY.sub("", page)
    charset = CHARSET.search(page)
    if not charset:
        return None
    tag = f'\n    <meta http-equiv="Content-Security-Policy" content="{policy_for(page)}">'
    return page[: charset.end()] + tag + page[charset.end() :]


STAMP = "kb-csp.stamp"


def written_pages(outdir: Path, since: int) -> list[Path]:
    """The HTML pages modified at or after ``since`` (ns), without looking into assets, the search
    index or hidden folders (the doctrees, when they sit inside the output)."""
    found = []
    for folder, dirs, files in os.walk(outdir):
        top = folder == str(outdir)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (top and d in SKIP_DIRS))
        for name in sorted(files):
            if name.endswith(".html"):
                path = Path(folder, name)
                if path.stat().st_mtime_ns >= since:
                    found.append(path)
    return found


def write_policies(app: Sphinx, exception) -> None:
    if exception or not app.config.kb_csp or app.builder.format != "html" or app.builder.name == "epub":
        return
    outdir = Path(app.outdir)
    stamp = Path(app.doctreedir, STAMP)
    try:
        since = int(stamp.read_text(encoding="ascii"))
    except (OSError, ValueError):
        since = 0
    for path in written_pages(outdir, since):
        text = path.read_text(encoding="utf-8")
        updated = add_policy(text)
        if updated is None:
            logger.warning("no <meta charset> to put the Content-Security-Policy after",
                           location=str(path), type="kb", subtype="csp")
        elif updated != text:
            path.write_text(updated, encoding="utf-8")
    # after the pass: the pages just given a policy are not read again by the next build
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(str(time.time_ns()), encoding="ascii")


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_csp", True, "html", types=[bool])
    # last: pages other build-finished handlers write (redirect pages, 404) get their policy too
    app.connect("build-finished", write_policies, priority=950)
