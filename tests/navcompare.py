"""A Sphinx extension for tests/test_scale.py: on every page, the sidebar tree kb.navigation puts
into the page is compared with the one Furo would make from Sphinx's own collapsed toctree; the
outcome is written to ``navcompare.json`` in the output folder."""

from __future__ import annotations

import json
from pathlib import Path

from furo.navigation import get_navigation_tree

from kb import navigation

ARGS = {"collapse": True, "titles_only": True, "maxdepth": -1, "includehidden": True}


def expected(app, pagename, templatename, context, doctree):
    """Between kb.navigation (400) and Furo (500): what Furo would make of Sphinx's own tree."""
    saved = context.get(navigation.SAVED)
    if saved is not None:
        sphinx_toctree = saved.__wrapped__  # the builder's own toctree function
        app.builder._navcompare_expected = get_navigation_tree(sphinx_toctree(**ARGS))


def compare(app, pagename, templatename, context, doctree):
    """After kb.navigation's theme_tree (550): what the page really gets."""
    results = app.builder._navcompare = getattr(app.builder, "_navcompare", {})
    want = getattr(app.builder, "_navcompare_expected", None)
    if want is not None:
        results[pagename] = [context["furo_navigation_tree"], want]
        app.builder._navcompare_expected = None


def write(app, exception):
    results = getattr(app.builder, "_navcompare", {})
    report = {
        "fast_path": navigation.site_tree(app).supported,
        "pages": len(results),
        "different": {page: pair for page, pair in results.items() if pair[0] != pair[1]},
    }
    Path(app.outdir, "navcompare.json").write_text(json.dumps(report, indent=1))


def setup(app):
    app.connect("html-page-context", expected, priority=450)
    app.connect("html-page-context", compare, priority=560)
    app.connect("build-finished", write)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
