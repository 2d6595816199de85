"""Previews: hovering or focusing a glossary-term link shows the definition, a topic link its summary.

Decision: our own ~100 lines of JavaScript instead of sphinx-tippy. sphinx-tippy 0.4.3 (last
release April 2024) loads Popper and Tippy from a public CDN by default (third-party requests on
every page), names each page's data file with a random uuid4 (two clean builds differ, so builds
are not reproducible) and writes cache files into the HTML output (see /work/shared/findings.md).
Self-hosting its libraries would fix only the first point and add ~30 kB of script. What we need
is small: build-time data plus one tooltip element.

- On ``write-started`` (HTML builders) the data is written to ``_static/kb/previews-data.js``
  before any page is written (so Sphinx's ``?v=`` checksums are the same in clean and incremental
  builds): term definitions keyed by ``<glossary page>#<term id>`` and topic titles and
  summaries keyed by page path, as sorted JSON, so the file is byte-for-byte reproducible. It is
  rewritten on every build, so no page has to be rewritten when a definition or summary changes.
- ``static/kb/previews.js`` finds the links in the page's main content whose target has data
  and shows a single ``role="tooltip"`` element on ``mouseenter`` and ``focus``, referenced from
  the link with ``aria-describedby`` while shown; it hides on ``mouseleave`` (after a short
  grace period so the pointer can move onto the tooltip), ``blur`` and Escape (WCAG 1.4.13).
  Colours come from Furo's CSS variables, so it follows the light and dark themes.

Reads what :mod:`kb.metadata` and :mod:`kb.glossary` store; stores nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx

from . import glossary, store

DATA_FILE = "kb/previews-data.js"


def preview_data(app: Sphinx) -> dict:
    builder = app.builder
    terms = {
        f"{builder.get_target_uri(docname)}#{term.anchor}": [term.name, term.definition]
        for docname, term in glossary.all_terms(app).values()
    }
    meta = store.get(app.env).topics
    pages = {
        builder.get_target_uri(docname): [store.title(app.env, docname), meta[docname].summary]
        for docname in store.topics(app)
        if meta[docname].summary
    }
    return {"terms": terms, "pages": pages}


def write_data(app: Sphinx, builder) -> None:
    """write-started: the preview data for every page of the site, in one small script."""
    if builder.format != "html":
        return
    text = json.dumps(preview_data(app), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    target = Path(builder.outdir, "_static", DATA_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    content = f"window.kbPreviews = {text};\n"
    if not target.exists() or target.read_text(encoding="utf-8") != content:
        target.write_text(content, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("write-started", write_data)
    app.add_js_file(DATA_FILE, defer="defer")
    app.add_js_file("kb/previews.js", defer="defer")
