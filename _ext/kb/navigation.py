"""Navigation that grows linearly with the site: each page renders only its own branch.

Furo puts the *whole* site tree into the sidebar of every page, so both build time and HTML bytes
grow with the square of the page count (see the Performance notes in the README). This module
wraps the ``toctree`` template function before Furo uses it (``html-page-context`` at a priority
that runs ahead of Furo's handler) so that the sidebar tree is rendered collapsed: every top-level
entry, plus the ancestors and siblings of the current page. Furo's look, its expand/collapse
toggles for the current branch and its keyboard behaviour stay as they are; other branches are one
click away on their section pages.

Uses ``html-page-context``; stores nothing in the environment.
"""

from __future__ import annotations

import functools

from sphinx.application import Sphinx

# Sphinx calls html-page-context handlers in ascending priority; Furo's runs at the default, 500.
BEFORE_THEME = 400


def collapse_sidebar_tree(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    toctree = context.get("toctree")
    if toctree is None or not app.config.kb_collapse_navigation:
        return

    @functools.wraps(toctree)
    def collapsed_toctree(**kwargs):
        kwargs["collapse"] = True
        return toctree(**kwargs)

    context["toctree"] = collapsed_toctree


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_collapse_navigation", True, "html", types=[bool])
    app.connect("html-page-context", collapse_sidebar_tree, priority=BEFORE_THEME)
