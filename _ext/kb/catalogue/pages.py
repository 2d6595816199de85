"""One page per model, made from its ``models/<id>.yml`` by a source parser.

Each entry file is a Sphinx source document of its own (``include_patterns`` in conf.py admits
``models/*.yml``; :class:`ModelParser` reads the suffix), so a model page takes part in everything
pages do: the navigation, search, previews of the links it holds, the links lint and the
incremental build. The parser checks the entry (:mod:`kb.catalogue.entries`; every problem a
warning with file and line) and writes the page:

- the verdict, in our words, and the facts (developer, release, modality, parameters, base model,
  licence with its SPDX identifier and whether the OSI approved it);
- "What was released": every component with its status, evidence and note;
- restrictions, licence history, and "What others concluded" side by side;
- derived models and "Mentioned in" (every page linking here, with its sentence), filled in on
  ``doctree-resolved`` from the other pages, and rewritten when those change (a view).

The glossary terms that bear on the entry (weights, training data, model cards, the licence's
kind) are linked under the component table, those the glossary defines.
"""

from __future__ import annotations

import functools
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.parsers import Parser

from .. import backlinks, data, glossary, safety, store
from ..currency import dates
from . import entries, licences, makers

PREFIX = "models/"


def is_model(docname: str) -> bool:
    return docname.startswith(PREFIX) and docname != PREFIX + "index"


def models(env) -> dict[str, entries.Model]:
    """Every valid entry read, by docname."""
    return store.get(env).models


def _link(url: str, text: str, line: int) -> nodes.reference:
    ref = nodes.reference("", text, refuri=url)
    ref.line = line
    return ref


def _para(*children, classes=()) -> nodes.paragraph:
    para = nodes.paragraph(classes=list(classes))
    for child in children:
        para += nodes.Text(child) if isinstance(child, str) else child
    return para


def _section(document: nodes.document, title: str, ident: str) -> nodes.section:
    section = nodes.section(ids=[ident], names=[nodes.fully_normalize_name(title)])
    section += nodes.title(title, title)
    document.note_implicit_target(section, section)
    return section


def _table(headers: list[str], rows: list[list[nodes.Node | str]], classes=()) -> nodes.table:
    table = nodes.table(classes=list(classes))
    group = nodes.tgroup(cols=len(headers))
    table += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for text in headers:
        row += nodes.entry("", nodes.paragraph(text=text))
    head += row
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += cell if isinstance(cell, nodes.paragraph) else _para(cell)
            row += entry
        body += row
    return table


def status_text(status: str) -> str:
    return f"{entries.SYMBOLS[status]} {entries.STATUSES[status]}"


def build_page(document: nodes.document, model: entries.Model) -> None:
    v = model.values
    page = nodes.section(ids=[model.id], names=[nodes.fully_normalize_name(model.name)])
    page += nodes.title(model.name, model.name)
    document += page
    page += _para(v["verdict"], classes=["kb-model-verdict"])
    page += answers(model.uses(), model.licence, compare=model.id)

    facts = nodes.field_list(classes=["kb-model-facts"])
    fact = functools.partial(_fact, facts)

    maker = model.maker
    fact("Developer", _link(maker["url"], maker["name"], model.line("maker")),
         *([f" ({v['team']})"] if v.get("team") else []))
    fact("First released", dates.time_node(v["released"]))
    fact("Modality", ", ".join(v["modality"]))
    if v.get("parameters"):
        fact("Parameters", ", ".join(v["parameters"]))
    if v.get("base_model"):
        base = addnodes.pending_xref("", nodes.inline(v["base_model"], v["base_model"], classes=["kb-model-ref"]),
                                     refdomain="std", reftype="doc", reftarget="/" + PREFIX + v["base_model"],
                                     refexplicit=False, refwarn=True, refdoc=document.settings.env.docname)
        base.line = model.line("base_model")
        fact("Base model", base)
    licence = model.licence
    approved = "an OSI-approved licence" if model.osi_approved else "not an OSI-approved licence"
    fact("Licence of the weights", _link_doc(licence.name, licences.PREFIX + licence.id),
         f", version {v['licence']['version']} ({licence.spdx}; {approved}; ",
         _link(v["licence"]["evidence"], "where the makers say so", model.line("licence", "evidence")), ")")
    fact("Reviewed", dates.time_node(v["reviewed"]))
    page += facts

    released = _section(document, "What was released", "what-was-released")
    released += _para("Each part of the release, graded on the scale the ", _link_doc("catalogue", "models/index"),
                      " explains, with the evidence for the grade.")
    rows = []
    for key, label in entries.COMPONENTS.items():
        component = v["components"][key]
        evidence = (_link(component["evidence"], "evidence", model.line("components", key, "evidence"))
                    if component.get("evidence") else "none")
        rows.append([label, status_text(component["status"]), _para(evidence), component.get("note", "")])
    released += _table(["Component", "Status", "Evidence", "Note"], rows, classes=["kb-model-components"])
    released += store.placeholder(kind="model-terms", terms=_terms(model))
    page += released

    restricted = _section(document, "Restrictions of this model", "restrictions")
    restricted += _para("The licence's own clauses are on ", _link_doc("its page", licences.PREFIX + licence.id),
                        ". Beyond them:")
    if v.get("restrictions"):
        items = nodes.bullet_list()
        for i, item in enumerate(v["restrictions"]):
            line = model.line("restrictions", i, "evidence")
            items += nodes.list_item("", _para(nodes.strong(text=entries.RESTRICTIONS[item["kind"]] + ": "),
                                               item["text"] + " (", _link(item["evidence"], "source", line), ")"))
        restricted += items
    else:
        restricted += _para("Nothing: the makers add no restriction of their own.")
    page += restricted

    if v.get("licence_history"):
        history = _section(document, "Licence history", "licence-history")
        items = nodes.bullet_list()
        for i, item in enumerate(v["licence_history"]):
            line = model.line("licence_history", i, "evidence")
            items += nodes.list_item("", _para(dates.time_node(item["date"]), ": ",
                                               item["change"] + " (", _link(item["evidence"], "source", line), ")"))
        history += items
        page += history

    others = _section(document, "What others concluded", "what-others-concluded")
    assessed = v.get("assessments", {})
    if assessed:
        rows = []
        for key, label in entries.ASSESSORS.items():
            if key in assessed:
                item = assessed[key]
                rows.append([label, item["result"], _para(dates.time_node(item["seen"])),
                             _para(_link(item["url"], "their entry", model.line("assessments", key, "url")))])
        others += _table(["Who", "Their conclusion", "Seen", "Link"], rows, classes=["kb-model-assessments"])
        if v.get("assessments_note"):
            others += _para(v["assessments_note"], classes=["kb-model-disagreement"])
        others += _para("Their grades use their own criteria, which differ from each other and from ours; "
                        "where they disagree with the statuses above, the statuses above follow the "
                        "makers' own licence, card and repositories.")
    else:
        others += _para("No published assessment by the Open Source Initiative, the European Open Source AI "
                        "Index or the Model Openness Tool was recorded for this entry.")
    page += others

    family = _section(document, "Base and derived models", "base-and-derived-models")
    family += store.placeholder(kind="model-derived")
    page += family

    mentioned = _section(document, "Mentioned in", "mentioned-in")
    mentioned["classes"].append("no-search")
    mentioned += store.placeholder(kind="backlinks")
    page += mentioned


def answers(uses: dict[str, dict], licence: licences.Licence, compare: str = "") -> nodes.container:
    """"What you may do": every use question's answer, each linked to the clause it rests on, with
    a link to the licence's page (and, on a model page, to compare this model with others)."""
    box = nodes.container(classes=["kb-uses"], ids=["what-you-may-do"])
    box += nodes.rubric("What you may do", "What you may do")
    items = nodes.bullet_list(classes=["kb-uses-list"])
    for question, label in licences.USES.items():
        use = uses[question]
        item = nodes.list_item(classes=["kb-use", f"kb-use-{use['answer']}", f"kb-question-{question}"])
        para = _para(nodes.strong(text=label + ": "), licences.ANSWERS[use["answer"]])
        if use.get("condition"):
            para += nodes.Text(" — " + use["condition"].rstrip("."))
        where = use.get("section") or "source"
        para += nodes.Text(" (")
        para += _link(use["url"], where if use["source"] == "licence" else "this model's terms", use.get("line", 0))
        para += nodes.Text(")")
        item += para
        items += item
    box += items
    more = _para("All clauses, versions and what they mean: ", _link_doc(licence.name, licences.PREFIX + licence.id), ".",
                 classes=["kb-uses-more"])
    if compare:
        more += nodes.Text(" ")
        more += nodes.reference("", "Compare with other models", refuri=f"../compare.html?m={compare}", internal=True,
                                classes=["kb-compare-link"])
        more += nodes.Text(".")
    box += more
    return box


def build_licence_page(document: nodes.document, licence: licences.Licence) -> None:
    v = licence.values
    page = nodes.section(ids=[licence.id], names=[nodes.fully_normalize_name(licence.name)])
    page += nodes.title(licence.name, licence.name)
    document += page
    page += _para(v["summary"], classes=["kb-model-verdict"])
    page += answers({q: {**licence.answer(q), "source": "licence"} for q in licences.USES}, licence)

    facts = nodes.field_list(classes=["kb-model-facts"])
    fact = functools.partial(_fact, facts)

    fact("Licensor", v["licensor"])
    fact("Identifier", v["spdx"] + ("" if v["spdx"].startswith("LicenseRef-") else " (SPDX)"))
    fact("OSI-approved", "yes" if licence.osi_approved else "no")
    fact("Family", licence.family)
    fact("Current text", _link(v["url"], v["url"], licence.line("url")))
    fact("Reviewed", dates.time_node(v["reviewed"]))
    page += facts

    clauses = _section(document, "Clauses", "clauses")
    clauses += _para("Every kind of clause the catalogue looks for, present or not, in our words; the "
                     "section numbers and links lead to the licence's own text, which governs.")
    items = nodes.bullet_list(classes=["kb-clauses"])
    for kind, label in licences.CLAUSES.items():
        clause = v["clauses"][kind]
        item = nodes.list_item(ids=[f"clause-{kind}"], classes=["kb-clause", "kb-clause-present" if clause["present"] else "kb-clause-absent"])
        if clause["present"]:
            para = _para(nodes.strong(text=label + ": "), clause["summary"].rstrip(".") + " (",
                         _link(clause["url"], clause["section"], licence.line("clauses", kind, "url")), ").")
        else:
            para = _para(nodes.strong(text=label + ": "), "none." + (" " + clause["note"] if clause.get("note") else ""))
        item += para
        items += item
    clauses += items
    page += clauses

    versions = _section(document, "Versions", "versions")
    items = nodes.bullet_list()
    for i, version in enumerate(v["versions"]):
        para = _para(nodes.strong(text=version["version"]))
        if version.get("date"):
            para += nodes.Text(" (")
            para += dates.time_node(version["date"])
            para += nodes.Text(")")
        para += nodes.Text(": " + version["changes"].rstrip(".") + " (")
        para += _link(version["url"], "text", licence.line("versions", i, "url"))
        para += nodes.Text(").")
        items += nodes.list_item("", para)
    versions += items
    page += versions

    open_source = _section(document, "Is it an open source licence?", "is-it-open-source")
    open_source += _para(v["open_source"])
    page += open_source

    eu = _section(document, "The EU AI Act's open-source exemptions", "eu-ai-act")
    meets = {"yes": "Meets", "no": "Does not meet", "unclear": "Unclear whether it meets"}[v["eu_exemption"]["meets"]]
    eu += _para(nodes.strong(text=meets), " the licence condition of the exemptions in Articles 53(2) and 54(6), as the "
                "Commission's guidelines on general-purpose AI models read it (as of ",
                dates.time_node(v["eu_exemption"]["as_of"]), "). ", v["eu_exemption"]["why"])
    more = _para("The exemptions also need the weights and information on the architecture and use to be public, "
                 "and never cover a model with systemic risk.")
    if "topics/regulation" in document.settings.env.found_docs:
        more += nodes.Text(" See ")
        more += _link_doc("the regulation topic", "topics/regulation")
        more += nodes.Text(".")
    eu += more
    page += eu

    models_under = _section(document, "Models under this licence", "models")
    models_under += store.placeholder(kind="licence-models")
    page += models_under


def _terms(model: entries.Model) -> list[str]:
    """The glossary terms that bear on the entry: what was graded, and the licence's kind."""
    terms = ["model weights", "training data", "model card", "open weights"]
    family = entries.licence_family(model)
    if family == "permissive":
        terms.append("permissive licence")
    elif family == "copyleft":
        terms.append("copyleft")
    elif family == "responsible AI":
        terms.append("responsible AI licence")
    if any(r["kind"] == "acceptable-use-policy" for r in model.values.get("restrictions", [])):
        terms.append("acceptable use policy")
    return terms


def _link_doc(text: str, target: str) -> addnodes.pending_xref:
    return addnodes.pending_xref("", nodes.inline(text, text), refdomain="std", reftype="doc",
                                 reftarget="/" + target, refexplicit=True, refwarn=True)


class ModelParser(Parser):
    """Reads a catalogue entry (``models/<id>.yml``) into its page."""

    supported = ("kb-model",)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        docname = env.docname
        path = Path(env.doc2path(docname))
        if inputstring == safety.REFUSED_SOURCE:  # kb.safety refused the file and said why
            section = nodes.section(ids=["refused"])
            section += nodes.title("Refused", "Refused")
            document += section
            return
        if docname.startswith(licences.PREFIX):
            self.parse_licence(inputstring, document, path)
            return
        env.note_dependency(str(Path(env.srcdir, makers.FILE)))
        model, problems = entries.read(path, docname, env.srcdir, inputstring)
        if model is not None or problems:
            ident = _licence_id(inputstring)
            licence_path = Path(env.srcdir, licences.PREFIX, ident + ".yml")
            if ident and data.regular_file(licence_path, env.srcdir):  # re-read this entry when its licence changes
                env.note_dependency(str(licence_path))
        for line, message in problems:
            store.warn(message, (docname, line), "model")
        if model is None:
            _stub(document, docname, "This catalogue entry has problems; the build names each one.")
            return
        build_page(document, model)
        _resolve_from(document, docname)
        store.get(env).models[docname] = model

    def parse_licence(self, inputstring: str, document: nodes.document, path: Path) -> None:
        env = document.settings.env
        docname = env.docname
        licence, problems = licences.read(path, docname, env.srcdir, inputstring)
        for line, message in problems:
            store.warn(message, (docname, line), "licence")
        if licence is None:
            _stub(document, docname, "This licence file has problems; the build names each one.")
            return
        build_licence_page(document, licence)
        _resolve_from(document, docname)
        store.get(env).licences[docname] = licence


def _fact(facts: nodes.field_list, name: str, *value) -> None:
    """One line of a page's facts: a name and its value (text and nodes)."""
    field = nodes.field()
    field += nodes.field_name(name, name)
    body = nodes.field_body()
    body += _para(*value)
    field += body
    facts.append(field)


def _resolve_from(document: nodes.document, docname: str) -> None:
    """Cross-references made by a data page's builder resolve relative to that page."""
    for xref in document.findall(addnodes.pending_xref):
        xref["refdoc"] = docname


def _stub(document: nodes.document, docname: str, text: str) -> None:
    """The page of a data file the build could not use: its name and a sentence."""
    title = Path(docname).name
    section = nodes.section(ids=[title])
    section += nodes.title(title, title)
    section += _para(text)
    document += section


def _licence_id(text: str) -> str:
    """The licence id an entry names, found without parsing (for the dependency alone)."""
    for line in text.splitlines():
        stripped = line.strip()
        if line.startswith("  id:") and data.is_id(stripped[3:].strip()):
            return stripped[3:].strip()
    return ""


def derived(app: Sphinx, docname: str) -> list[str]:
    model = models(app.env).get(docname)
    if model is None:
        return []
    return sorted(d for d, m in models(app.env).items() if m.values.get("base_model") == model.id)


def render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for holder in store.find_placeholders(doctree, "model-terms"):
        known = glossary.all_terms(app)
        para = _para("Glossary: ", classes=["kb-model-terms"])
        shown = [t for t in holder["terms"] if store.normalize_term(t) in known]
        for i, term in enumerate(shown):
            if i:
                para += nodes.Text(" · ")
            glossary_doc, entry = known[store.normalize_term(term)]
            para += store.make_link(app, docname, glossary_doc, entry.name, entry.anchor)
        holder.replace_self([para] if shown else [])
    for holder in store.find_placeholders(doctree, "licence-models"):
        under = licence_models(app, docname)
        if under:
            items = nodes.bullet_list()
            for model_doc, version in under:
                items += nodes.list_item("", _para(store.make_link(app, docname, model_doc, _name(app, model_doc)),
                                                   f" (version {version})"))
            holder.replace_self([items])
        else:
            holder.replace_self([_para("No catalogue entry uses this licence yet.")])
    for holder in store.find_placeholders(doctree, "model-derived"):
        model = models(app.env)[docname]
        parts = []
        base = model.values.get("base_model")
        if base:
            parts.append(_para("Trained from ", store.make_link(app, docname, PREFIX + base, _name(app, PREFIX + base)), "."))
        children = derived(app, docname)
        if children:
            para = _para("Models in the catalogue trained from it: ")
            for i, child in enumerate(children):
                if i:
                    para += nodes.Text(", ")
                para += store.make_link(app, docname, child, _name(app, child))
            para += nodes.Text(".")
            parts.append(para)
        holder.replace_self(parts or [_para("No base model or derived model is in the catalogue.")])


def licence_models(app: Sphinx, docname: str) -> list[tuple[str, str]]:
    """(entry, licence version) for every entry under the licence ``docname``, by name."""
    ident = docname[len(licences.PREFIX):]
    found = models(app.env)
    under = [(d, m.values["licence"]["version"]) for d, m in found.items() if m.values["licence"]["id"] == ident]
    return sorted(under, key=lambda item: found[item[0]].name.lower())


def _name(app: Sphinx, docname: str) -> str:
    model = models(app.env).get(docname)
    return model.name if model else docname


def check(app: Sphinx, env) -> None:
    """env-check-consistency: base models exist; every entry is linked from some page."""
    found = models(env)
    linked = store.links_between(app)
    for docname, model in found.items():
        base = model.values.get("base_model")
        seen, step = {docname}, base
        while step and PREFIX + step in found:
            if PREFIX + step in seen:
                store.warn("base_model %r leads back to this entry (a cycle of base models): an entry's base "
                           "model must be an earlier model", (docname, model.line("base_model")), "model", base)
                break
            seen.add(PREFIX + step)
            step = found[PREFIX + step].values.get("base_model")
        if base and PREFIX + base not in found:
            store.warn("base_model %r names no catalogue entry: use the id of another file in models/",
                       (docname, model.line("base_model")), "model", base)
        sources = {s for s in linked.get(docname, {}) if s != PREFIX + "index"}
        if not sources:
            store.warn("no page links to this catalogue entry: link its first mention in a topic with "
                       "{model}`%s`", (docname, 1), "model-orphan", model.id)


def view(app: Sphinx, docname: str):
    if docname in store.get(app.env).licences:
        return {"models": [(d, _name(app, d), version) for d, version in licence_models(app, docname)]}
    if docname not in models(app.env):
        return None
    shown = [(source, store.title(app.env, source), [(link.sentence, link.start, link.end) for link in links])
             for source, links in backlinks.backlinks(app, docname)]
    base = models(app.env)[docname].values.get("base_model")
    return {"derived": [(d, _name(app, d)) for d in derived(app, docname)],
            "base": _name(app, PREFIX + base) if base else "", "mentions": shown}


def describe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context, before kb.metadata's meta tags: the verdict is the page's description
    (search engines, link previews, and the summary Pagefind weights like a topic's)."""
    model = models(app.env).get(pagename)
    if model is not None:
        context["kb_description"] = model.values["verdict"]
    licence = store.get(app.env).licences.get(pagename)
    if licence is not None:
        context["kb_description"] = licence.values["summary"]


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", describe, priority=450)
    app.add_source_suffix(".yml", "kb-model")
    app.add_source_parser(ModelParser)
    app.connect("doctree-resolved", render)
    app.connect("env-check-consistency", check)
    store.register_view(view)
