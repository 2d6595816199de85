"""The catalogue's table (``kb-model-table``): every model at a glance, sortable and filterable.

Without JavaScript it is a complete, ordinary table (newest release first), so every reader gets
every row. ``static/kb/catalogue.js`` (loaded on that page only) adds sort buttons to the column
headers (``aria-sort`` says the order), a text filter (name, other names, developer, licence),
filters for developer, licence family, modality and "training data released" with a live count,
and a "compare" choice on each row that opens the comparison (:mod:`kb.catalogue.uses`).

The table is written as HTML, not docutils nodes, because the filters read each row's values
from ``data-`` attributes, which docutils' writer cannot emit. Every value is escaped. It holds
nine columns, few enough to fit the width that the catalogue page leaves free at 1280 px and
above (the page has no "On this page" panel and a wider column: ``kb.css``); on a phone it scrolls
sideways inside a labelled region whose first column, the model's name, stays in view. The other
components and answers are on each model's page and in the comparison.

The statuses are words with a symbol beside them, never colour alone.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

from .. import store
from . import entries, licences, pages

SHOWN = ("weights", "training_data")
ANSWERS_SHOWN = ("commercial", "train-on-outputs", "eu")
SYMBOLS = {"yes": "✓", "no": "✗", "conditional": "◐"}
SHORT = {"commercial": "Commercial use", "train-on-outputs": "Train on outputs", "eu": "EU use"}


class ModelTableDirective(Directive):
    def run(self):
        return [store.placeholder(kind="model-table")]


def answer_cell(use: dict) -> str:
    """An answer as a table cell: symbol and word, the condition spelled out, linked to its clause."""
    answer = use["answer"]
    text = f'<span aria-hidden="true">{SYMBOLS[answer]}</span> {escape(licences.ANSWERS[answer])}'
    condition = f'<span class="kb-condition">{escape(use["condition"])}</span>' if use.get("condition") and answer != "yes" else ""
    return (f'<td class="kb-answer kb-answer-{answer}"><a href="{escape(use["url"])}">{text}</a>{condition}</td>')


def scrolling_table(ident: str, classes: str, head: str, rows: list[str], label: str) -> str:
    """A table (header cells and rows already escaped) in a labelled region that scrolls sideways
    when the screen is narrower than the table."""
    return (f'<div class="kb-scroll" role="region" aria-labelledby="{ident}-label" tabindex="0">'
            f'<p class="kb-scroll-label" id="{ident}-label">{escape(label)}'
            '<span class="kb-scroll-hint"> (scrolls sideways)</span></p>'
            f'<table class="{classes} docutils" id="{ident}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def short_name(licence: licences.Licence) -> str:
    """A licence's name as a narrow column shows it: the SPDX identifier where it has one (Apache-2.0,
    CC-BY-NC-4.0), else its name without "Agreement"; its page and the title attribute give the whole name."""
    if not licence.spdx.startswith("LicenseRef-"):
        return licence.spdx
    return licence.name.replace(" License Agreement", " License").replace(" Agreement", "")


def link(app: Sphinx, fromdoc: str, todoc: str) -> str:
    return escape(app.builder.get_relative_uri(fromdoc, todoc))


def table(app: Sphinx, docname: str) -> str:
    headers = ["Model", "Developer", "Released", "Licence"]
    headers += [SHORT[q] for q in ANSWERS_SHOWN]
    headers += [entries.COMPONENTS[c] for c in SHOWN]
    found = pages.models(app.env)
    rows = []
    for model_doc in sorted(found, key=lambda d: (found[d].values["released"], found[d].name), reverse=True):
        model = found[model_doc]
        v = model.values
        uses = model.uses()
        search = " ".join([model.name, *v.get("aliases", []), model.maker["name"], v.get("team", ""),
                           model.licence.name, model.licence.spdx])
        cells = [
            f'<th scope="row" class="kb-model-name"><a href="{link(app, docname, model_doc)}">{escape(model.name)}</a></th>',
            f"<td>{escape(model.maker['name'])}</td>",
            f'<td><time datetime="{escape(v["released"])}">{escape(v["released"])}</time></td>',
            f'<td><a href="{link(app, docname, licences.PREFIX + model.licence.id)}" title="{escape(model.licence.name)}">'
            f"{escape(short_name(model.licence))}</a></td>",
            *(answer_cell(uses[q]) for q in ANSWERS_SHOWN),
            *(f'<td class="kb-status-{model.status(c)}">{escape(pages.status_text(model.status(c)))}</td>' for c in SHOWN),
        ]
        attributes = {
            "data-id": model.id, "data-maker": model.maker["name"], "data-family": model.licence.family,
            "data-modality": ", ".join(v["modality"]), "data-data": model.status("training_data"),
            "data-search": search.lower(),
        }
        attrs = " ".join(f'{k}="{escape(str(value))}"' for k, value in attributes.items())
        rows.append(f'<tr class="kb-model-row" {attrs}>' + "".join(cells) + "</tr>")
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    return scrolling_table("model-table", "kb-model-table", head, rows, f"All {len(rows)} models, newest first")


def downloads(docname: str) -> nodes.paragraph:
    """Links to the open-data files (:mod:`kb.catalogue.exports`) at the site's root."""
    para = nodes.paragraph(classes=["kb-model-downloads"])
    para += nodes.Text("Open data (CC BY 4.0): ")
    up = "../" * docname.count("/")
    for i, (name, what) in enumerate([("models.json", "models (JSON)"), ("models.csv", "models (CSV)"),
                                      ("models.schema.json", "its JSON Schema"),
                                      ("licences.json", "licences (JSON)"),
                                      ("licences.schema.json", "its JSON Schema"),
                                      ("model.schema.json", "the schema of an entry"),
                                      ("licence.schema.json", "of a licence file")]):
        if i:
            para += nodes.Text(" · ")
        para += nodes.reference("", what, refuri=up + name, internal=True)
    return para


def render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for holder in store.find_placeholders(doctree, "model-table"):
        holder.replace_self([downloads(docname), nodes.raw("", table(app, docname), format="html")])


def view(app: Sphinx, docname: str):
    if "model-table" not in store.get(app.env).features.get(docname, []):
        return None
    return sorted((d, m.values, m.licence.values, m.maker) for d, m in pages.models(app.env).items())


def add_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is not None and "model-table" in store.get(app.env).features.get(pagename, []):
        app.builder.add_js_file("kb/catalogue.js", defer="defer")


def setup(app: Sphinx) -> None:
    app.add_directive("kb-model-table", ModelTableDirective)
    app.connect("doctree-resolved", render)
    app.connect("html-page-context", add_script)
    store.register_view(view)
