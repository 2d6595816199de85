"""Machine readers: a plain Markdown copy of every page beside its HTML, and ``llms.txt``.

Documentation sites now publish both for AI assistants and other tools: ``llms.txt`` at the
site's root lists the pages with their summaries, and ``page.md`` sits beside ``page.html``
(announced in each page's head with ``<link rel="alternate" type="text/markdown">``). The
sphinx-llm-friendly extension (conf.py) writes them from the doctrees, during the HTML build, so
nothing is built twice. This module adapts it to the knowledge base:

- ``builder-inited`` (after the extension's own): its "copy as Markdown" button is an inline
  script that injects an inline stylesheet, which the site's Content-Security-Policy refuses, with
  colours that ignore the dark theme; the Markdown copies are linked from each page's head
  instead.
- ``build-finished`` (after the extension's own): each page's summary (its ``summary:`` front
  matter, or the description kb.webfiles gives it) is added to its line in ``llms.txt``, so the
  list says what each page answers.

The kb nodes the copies meet (dates, as-of dates, the external-link hint) register their
``llm_markdown`` handlers where they are defined.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from sphinx.application import Sphinx

from . import store

BUTTON_MARK = "copy-as-markdown"
LINE = re.compile(r"^- \[(?P<title>.*)\]\((?P<url>[^)\s]+)\)$", re.M)


def drop_copy_button(app: Sphinx) -> None:
    """builder-inited: remove the extension's inline copy-button script from every page."""
    app.registry.js_files[:] = [(name, attrs) for name, attrs in app.registry.js_files
                                if BUTTON_MARK not in str(attrs.get("body", ""))]
    files = getattr(app.builder, "_js_files", None)
    if files is not None:
        files[:] = [f for f in files if BUTTON_MARK not in str(getattr(f, "attributes", {}).get("body", ""))]


def summaries(app: Sphinx) -> dict[str, str]:
    """Page address (as llms.txt writes it, without the site's path) -> its one-sentence summary."""
    found = {}
    for docname, meta in store.get(app.env).topics.items():
        if meta.summary:
            found[app.builder.get_target_uri(docname).removesuffix(".html") + ".md"] = meta.summary
    return found


def add_summaries(app: Sphinx, exception) -> None:
    """build-finished: "- [Title](url)" lines of llms.txt become "- [Title](url): summary"."""
    path = Path(app.outdir, "llms.txt")
    if exception or app.builder.name != "html" or not path.is_file():
        return
    known = summaries(app)
    site = urlsplit(app.config.html_baseurl).path or "/"  # llms.txt gives addresses from the host's root

    def line(match: re.Match) -> str:
        summary = known.get(match["url"].removeprefix(site), "")
        return f"{match.group(0)}: {' '.join(summary.split())}" if summary else match.group(0)

    text = path.read_text(encoding="utf-8")
    updated = LINE.sub(line, text)
    if updated != text:
        path.write_text(updated, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", drop_copy_button, priority=950)
    app.connect("build-finished", add_summaries, priority=600)
