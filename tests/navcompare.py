"""A Sphinx extension for tests/test_navigation.py: on every page, the sidebar tree kb.navigation
renders is compared with the one Sphinx's own collapsed toctree gives; the outcome is written to
``navcompare.json`` in the output folder."""

from __future__ import annotations

import json
from pathlib import Path

from kb import navigation

ARGS = {"titles_only": True, "maxdepth": -1, "includehidden": True}


def compare(app, pagename, templatename, context, doctree):
    ours = context.get("toctree")
    sphinx = getattr(ours, "__wrapped__", None)
    if ours is None or sphinx is None:
        return
    results = app.builder._navcompare = getattr(app.builder, "_navcompare", {})
    results[pagename] = [ours(collapse=False, **ARGS), sphinx(collapse=True, **ARGS)]


def write(app, exception):
    results = getattr(app.builder, "_navcompare", {})
    report = {
        "fast_path": navigation.site_tree(app).supported,
        "pages": len(results),
        "different": {page: pair for page, pair in results.items() if pair[0] != pair[1]},
    }
    Path(app.outdir, "navcompare.json").write_text(json.dumps(report, indent=1))


def setup(app):
    app.connect("html-page-context", compare, priority=450)  # after kb.navigation, before Furo
    app.connect("build-finished", write)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
