"""References: every external source the topic pages cite, on one page.

- ``doctree-read`` (topic pages): every ``https://`` link is stored in ``env.kb_data.sources``
  with its link text, its line and, when it stands in the page's "Sources" list, that list item
  without the URL (the best description of the source: author, title, venue, year).
- The ``kb-references`` directive (used on ``references.md``) lists each distinct source once —
  the URL without its fragment identifies it — sorted by description, with the pages citing it
  (linked). Filled on ``doctree-resolved``; the page is rewritten when the sources change.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from . import store

SOURCES_TITLES = {"sources"}


def in_sources_section(node: nodes.Node) -> bool:
    while node is not None:
        if isinstance(node, nodes.section) and node.children and isinstance(node[0], nodes.title):
            if node[0].astext().strip().lower() in SOURCES_TITLES:
                return True
        node = node.parent
    return False


def _item_label(item: nodes.list_item, url: str) -> str:
    text = " ".join(item.astext().split())
    text = text.replace(url, "").replace("<>", "")
    return re.sub(r"\s+([.,;])", r"\1", text).strip(" <>")


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: the https links of a topic page."""
    env = app.env
    if not store.is_topic(app, env.docname):
        return
    found = []
    for ref in doctree.findall(nodes.reference):
        url = ref.get("refuri", "")
        if not url.startswith("https://"):
            continue
        label = ""
        if in_sources_section(ref):
            item = next((a for a in _lineage(ref) if isinstance(a, nodes.list_item)), None)
            if item is not None:
                label = _item_label(item, url)
        line = ref.line or next((a.line for a in _lineage(ref) if a.line), 0)
        found.append(store.Source(url, " ".join(ref.astext().split()), label, line))
    if found:
        store.get(env).sources[env.docname] = found


def _lineage(node: nodes.Node):
    while node is not None:
        yield node
        node = node.parent


def key(url: str) -> str:
    return urldefrag(url)[0].rstrip("/")


def distinct_sources(app: Sphinx) -> list[dict]:
    """[{url, label, pages}] sorted by label, one per distinct source."""
    by_key: dict[str, dict] = {}
    for docname in store.ordered(app.env, store.get(app.env).sources):
        for source in store.get(app.env).sources[docname]:
            entry = by_key.setdefault(key(source.url), {"url": urldefrag(source.url)[0], "labels": [], "texts": [], "pages": []})
            if source.label:
                entry["labels"].append(source.label)
            if source.text and source.text != source.url:
                entry["texts"].append(source.text)
            if docname not in entry["pages"]:
                entry["pages"].append(docname)
    result = []
    for entry in by_key.values():
        label = (entry["labels"] or [max(entry["texts"], key=len, default="")])[0] or entry["url"]
        result.append({"url": entry["url"], "label": label, "pages": entry["pages"]})
    return sorted(result, key=lambda e: (e["label"].casefold(), e["url"]))


class References(SphinxDirective):
    """``kb-references``: every distinct source cited on the topic pages."""

    def run(self) -> list[nodes.Node]:
        return [store.placeholder(kind="references")]


def render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in store.find_placeholders(doctree, "references"):
        entries = distinct_sources(app)
        intro = nodes.paragraph(text=f"{len(entries)} distinct sources are cited on the topic pages.",
                                classes=["kb-references-count"])
        items = nodes.enumerated_list(classes=["kb-references"])
        for entry in entries:
            para = nodes.paragraph()
            para += nodes.Text(entry["label"] + " ")
            para += nodes.reference(entry["url"], entry["url"], refuri=entry["url"], classes=["kb-source-url"])
            para += nodes.Text(" — cited on ")
            for i, page in enumerate(entry["pages"]):
                if i:
                    para += nodes.Text(", ")
                para += store.make_link(app, docname, page, store.title(app.env, page))
            para += nodes.Text(".")
            items += nodes.list_item("", para)
        node.replace_self([intro, items])


def view(app: Sphinx, docname: str):
    if "references" not in store.get(app.env).features.get(docname, ()):
        return None
    return [(e, [store.title(app.env, p) for p in e["pages"]]) for e in distinct_sources(app)]


def setup(app: Sphinx) -> None:
    app.add_directive("kb-references", References)
    app.connect("doctree-read", collect)
    app.connect("doctree-resolved", render, priority=450)
    store.register_view(view)
