"""Accessibility fixes to what Sphinx and Furo render, and the reader stylesheet.

- ``config-inited``: adds this package's templates; ``templates/page.html`` extends Furo's page
  and names its landmarks (site navigation, table of contents, page tools, site search), so
  every part of a page sits in a landmark that assistive technology can tell apart;
  ``templates/sidebar/brand.html`` gives the logo a size and empty alt text (the site's name
  stands next to it in the same link).
- ``html-page-context`` (after Furo's own handler): Sphinx renders toctree captions as
  ``role="heading"`` without the level ARIA requires, in the page body and in Furo's navigation
  tree: they get ``aria-level``. Code blocks that may scroll sideways become keyboard-focusable
  (``tabindex="0"``), so keyboard users can scroll them.
- ``static/kb/reader.js`` (every page): on small screens Furo's drawer icons are labels of hidden
  checkboxes that a keyboard cannot reach; they become named buttons with ``aria-expanded``, and
  Escape closes an open drawer.
- ``static/kb/reader.css`` (every page): a visible focus ring on everything focusable, in light
  and dark themes, the search page's layout, and a print layout that hides navigation and
  prints the address of every external link.

Stores nothing in the environment.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

HERE = Path(__file__).parent
AFTER_THEME = 600  # Furo fills its context at the default priority, 500
CAPTION = 'class="caption" role="heading"'
CODE_BLOCK = '<div class="highlight"><pre>'


def add_paths(app: Sphinx, config) -> None:
    for option, path in (("templates_path", HERE / "templates"), ("html_static_path", HERE / "static")):
        paths = getattr(config, option)
        if str(path) not in paths:
            paths.append(str(path))


def fix_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if body:
        body = body.replace(CAPTION, CAPTION + ' aria-level="3"')
        context["body"] = body.replace(CODE_BLOCK, '<div class="highlight"><pre tabindex="0">')
    tree = context.get("furo_navigation_tree")
    if tree:
        context["furo_navigation_tree"] = tree.replace(CAPTION, CAPTION + ' aria-level="2"')


def setup(app: Sphinx) -> None:
    app.connect("config-inited", add_paths)
    app.connect("html-page-context", fix_page, priority=AFTER_THEME)
    app.add_css_file("kb/reader.css")
    app.add_js_file("kb/reader.js", defer="defer")
