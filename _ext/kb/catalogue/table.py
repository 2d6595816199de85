"""The catalogue's table (``kb-model-table``): every model at a glance, sortable and filterable.

Without JavaScript it is a complete, ordinary table (newest release first), so every reader gets
every row. ``static/kb/catalogue.js`` (loaded on that page only) adds sort buttons to the column
headers (``aria-sort`` says the order) and filters for developer, licence family, modality and
"training data released", with a live count of the rows shown. The statuses are words with a
symbol beside them, never colour alone.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

from .. import store
from ..currency import dates
from . import entries, pages

SHOWN = ("weights", "training_code", "training_data", "data_documentation", "paper")


class ModelTableDirective(Directive):
    def run(self):
        return [store.placeholder(kind="model-table")]


def _cell(*children, classes=()) -> nodes.entry:
    entry = nodes.entry(classes=list(classes))
    para = nodes.paragraph()
    for child in children:
        para += nodes.Text(child) if isinstance(child, str) else child
    entry += para
    return entry


def table(app: Sphinx, docname: str) -> nodes.table:
    headers = ["Model", "Developer", "Released", "Modality", "Licence", "Licence family", "OSI-approved licence"]
    headers += [entries.COMPONENTS[c] for c in SHOWN]
    table = nodes.table(classes=["kb-model-table"], ids=["model-table"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head, body = nodes.thead(), nodes.tbody()
    row = nodes.row()
    for text in headers:
        row += _cell(text)
    head += row
    group += head
    group += body
    found = pages.models(app.env)
    for model_doc in sorted(found, key=lambda d: (found[d].values["released"], found[d].name), reverse=True):
        model = found[model_doc]
        v = model.values
        row = nodes.row(classes=["kb-model-row"])
        row += _cell(store.make_link(app, docname, model_doc, model.name))
        row += _cell(v["developer"]["name"])
        row += _cell(dates.time_node(v["released"], v["released"]))
        row += _cell(", ".join(v["modality"]))
        row += _cell(model.licence_name)
        row += _cell(entries.licence_family(model))
        row += _cell("yes" if model.osi_approved else "no")
        for component in SHOWN:
            status = model.status(component)
            row += _cell(pages.status_text(status), classes=[f"kb-status-{status}"])
        body += row
    return table


def downloads(docname: str) -> nodes.paragraph:
    """Links to the open-data files (:mod:`kb.catalogue.exports`) at the site's root."""
    para = nodes.paragraph(classes=["kb-model-downloads"])
    para += nodes.Text("Open data (CC BY 4.0): ")
    up = "../" * docname.count("/")
    for i, (name, what) in enumerate([("models.json", "JSON"), ("models.csv", "CSV"),
                                      ("models.schema.json", "its JSON Schema"),
                                      ("model.schema.json", "the schema of an entry")]):
        if i:
            para += nodes.Text(" · ")
        para += nodes.reference("", what, refuri=up + name, internal=True)
    return para


def render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for holder in store.find_placeholders(doctree, "model-table"):
        holder.replace_self([downloads(docname), table(app, docname)])


def view(app: Sphinx, docname: str):
    if "model-table" not in store.get(app.env).features.get(docname, []):
        return None
    return sorted((d, m.values) for d, m in pages.models(app.env).items())


def add_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is not None and "model-table" in store.get(app.env).features.get(pagename, []):
        app.builder.add_js_file("kb/catalogue.js", defer="defer")


def setup(app: Sphinx) -> None:
    app.add_directive("kb-model-table", ModelTableDirective)
    app.connect("doctree-resolved", render)
    app.connect("html-page-context", add_script)
    store.register_view(view)
