"""Backlinks and "See also": how the pages link to each other.

- ``doctree-read`` (every page): every link to another page — MyST ``[text](page.md)``,
  ``{doc}``, ``{ref}`` — is stored in ``env.kb_data.links`` with its line, the section it stands
  in and the sentence around it (so a reader sees *why* a page links here). Topic pages get two
  closing sections, "See also" (from ``related:``, when there is one) and "Referenced by", added
  here, before Sphinx collects the page's table of contents, as placeholders.
- ``doctree-resolved``: "See also" lists the related topics with their summaries; "Referenced
  by" lists every page linking to the topic, each with the sentence(s) its links stand in.

Both sections carry the ``no-search`` class, so text quoted from other pages does not make a
topic turn up in searches for words it does not contain. Whether ``related:`` is reciprocated is
checked in :mod:`kb.lint`. A topic page is rewritten when its backlinks or the titles and
summaries of its related topics change (view registered with :mod:`kb.store`).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import docname_join

from . import store

# Sentence ends: ., ! or ? (plus closing quotes/brackets), then space and a capital or opening mark,
# unless the period ends a common abbreviation.
SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[A-Z0-9\"“‘(\[])")
ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "al.", "Art.", "No.", "cf.", "U.S.", "Dr.", "Mr.", "Ms.", "St.")


def _text_with_span(paragraph: nodes.Element, link: nodes.Node) -> tuple[str, int, int]:
    """The paragraph's text and where the link's text lies in it."""
    parts: list[str] = []
    start = end = -1
    for node in paragraph.findall(nodes.Text):
        inside = any(a is link for a in _ancestors(node))
        if inside and start < 0:
            start = sum(map(len, parts))
        parts.append(str(node))
        if inside:
            end = sum(map(len, parts))
    return "".join(parts).replace("\n", " "), start, end


def _ancestors(node: nodes.Node):
    while node is not None:
        yield node
        node = node.parent


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def sentence_around(paragraph: nodes.Element, link: nodes.Node) -> tuple[str, int, int]:
    """(sentence, start, end): the sentence of ``paragraph`` holding ``link`` and the link's span."""
    text, start, end = _text_with_span(paragraph, link)
    if start < 0:
        return " ".join(text.split()), 0, 0
    begin, finish = 0, len(text)
    for match in SENTENCE_END.finditer(text):
        if text[: match.start() + 1].endswith(ABBREVIATIONS):
            continue
        if match.end() <= start:
            begin = match.end()
        elif match.start() >= end - 1:
            finish = match.start() + len(match.group(0).rstrip())
            break
    before = _squeeze(text[begin:start]).lstrip()
    inside = _squeeze(text[start:end])
    after = _squeeze(text[end:finish]).rstrip()
    return before + inside + after, len(before), len(before) + len(inside)


def _link_target(node: addnodes.pending_xref) -> tuple[str, str] | None:
    """(target, anchor) of a pending cross-reference to a page, or None if it is not one."""
    reftype, domain, target = node.get("reftype"), node.get("refdomain"), node.get("reftarget", "")
    if reftype == "myst" and domain == "doc":
        return target, node.get("reftargetid") or ""
    if reftype == "doc":
        return (target[1:] if target.startswith("/") else docname_join(node["refdoc"], target)), ""
    if reftype == "ref" or (reftype == "myst" and not domain):
        return "label:" + target.lower().lstrip("#"), ""
    return None


def collect_links(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: store every link from this page to another page."""
    env = app.env
    links = []
    for node in doctree.findall(addnodes.pending_xref):
        target = _link_target(node)
        if target is None:
            continue
        container = next((a for a in _ancestors(node) if isinstance(a, nodes.TextElement)), node)
        if isinstance(container, nodes.title) or isinstance(container.parent, addnodes.toctree):
            continue
        sentence, start, end = sentence_around(container, node)
        section = next((a for a in _ancestors(node) if isinstance(a, nodes.section)), None)
        section_id = ""
        if section is not None and isinstance(section.parent, nodes.section) and section["ids"]:
            section_id = section["ids"][0]
        line = node.line or container.line or 0
        links.append(store.Link(target[0], target[1], line, sentence, start, end, section_id))
    if links:
        store.get(env).links[env.docname] = links


def _closing_section(doctree: nodes.document, ident: str, heading: str, kind: str) -> None:
    top = next(iter(doctree.findall(nodes.section)), None)
    parent = top if top is not None else doctree
    if ident in doctree.ids:
        ident = "kb-" + ident
    section = nodes.section(ids=[ident], names=[heading.lower()], classes=["kb-" + kind, "no-search"])
    section += nodes.title(text=heading)
    section += store.placeholder(kind=kind)
    parent += section
    doctree.ids[ident] = section


def add_sections(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read (before the table of contents is collected): closing sections of a topic."""
    meta = store.get(app.env).topics.get(app.env.docname)
    if meta is None:
        return
    if meta.related:
        _closing_section(doctree, "see-also", "See also", "see-also")
    _closing_section(doctree, "referenced-by", "Referenced by", "backlinks")


def related_docnames(app: Sphinx, docname: str) -> list[str]:
    meta = store.get(app.env).topics.get(docname)
    if meta is None:
        return []
    prefix = app.config.kb_topic_prefix
    return [prefix + name for name in meta.related if prefix + name in app.env.found_docs]


def backlinks(app: Sphinx, docname: str) -> list[tuple[str, list[store.Link]]]:
    """[(source page, its links here)] in navigation order."""
    sources = store.links_between(app).get(docname, {})
    return [(source, sources[source]) for source in store.ordered(app.env, sources)]


def _quote(link: store.Link) -> nodes.paragraph:
    para = nodes.paragraph(classes=["kb-backlink-context"])
    text = link.sentence
    if link.end > link.start:
        para += nodes.Text("“" + text[: link.start])
        para += nodes.strong(text=text[link.start : link.end])
        para += nodes.Text(text[link.end :] + "”")
    else:
        para += nodes.Text(f"“{text}”")
    return para


def render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: fill "See also" and "Referenced by"."""
    env = app.env
    meta = store.get(env).topics
    for node in store.find_placeholders(doctree, "see-also"):
        items = nodes.bullet_list()
        for target in related_docnames(app, docname):
            para = nodes.paragraph()
            para += store.make_link(app, docname, target, store.title(env, target))
            if meta.get(target) and meta[target].summary:
                para += nodes.Text(" — " + meta[target].summary)
            items += nodes.list_item("", para)
        node.replace_self(items if len(items) else [])
    for node in store.find_placeholders(doctree, "backlinks"):
        found = backlinks(app, docname)
        if not found:
            node.replace_self(nodes.paragraph(text="No other page links here yet."))
            continue
        items = nodes.bullet_list(classes=["kb-backlinks-list"])
        for source, links in found:
            item = nodes.list_item()
            head = nodes.paragraph()
            head += store.make_link(app, docname, source, store.title(env, source))
            item += head
            seen = set()
            for link in links:
                if link.sentence and link.sentence not in seen:
                    seen.add(link.sentence)
                    item += _quote(link)
            items += item
        node.replace_self(items)


def view(app: Sphinx, docname: str):
    meta = store.get(app.env).topics.get(docname)
    if meta is None:
        return None
    related = [(d, store.title(app.env, d), store.get(app.env).topics[d].summary)
               for d in related_docnames(app, docname) if d in store.get(app.env).topics]
    shown = [(source, store.title(app.env, source), [(link.sentence, link.start, link.end) for link in links])
             for source, links in backlinks(app, docname)]
    return {"related": related, "backlinks": shown}


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", collect_links)
    # after kb.metadata has stored the front matter, before Sphinx's TocTreeCollector (500)
    app.connect("doctree-read", add_sections, priority=450)
    app.connect("doctree-resolved", render, priority=450)
    store.register_view(view)
