"""Tag pages and the tag index.

- One page per tag in ``kb_tags`` at ``<kb_tag_pages>/<tag>.html`` (default ``tags/``), listing
  its topics with their summaries. These pages have no source file: they are produced on
  ``html-collect-pages`` (so they are rebuilt from the stored front matter on every build and can
  never go stale) and are reached from the tag index and from the tag line on each topic.
- The ``kb-tag-index`` directive (used on ``tags.md``, a real page in the navigation) lists every
  tag with its description and a link to its page.

Uses the topic metadata that :mod:`kb.metadata` stores; stores nothing itself. The page holding
``kb-tag-index`` is rewritten (via :mod:`kb.store`'s view) whenever a topic's tags change.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from . import store


class TagIndex(SphinxDirective):
    """``kb-tag-index``: every tag with its description and number of topics."""

    def run(self) -> list[nodes.Node]:
        return [store.placeholder(kind="tag-index")]


def tagged(app: Sphinx) -> dict[str, list[str]]:
    """tag -> topics carrying it (navigation order)."""
    meta = store.get(app.env).topics
    result: dict[str, list[str]] = {tag: [] for tag in app.config.kb_tags}
    for docname in store.topics(app):
        for tag in meta[docname].tags:
            result.setdefault(tag, []).append(docname)
    return result


def tag_page(app: Sphinx, tag: str) -> str:
    return f"{app.config.kb_tag_pages}/{tag}"


def tag_pages(app: Sphinx) -> list[str]:
    """The page names of the tag pages this build writes."""
    return [tag_page(app, tag) for tag in tagged(app)] if app.config.kb_tags else []


def topic_list(app: Sphinx, fromdoc: str, docnames: list[str]) -> nodes.Element:
    """A bullet list of topic links, each followed by its summary."""
    meta = store.get(app.env).topics
    items = nodes.bullet_list(classes=["kb-topic-list"])
    for docname in docnames:
        para = nodes.paragraph()
        para += store.make_link(app, fromdoc, docname, store.title(app.env, docname))
        if meta.get(docname) and meta[docname].summary:
            para += nodes.Text(" — " + meta[docname].summary)
        items += nodes.list_item("", para)
    return items


def render_index(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: fill the ``kb-tag-index`` placeholders."""
    for node in store.find_placeholders(doctree, "tag-index"):
        counts = tagged(app)
        items = nodes.bullet_list(classes=["kb-tag-index"])
        for tag, description in app.config.kb_tags.items():
            n = len(counts.get(tag, []))
            para = nodes.paragraph()
            para += store.make_link(app, docname, tag_page(app, tag), nodes.strong(text=tag))
            para += nodes.Text(f" — {description} ({n} topic{'s' if n != 1 else ''})")
            items += nodes.list_item("", para)
        node.replace_self(items)


def tag_index_docs(app: Sphinx) -> list[str]:
    features = store.get(app.env).features
    return store.ordered(app.env, (d for d, kinds in features.items() if "tag-index" in kinds))


def collect_tag_pages(app: Sphinx):
    """html-collect-pages: one page per tag."""
    if not app.config.kb_tags:
        return
    index_docs = tag_index_docs(app)
    for tag, docnames in tagged(app).items():
        pagename = tag_page(app, tag)
        description = app.config.kb_tags.get(tag, "")
        heading = f"Topics tagged “{tag}”"
        section = nodes.section(ids=["tag-" + nodes.make_id(tag)])
        section += nodes.title(text=heading)
        if description:
            section += nodes.paragraph(text=description)
        if docnames:
            section += topic_list(app, pagename, docnames)
        else:
            section += nodes.paragraph(text="No topic has this tag yet.")
        if index_docs:
            back = nodes.paragraph()
            back += store.make_link(app, pagename, index_docs[0], "All tags")
            section += back
        body = app.builder.render_partial(section)["fragment"]
        context = {
            "title": heading,
            "body": body,
            "kb_description": f"Topics of the {app.config.project} tagged “{tag}”: {description}",
        }
        yield pagename, context, "page.html"


def index_view(app: Sphinx, docname: str):
    if "tag-index" not in store.get(app.env).features.get(docname, ()):
        return None
    return tagged(app)


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_tag_pages", "tags", "env", types=[str])
    app.add_directive("kb-tag-index", TagIndex)
    app.connect("doctree-resolved", render_index, priority=450)
    app.connect("html-collect-pages", collect_tag_pages)
    store.register_view(index_view)
