"""The reader's questions about use: "Can I use it?" and the side-by-side comparison.

- ``kb-use-table``: every model × every use question (:data:`kb.catalogue.licences.USES`), each
  answer linked to the clause it rests on with its condition spelled out. Without JavaScript that
  complete table is the page. ``static/kb/uses.js`` adds a choice of the uses a reader needs and
  shows only the models that allow all of them (conditional answers counted or not, as the reader
  chooses), with a live count; the choice is kept in the address (``?need=commercial,eu``) so it
  can be shared.
- ``kb-compare``: two to four models side by side (licence answers, the model's own
  restrictions, all nine components, outside assessments), chosen on the page, from the catalogue
  table or from a model page, kept in the address (``?m=llama-3-1,mistral-7b``).
  ``static/kb/compare.js`` builds it from ``models.json``; without JavaScript the page lists a link
  to every model's page.

The two matrices (models or licences × ten questions, with conditions spelled out) are wider
than a desktop column at 1280 px; they scroll sideways inside a labelled region with the name
column kept in view (``kb-matrix``), while the catalogue's own table fits the page. Both are
written as escaped HTML (as :mod:`kb.catalogue.table` is) so that rows can carry their
answers in ``data-`` attributes for the scripts.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

from .. import store
from . import licences, pages, table

HEADERS = {
    "commercial": "Commercial use",
    "large-company": "Large company",
    "modify": "Modify",
    "redistribute": "Share weights",
    "derivative-name": "Any name for derivatives",
    "train-on-outputs": "Train on outputs",
    "eu": "EU use",
    "restricted-uses": "Use restrictions apply",
    "attribution": "Credit required",
    "revocable": "Revocable",
}


class UseTableDirective(Directive):
    def run(self):
        return [store.placeholder(kind="use-table")]


class LicenceTableDirective(Directive):
    def run(self):
        return [store.placeholder(kind="licence-table")]


class CompareDirective(Directive):
    def run(self):
        return [store.placeholder(kind="compare")]


def use_table(app: Sphinx, docname: str) -> str:
    found = pages.models(app.env)
    rows = []
    for model_doc in sorted(found, key=lambda d: found[d].name.lower()):
        model = found[model_doc]
        uses = model.uses()
        answers = " ".join(f'data-{q}="{uses[q]["answer"]}"' for q in licences.USES)
        cells = [f'<th scope="row" class="kb-model-name"><a href="{table.link(app, docname, model_doc)}">'
                 f"{escape(model.name)}</a></th>",
                 f'<td><a href="{table.link(app, docname, licences.PREFIX + model.licence.id)}">'
                 f"{escape(model.licence.name)}</a></td>"]
        cells += [table.answer_cell(uses[q]) for q in licences.USES]
        rows.append(f'<tr class="kb-use-row" data-id="{escape(model.id)}" {answers}>' + "".join(cells) + "</tr>")
    head = '<th scope="col">Model</th><th scope="col">Licence</th>'
    head += "".join(f'<th scope="col" data-question="{q}">{escape(HEADERS[q])}</th>' for q in licences.USES)
    return table.scrolling_table("use-table", "kb-use-table kb-matrix", head, rows,
                                 f"What each of the {len(rows)} models allows")


def licence_table(app: Sphinx, docname: str) -> str:
    """Every licence × every use question, with its family and the number of models under it."""
    found = store.get(app.env).licences
    counts: dict[str, int] = {}
    for model in pages.models(app.env).values():
        counts[model.licence.id] = counts.get(model.licence.id, 0) + 1
    rows = []
    for licence_doc in sorted(found, key=lambda d: found[d].name.lower()):
        licence = found[licence_doc]
        cells = [f'<th scope="row" class="kb-model-name"><a href="{table.link(app, docname, licence_doc)}">'
                 f"{escape(licence.name)}</a></th>",
                 f"<td>{escape(licence.family)}</td>", f"<td>{counts.get(licence.id, 0)}</td>"]
        cells += [table.answer_cell(licence.answer(q)) for q in licences.USES]
        rows.append(f'<tr data-id="{escape(licence.id)}">' + "".join(cells) + "</tr>")
    head = '<th scope="col">Licence</th><th scope="col">Family</th><th scope="col">Models</th>'
    head += "".join(f'<th scope="col">{escape(HEADERS[q])}</th>' for q in licences.USES)
    return table.scrolling_table("licence-table", "kb-use-table kb-matrix", head, rows,
                                 f"What each of the {len(rows)} licences allows")


def compare(app: Sphinx, docname: str) -> str:
    found = pages.models(app.env)
    up = "../" * docname.count("/")
    links = "".join(f'<li><a href="{table.link(app, docname, d)}" data-id="{escape(found[d].id)}">{escape(found[d].name)}</a></li>'
                    for d in sorted(found, key=lambda d: found[d].name.lower()))
    return (f'<div class="kb-compare" data-src="{escape(up)}models.json" data-pages="{escape(table.link(app, docname, "models/index"))}">'
            '<p class="kb-compare-nojs">Each model\'s page has its answers, components and assessments; '
            'with JavaScript on, this page puts two to four of them side by side.</p>'
            f'<ul class="kb-compare-models">{links}</ul></div>')


def render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for holder in store.find_placeholders(doctree, "use-table"):
        holder.replace_self(nodes.raw("", use_table(app, docname), format="html"))
    for holder in store.find_placeholders(doctree, "licence-table"):
        holder.replace_self(nodes.raw("", licence_table(app, docname), format="html"))
    for holder in store.find_placeholders(doctree, "compare"):
        holder.replace_self(nodes.raw("", compare(app, docname), format="html"))


def view(app: Sphinx, docname: str):
    features = store.get(app.env).features.get(docname, [])
    if not {"use-table", "compare", "licence-table"} & set(features):
        return None
    if "licence-table" in features:
        return sorted((d, lic.values) for d, lic in store.get(app.env).licences.items()) + \
            sorted((d, m.licence.id) for d, m in pages.models(app.env).items())
    return sorted((d, m.name, m.licence.values, m.values.get("uses")) for d, m in pages.models(app.env).items())


WIDE = {"model-table", "use-table", "licence-table", "compare"}


def add_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context, after Furo's: the scripts, and no "On this page" panel on the pages of
    wide tables, whose column is widened instead (kb.css, ``.kb-wide``)."""
    if doctree is None:
        return
    features = store.get(app.env).features.get(pagename, [])
    if WIDE & set(features):
        context["furo_hide_toc"] = True
    if "use-table" in features:
        app.builder.add_js_file("kb/uses.js", defer="defer")
    if "compare" in features:
        app.builder.add_js_file("kb/compare.js", defer="defer")


def setup(app: Sphinx) -> None:
    app.add_directive("kb-use-table", UseTableDirective)
    app.add_directive("kb-compare", CompareDirective)
    app.add_directive("kb-licence-table", LicenceTableDirective)
    app.connect("doctree-resolved", render)
    app.connect("html-page-context", add_script, priority=600)
    store.register_view(view)
