"""The catalogue as open data: ``models.json``, ``models.csv`` and ``licences.json`` (CC BY 4.0)
beside their schemas.

Written at ``build-finished`` into the site's root, from the checked entries, sorted by id and
serialized deterministically, so two builds of one commit give the same bytes.
``models.schema.json`` describes ``models.json`` (``schemas/models-export.schema.json``); the
entry schema contributors write against is published beside it as ``model.schema.json``;
``licences.json`` (``licences.schema.json``) holds every licence with its clauses and answers, and
each model in ``models.json`` its ``licence_id``, ``licence_version`` and ``uses``. CSV cells that
a spreadsheet would read as a formula are neutralised with a leading quote, as OWASP advises.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from sphinx.application import Sphinx

from .. import data, store
from . import entries, licences, pages

LICENCE = "CC-BY-4.0"


def record(app: Sphinx, docname: str, model: entries.Model) -> dict:
    v = model.values
    base = app.config.html_baseurl.rstrip("/") + "/"
    return {
        "id": model.id,
        "name": v["name"],
        "url": base + app.builder.get_target_uri(docname),
        "maker": v["maker"],
        "maker_country": model.maker["country"],
        "team": v.get("team"),
        "developer": model.maker["name"],
        "developer_url": model.maker["url"],
        "released": v["released"],
        "modality": v["modality"],
        "parameters": v.get("parameters", []),
        "base_model": v.get("base_model"),
        "licence": model.licence.spdx,
        "licence_id": model.licence.id,
        "licence_version": v["licence"]["version"],
        "licence_name": model.licence_name,
        "licence_url": model.licence.values["url"],
        "licence_page": base + app.builder.get_target_uri(licences.PREFIX + model.licence.id),
        "uses": {q: {"answer": u["answer"], "condition": u.get("condition"), "clause": u["url"], "source": u["source"]}
                 for q, u in model.uses().items()},
        "osi_approved_licence": model.osi_approved,
        "licence_family": entries.licence_family(model),
        "restrictions": [{"kind": r["kind"], "text": r["text"], "evidence": r["evidence"]} for r in v.get("restrictions", [])],
        "licence_history": v.get("licence_history", []),
        "components": {k: {"status": c["status"], "evidence": c.get("evidence")} for k, c in v["components"].items()},
        "assessments": v.get("assessments", {}),
        "assessments_note": v.get("assessments_note", ""),
        "verdict": v["verdict"],
        "reviewed": v["reviewed"],
    }


def records(app: Sphinx) -> list[dict]:
    found = pages.models(app.env)
    return [record(app, d, found[d]) for d in sorted(found, key=lambda d: found[d].id)]


def licence_records(app: Sphinx) -> list[dict]:
    base = app.config.html_baseurl.rstrip("/") + "/"
    found = store.get(app.env).licences
    under: dict[str, list[str]] = {}
    for model in pages.models(app.env).values():
        under.setdefault(model.licence.id, []).append(model.id)
    items = []
    for docname in sorted(found, key=lambda d: found[d].id):
        licence = found[docname]
        v = licence.values
        items.append({
            "id": licence.id, "name": v["name"], "url": v["url"], "page": base + app.builder.get_target_uri(docname),
            "spdx": v["spdx"], "osi_approved": licence.osi_approved, "family": v["family"], "licensor": v["licensor"],
            "summary": v["summary"], "versions": v["versions"], "clauses": v["clauses"],
            "uses": {q: {"answer": u["answer"], "condition": u.get("condition"), "clause": u["clause"]} for q, u in v["uses"].items()},
            "open_source": v["open_source"], "eu_exemption": v["eu_exemption"], "models": sorted(under.get(licence.id, [])),
            "reviewed": v["reviewed"],
        })
    return items


# OWASP's advice on CSV injection: a cell a spreadsheet would read as a formula starts with a quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def to_csv(items: list[dict]) -> str:
    columns = ["id", "name", "url", "maker", "developer", "released", "modality", "parameters", "base_model", "licence",
               "licence_id", "licence_version", "licence_name", "licence_url", "osi_approved_licence", "licence_family"]
    columns += [f"use_{q}" for q in licences.USES]
    columns += [f"{c}_status" for c in entries.COMPONENTS] + ["restrictions", "verdict", "reviewed"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for item in items:
        row = {k: item[k] for k in columns if k in item}
        row["modality"] = "; ".join(item["modality"])
        row["parameters"] = "; ".join(item["parameters"])
        row["base_model"] = item["base_model"] or ""
        row["osi_approved_licence"] = "true" if item["osi_approved_licence"] else "false"
        row["restrictions"] = "; ".join(sorted({r["kind"] for r in item["restrictions"]}))
        for c in entries.COMPONENTS:
            row[f"{c}_status"] = item["components"][c]["status"]
        for q in licences.USES:
            use = item["uses"][q]
            row[f"use_{q}"] = use["answer"] + (f": {use['condition']}" if use["condition"] else "")
        writer.writerow({k: cell(v) if isinstance(v, str) else v for k, v in row.items()})
    return out.getvalue()


def write(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html" or not pages.models(app.env):
        return
    items = records(app)
    out = Path(app.outdir)
    document = {
        "title": f"{app.config.project}: model catalogue",
        "licence": LICENCE,
        "licence_url": "https://creativecommons.org/licenses/by/4.0/",
        "attribution": f"{app.config.project} contributors",
        "schema": "models.schema.json",
        "models": items,
    }
    (out / "models.json").write_text(json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                                     encoding="utf-8")
    (out / "models.csv").write_text(to_csv(items), encoding="utf-8")
    licence_document = {**document, "title": f"{app.config.project}: licences of the model catalogue",
                        "schema": "licences.schema.json", "licences": licence_records(app)}
    del licence_document["models"]
    (out / "licences.json").write_text(json.dumps(licence_document, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                                       encoding="utf-8")
    shutil.copyfile(data.SCHEMAS / "models-export.schema.json", out / "models.schema.json")
    shutil.copyfile(data.SCHEMAS / "licences-export.schema.json", out / "licences.schema.json")
    shutil.copyfile(data.SCHEMAS / "model.schema.json", out / "model.schema.json")
    shutil.copyfile(data.SCHEMAS / "licence.schema.json", out / "licence.schema.json")


def setup(app: Sphinx) -> None:
    app.connect("build-finished", write)
