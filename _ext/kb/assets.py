"""Each page loads only the styles and scripts it uses.

Sphinx, the theme and extensions add their files to every page. On ``html-page-context`` (late,
after everything else has added its files) this module leaves out of a page:

- sphinx-design's stylesheet and tab script, unless the page has a sphinx-design component
  (an element with an ``sd-`` class): about 62 kB on a topic page, which has none;
- Pygments' stylesheet, unless the page shows highlighted code (about 20 kB);
- ``sphinx_highlight.js``, which marks the words of Sphinx's own search on arrival; the site
  searches with Pagefind (:mod:`kb.search`), so it never has anything to mark.

Everything is decided from the page's rendered body, so pages Sphinx or an extension generates
(search, tag pages, 404) follow the same rules. The EPUB builder is left alone. Stores nothing.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx

SPHINX_DESIGN = re.compile(r'class="[^"]*\bsd-')
HIGHLIGHTED_CODE = re.compile(r'class="[^"]*\bhighlight\b')
# file name -> what a page's body must contain to keep it
CONDITIONAL = {
    "sphinx-design.min.css": SPHINX_DESIGN,
    "design-tabs.js": SPHINX_DESIGN,
    "pygments.css": HIGHLIGHTED_CODE,
}
SEARCH_HIGHLIGHT = "sphinx_highlight.js"


def _name(asset) -> str:
    return str(getattr(asset, "filename", asset) or "").rsplit("/", 1)[-1]


def keep(asset, body: str, pagefind: bool) -> bool:
    """Whether a page with this rendered ``body`` needs ``asset`` (a stylesheet or script)."""
    name = _name(asset)
    if name == SEARCH_HIGHLIGHT:
        return not pagefind
    pattern = CONDITIONAL.get(name)
    return pattern is None or pattern.search(body) is not None


def trim(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: drop from this page's lists what the page does not use."""
    if app.builder.name != "html":
        return
    body = context.get("body") or ""
    for key in ("css_files", "script_files"):
        if isinstance(context.get(key), list):
            context[key][:] = [asset for asset in context[key] if keep(asset, body, app.config.kb_search)]


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", trim, priority=900)
