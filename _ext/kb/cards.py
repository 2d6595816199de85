"""Topic cards: the ``kb-topic-cards`` directive.

Renders a grid of cards in sphinx-design's markup (its CSS does the layout, one to three columns
by screen width), one card per topic: the title, linked (the whole card is clickable), and the
summary from the topic's front matter. The content names the topics, one per line, as docnames
(``topics/licences``) or topic names (``licences``); empty content means every topic in
navigation order.

The directive leaves a placeholder; titles and summaries are filled in on ``doctree-resolved``
and the page is rewritten when one of them changes (see :mod:`kb.store`). Unknown names are build
warnings with file and line.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx_design.shared import create_component

from . import store

GRID = ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"]
ROW = ["sd-row", "sd-row-cols-1", "sd-row-cols-sm-2", "sd-row-cols-lg-3", "sd-g-3"]
COL = ["sd-col", "sd-d-flex-row"]
CARD = ["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm", "sd-card-hover", "kb-card"]


class TopicCards(SphinxDirective):
    has_content = True

    def run(self) -> list[nodes.Node]:
        # MyST gives content lines as offsets from the first content line, right after the fence
        # (this directive takes no options)
        entries = [(line.strip(), self.lineno + 1 + offset)
                   for line, (_, offset) in zip(self.content, self.content.items, strict=True) if line.strip()]
        names, lines = [n for n, _ in entries], [n for _, n in entries]
        node = store.placeholder(kind="cards", names=names, lines=lines)
        node.source, node.line = self.get_source_info()
        return [node]


def card_docnames(app: Sphinx, node: store.placeholder, docname: str) -> list[str]:
    """The topics a cards placeholder shows; warns (file and line) about unknown names."""
    known = store.topics(app)
    if not node["names"]:
        return known
    prefix = app.config.kb_topic_prefix
    example = known[0] if known else prefix + "licences"
    result = []
    for name, line in zip(node["names"], node["lines"], strict=True):
        name = name.removesuffix(".md").lstrip("/")
        found = next((c for c in (name, prefix + name) if c in known), None)
        if found is None:
            store.warn(
                "kb-topic-cards: %r is not a topic page; give a topic name such as %r or a docname such as %r",
                (docname, line),
                "cards",
                name,
                store.topic_name(app, example),
                example,
            )
            continue
        result.append(found)
    return result


def render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: replace each cards placeholder with the grid."""
    meta = store.get(app.env).topics
    for node in store.find_placeholders(doctree, "cards"):
        row = create_component("grid-row", ROW)
        for topic in card_docnames(app, node, docname):
            title = nodes.paragraph(classes=["sd-card-title", "sd-font-weight-bold"])
            link = store.make_link(app, docname, topic, store.title(app.env, topic))
            link["classes"].append("sd-stretched-link")
            title += link
            body = create_component("card-body", ["sd-card-body"], children=[title])
            if meta[topic].summary:
                body += nodes.paragraph(text=meta[topic].summary, classes=["sd-card-text"])
            card = create_component("card", CARD, children=[body])
            row += create_component("grid-item", COL, children=[card])
        node.replace_self(create_component("grid-container", GRID, children=[row]))


def view(app: Sphinx, docname: str):
    if "cards" not in store.get(app.env).features.get(docname, ()):
        return None
    meta = store.get(app.env).topics
    return [(d, store.title(app.env, d), meta[d].summary) for d in store.topics(app)]


def setup(app: Sphinx) -> None:
    app.add_directive("kb-topic-cards", TopicCards)
    app.connect("doctree-resolved", render, priority=450)
    store.register_view(view)
