"""The catalogue as open data: ``models.json`` and ``models.csv`` (CC BY 4.0) beside their schema.

Written at ``build-finished`` into the site's root, from the checked entries, sorted by id and
serialized deterministically, so two builds of one commit give the same bytes.
``models.schema.json`` describes ``models.json`` (``schemas/models-export.schema.json``); the
entry schema contributors write against is published beside it as ``model.schema.json``.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from sphinx.application import Sphinx

from .. import data
from . import entries, pages

LICENCE = "CC-BY-4.0"


def record(app: Sphinx, docname: str, model: entries.Model) -> dict:
    v = model.values
    base = app.config.html_baseurl.rstrip("/") + "/"
    return {
        "id": model.id,
        "name": v["name"],
        "url": base + app.builder.get_target_uri(docname),
        "developer": v["developer"]["name"],
        "developer_url": v["developer"]["url"],
        "released": v["released"],
        "modality": v["modality"],
        "parameters": v.get("parameters", []),
        "base_model": v.get("base_model"),
        "licence": model.licence_id,
        "licence_name": model.licence_name,
        "licence_url": v["licence"]["url"],
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


def to_csv(items: list[dict]) -> str:
    columns = ["id", "name", "url", "developer", "released", "modality", "parameters", "base_model", "licence",
               "licence_name", "licence_url", "osi_approved_licence", "licence_family"]
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
        writer.writerow(row)
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
    shutil.copyfile(data.SCHEMAS / "models-export.schema.json", out / "models.schema.json")
    shutil.copyfile(data.SCHEMAS / "model.schema.json", out / "model.schema.json")


def setup(app: Sphinx) -> None:
    app.connect("build-finished", write)
