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
# what a page's body must contain -> the files it needs then
CONDITIONAL = {
    SPHINX_DESIGN: ("sphinx-design.min.css", "design-tabs.js"),
    HIGHLIGHTED_CODE: ("pygments.css",),
}
SEARCH_HIGHLIGHT = "sphinx_highlight.js"


def unused_files(body: str, pagefind: bool) -> set[str]:
    """Names of the files a page with this rendered ``body`` does not need."""
    unused = {name for pattern, names in CONDITIONAL.items() if pattern.search(body) is None for name in names}
    if pagefind:
        unused.add(SEARCH_HIGHLIGHT)
    return unused


def _name(asset) -> str:
    return str(getattr(asset, "filename", asset) or "").rsplit("/", 1)[-1]


def trim(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: drop from this page's lists what the page does not use."""
    if app.builder.name != "html":
        return
    unused = unused_files(context.get("body") or "", app.config.kb_search)
    for key in ("css_files", "script_files"):
        if isinstance(context.get(key), list):
            context[key][:] = [asset for asset in context[key] if _name(asset) not in unused]


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", trim, priority=900)
