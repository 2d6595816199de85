"""Previews: hovering or focusing a glossary-term link shows the definition, a topic link its
summary, a link to a catalogue entry (``{model}``) its verdict.

Decision: our own ~100 lines of JavaScript instead of sphinx-tippy. sphinx-tippy 0.4.3 (last
release April 2024) loads Popper and Tippy from a public CDN by default (third-party requests on
every page), names each page's data file with a random uuid4 (two clean builds differ, so builds
are not reproducible) and writes cache files into the HTML output (see /work/shared/findings.md).
Self-hosting its libraries would fix only the first point and add ~30 kB of script. What we need
is small: build-time data plus one tooltip element.

- Each page carries only the previews it can show, as a ``<script type="application/json"
  id="kb-previews-data">`` block (inert data, so the Content-Security-Policy needs no hash for it):
  the definitions of the glossary terms its ``{term}`` links point at, keyed by
  ``<glossary page>#<term id>``, and the titles and summaries of the topics its prose links to,
  keyed by page path, as sorted JSON (byte-for-byte reproducible). A page without such links
  loads neither data nor script. One site-wide file would be loaded by every page and grow with
  the site (about 30 kB for a dozen topics, hundreds of kB at a thousand).
- What a page shows is registered as its view (:func:`kb.store.register_view`), so a page is
  written again when a definition, title or summary it previews changes.
- ``static/kb/previews.js`` finds the links in the page's main content whose target has data
  (links in generated lists such as "Referenced by" are left alone) and shows a single
  ``role="tooltip"`` element on ``mouseenter`` and ``focus``, referenced from the link with
  ``aria-describedby`` while shown; it hides on ``mouseleave`` (after a short grace period so the
  pointer can move onto the tooltip), ``blur`` and Escape (WCAG 1.4.13). Colours come from Furo's
  CSS variables, so it follows the light and dark themes.

Reads what :mod:`kb.metadata`, :mod:`kb.glossary` and :mod:`kb.store` collect; stores nothing.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import glossary, store

DATA_ID = "kb-previews-data"


def page_previews(app: Sphinx, docname: str) -> dict | None:
    """The previews the page ``docname`` can show, or None when it links to nothing previewable."""
    env, builder = app.env, app.builder
    data = store.get(env)
    terms_by_key = glossary.all_terms(app)
    terms = {}
    for key in data.term_uses.get(docname, {}):
        if key in terms_by_key:
            glossary_doc, term = terms_by_key[key]
            terms[f"{builder.get_target_uri(glossary_doc)}#{term.anchor}"] = [term.name, term.definition]
    pages = {}
    for link in data.links.get(docname, []):
        target = store.resolve_target(env, link)
        if target is None or target[0] == docname:
            continue
        if target[0] in data.topics and (summary := data.topics[target[0]].summary):
            pages[builder.get_target_uri(target[0])] = [store.title(env, target[0]), summary]
        elif target[0] in data.models:  # a catalogue entry (kb.catalogue): its verdict
            model = data.models[target[0]]
            pages[builder.get_target_uri(target[0])] = [model.name, model.values["verdict"]]
        elif target[0] in data.licences:  # a licence (kb.catalogue.licences): its summary
            licence = data.licences[target[0]]
            pages[builder.get_target_uri(target[0])] = [licence.name, licence.values["summary"]]
    if not terms and not pages:
        return None
    return {"terms": terms, "pages": pages}


def view(app: Sphinx, docname: str):
    return page_previews(app, docname) if app.builder.format == "html" else None


def add_to_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: the page's preview data and the script, on pages that have previews."""
    if doctree is None or app.builder.name == "epub":
        return
    previews = page_previews(app, pagename)
    if previews is None:
        return
    text = store.script_json(previews, sort_keys=True)
    # the builder's own method: this page only (Sphinx resets the list before the next page)
    app.builder.add_js_file(None, body=text, type="application/json", id=DATA_ID)
    app.builder.add_js_file("kb/previews.js", defer="defer")


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_to_page)
    store.register_view(view)
