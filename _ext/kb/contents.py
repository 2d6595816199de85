"""Contents at the top of long pages, for screens where the theme hides its contents panel.

Furo shows a page's contents in a right-hand panel from 82em (1,312 px) up; below that, behind
an icon in the header that many readers never open. A topic runs to 11,000-25,000 px, so a reader
who arrives from a search result or a link cannot see where they are or jump elsewhere in it.

- ``doctree-resolved``: a page with at least :data:`MIN_SECTIONS` sections below its title gets
  an "On this page" list of them (two levels) right under its title and the lines that follow it
  (tags, dates), in a ``<details>`` element: one tap opens it, and it takes one line closed. It
  carries ``no-search``, so the search index does not repeat every heading.
- ``static/kb/reader.css`` shows it only below 82em, where Furo's panel is hidden, and keeps
  Furo's "Back to top" button out of the text: over the navigation column from 67em, and not at
  all below, where the list at the top serves instead.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

MIN_SECTIONS = 4


def _entries(section: nodes.section, builder, docname: str, depth: int) -> nodes.bullet_list | None:
    items = nodes.bullet_list()
    for child in section.children:
        if not isinstance(child, nodes.section) or not child["ids"]:
            continue
        title = next((t for t in child.children if isinstance(t, nodes.title)), None)
        if title is None:
            continue
        link = nodes.reference("", "", internal=True, refuri="#" + child["ids"][0])
        link += nodes.Text(title.astext())
        item = nodes.list_item("", nodes.paragraph("", "", link))
        if depth > 1 and (sub := _entries(child, builder, docname, depth - 1)) is not None:
            item += sub
        items += item
    return items if items.children else None


def add_contents(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: the list on pages with enough sections (HTML builders only)."""
    if app.builder.format != "html" or app.builder.name == "epub":
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None or sum(isinstance(c, nodes.section) for c in top.children) < MIN_SECTIONS:
        return
    entries = _entries(top, app.builder, docname, depth=2)
    if entries is None:
        return
    # after the title and the lines kb puts under it (tags, dates): before the first paragraph of text
    place = next((i for i, child in enumerate(top.children)
                  if not isinstance(child, nodes.title)
                  and not (isinstance(child, nodes.paragraph) and {"kb-tags", "kb-dates"} & set(child["classes"]))), 1)
    count = len(entries.children)
    opening = nodes.raw("", '<details class="kb-page-contents no-search">'
                        f'<summary>On this page: {count} sections</summary>'
                        '<nav aria-label="Sections of this page">', format="html")
    closing = nodes.raw("", "</nav></details>", format="html")
    # in a container the Markdown copy leaves out (kb.machine): it has no use for the list
    box = nodes.container("", opening, entries, closing, classes=["llm-friendly-exclude"])
    top.insert(place, box)


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", add_contents, priority=800)
