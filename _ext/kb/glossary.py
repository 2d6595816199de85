"""The glossary as a hub: usage lists and a filter box.

- ``doctree-read``: stores every glossary entry (``env.kb_data.term_defs``: name, HTML id,
  source line, plain-text definition) and every ``{term}`` reference of every page with its first
  line (``env.kb_data.term_uses``).
- ``doctree-resolved`` on pages with a glossary: each definition ends with "Used on:" and the
  pages (linked, navigation order) whose ``{term}`` links point at it; above each glossary sit an
  A–Z line (each initial letter linked to its first term) and a filter box (a labelled search
  input and a polite live region announcing how many terms are shown; ``static/kb/glossary-filter.js``
  makes it work and reveals it, so without JavaScript nothing is shown). The filter understands
  what the site search understands (``static/kb/forms.js`` and the search's synonym groups, which
  the box carries as JSON) and, when no term matches, offers a search of the whole site. The
  glossary page is rewritten whenever a usage list changes.
- ``html-page-context``: the filter's script is added to pages with a glossary only.

Search is :mod:`kb.search`'s concern (each glossary entry is a search record of its own there);
the usage lists carry the ``no-search`` class so they do not add every page's title to each entry.
"""

from __future__ import annotations

import html
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from . import store


def _term_line(lines: list[str], name: str, fallback: int) -> int:
    """The source line defining ``name`` (Sphinx gives glossary terms lines relative to the block)."""
    for number, text in enumerate(lines, start=1):
        if text.strip() == name and not text[:1].isspace():
            return number
    return fallback


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: glossary entries and {term} references of this page."""
    env = app.env
    data = store.get(env)
    defs = []
    glossaries = list(doctree.findall(addnodes.glossary))
    if glossaries:
        lines = Path(env.doc2path(env.docname)).read_text(encoding="utf-8").splitlines()
        for glossary in glossaries:
            for item in glossary.findall(nodes.definition_list_item):
                definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
                text = " ".join(definition.astext().split()) if definition is not None else ""
                for term in item.children:
                    if isinstance(term, nodes.term) and term["ids"]:
                        name = " ".join(term.astext().split())
                        line = _term_line(lines, name, glossary.line or 0)
                        defs.append(store.TermDef(store.normalize_term(name), name, term["ids"][0], line, text))
    if defs:
        data.term_defs[env.docname] = defs
    uses: dict[str, int] = {}
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("reftype") == "term" and node.get("refdomain") == "std":
            key = store.normalize_term(node["reftarget"])
            line = node.line or 0
            if key not in uses or 0 < line < uses[key]:
                uses[key] = line
    if uses:
        data.term_uses[env.docname] = uses


def all_terms(app: Sphinx) -> dict[str, tuple[str, store.TermDef]]:
    """term key -> (glossary docname, entry); the first definition wins. Once per build."""
    return store.cached(app.env, "glossary.all_terms", lambda: _all_terms(app))


def _all_terms(app: Sphinx) -> dict[str, tuple[str, store.TermDef]]:
    result: dict[str, tuple[str, store.TermDef]] = {}
    for docname in store.ordered(app.env, store.get(app.env).term_defs):
        for term in store.get(app.env).term_defs[docname]:
            result.setdefault(term.key, (docname, term))
    return result


def usage(app: Sphinx) -> dict[str, list[str]]:
    """term key -> pages with a {term} link to it (navigation order, glossary pages left out).
    Once per build."""
    return store.cached(app.env, "glossary.usage", lambda: _usage(app))


def _usage(app: Sphinx) -> dict[str, list[str]]:
    data = store.get(app.env)
    result: dict[str, list[str]] = {}
    for docname, uses in data.term_uses.items():
        if docname in data.term_defs:
            continue
        for key in uses:
            result.setdefault(key, []).append(docname)
    return {key: store.ordered(app.env, docs) for key, docs in result.items()}


FILTER_HTML = """<div class="kb-glossary-filter" data-kb-glossary-filter hidden>
  <label for="{id}">Filter the glossary</label>
  <input type="search" id="{id}" autocomplete="off" spellcheck="false" aria-describedby="{id}-status">
  <p id="{id}-status" class="kb-glossary-filter-status" role="status" aria-live="polite"></p>
  <p class="kb-glossary-filter-elsewhere" hidden></p>
  <script type="application/json" class="kb-glossary-synonyms">{synonyms}</script>
</div>
"""


def az_index(glossary: addnodes.glossary) -> str:
    """An A–Z line: each initial letter of the (sorted) glossary, linked to its first term."""
    letters: dict[str, str] = {}
    for term in glossary.findall(nodes.term):
        initial = next((c for c in term.astext() if c.isalnum()), "").upper()
        if initial and term["ids"] and initial not in letters:
            letters[initial] = term["ids"][0]
    links = "".join(f'<li><a href="#{html.escape(anchor)}">{html.escape(letter)}</a></li>'
                    for letter, anchor in sorted(letters.items()))
    return f'<nav class="kb-glossary-az no-search" aria-label="Glossary from A to Z"><ul>{links}</ul></nav>'


def synonyms_json(app: Sphinx) -> str:
    """The search's synonym groups (kb.search), for the filter: the same forms find the same terms."""
    return store.script_json(getattr(app, "kb_search_synonyms", []))


def render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: usage lists and the filter box on pages with a glossary."""
    if docname not in store.get(app.env).term_defs:
        return
    used = usage(app)
    for number, glossary in enumerate(list(doctree.findall(addnodes.glossary)), start=1):
        if app.builder.format == "html":
            box = nodes.raw("", FILTER_HTML.format(id=html.escape(f"kb-glossary-filter-{number}"),
                                                   synonyms=synonyms_json(app)),
                            format="html", classes=["no-search"])
            glossary.parent.insert(glossary.parent.index(glossary), box)
            # the A-Z line goes before the filter box: the box must stay next to the list it filters
            glossary.parent.insert(glossary.parent.index(box), nodes.raw("", az_index(glossary), format="html"))
        for item in glossary.findall(nodes.definition_list_item):
            keys = [store.normalize_term(t.astext()) for t in item.children if isinstance(t, nodes.term)]
            definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
            if definition is None:
                continue
            pages = store.ordered(app.env, (d for k in keys for d in used.get(k, [])))
            para = nodes.paragraph(classes=["kb-term-usage", "no-search"])
            if pages:
                para += nodes.Text("Used on: ")
                for i, page in enumerate(pages):
                    if i:
                        para += nodes.Text(", ")
                    para += store.make_link(app, docname, page, store.title(app.env, page))
                para += nodes.Text(".")
            else:
                para += nodes.Text("Not linked from any page yet.")
            definition += para


def view(app: Sphinx, docname: str):
    if docname not in store.get(app.env).term_defs:
        return None
    used = usage(app)
    return {
        term.key: [(d, store.title(app.env, d)) for d in used.get(term.key, [])]
        for term in store.get(app.env).term_defs[docname]
    }


def add_filter_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: the filter script only on pages with a glossary."""
    if pagename in store.get(app.env).term_defs:
        app.builder.add_js_file("kb/forms.js", defer="defer")
        app.builder.add_js_file("kb/glossary-filter.js", defer="defer")


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", collect)
    app.connect("doctree-resolved", render, priority=450)
    app.connect("html-page-context", add_filter_script)
    store.register_view(view)
