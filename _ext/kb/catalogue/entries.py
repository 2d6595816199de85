"""Catalogue entries: one ``models/<id>.yml`` per model, read and checked with file and line.

The JSON Schema (``schemas/model.schema.json``) fixes the shape: keys, enums, date and URL forms.
Beyond it, checks that need more than one value or outside data:

- the ``id`` is the file's name, so ids are unique and stable;
- ``maker`` names a record in ``models/makers.yml`` (:mod:`kb.catalogue.makers`);
- ``licence.id`` names a valid licence file (:mod:`kb.catalogue.licences`) and ``licence.version``
  one of its versions; a restriction whose kind the licence file already marks present is a
  warning (it belongs on the licence's page, written once), and so is a ``uses`` answer that
  repeats the licence's;
- no evidence address backs more than :data:`MAX_SHARED_EVIDENCE` components (the rulebook asks
  for the deepest link that shows each fact, not one landing page for all);
- an entry is not its own base model; ``reviewed`` is not in the future.

A ``base_model`` naming no entry is checked once every entry is read (:mod:`kb.catalogue.pages`);
evidence links are external links like any other, so :mod:`kb.links` holds them to https and the
reviewed domain list, with file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import data
from ..currency import dates
from . import licences, makers

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
RESTRICTIONS = {**{k: v for k, v in licences.CLAUSES.items() if k != "grant"}, "other": "Other"}
MAX_SHARED_EVIDENCE = 4
ASSESSORS = {
    "osi": "Open Source Initiative",
    "eosai": "European Open Source AI Index",
    "mot": "Model Openness Tool (LF AI & Data)",
}


@dataclass
class Model(data.Record):
    """A checked entry, with its licence and its maker's record."""

    licence: licences.Licence | None = field(default=None, repr=False)
    maker: dict | None = None

    @property
    def licence_id(self) -> str:
        return self.licence.id

    @property
    def licence_name(self) -> str:
        return self.licence.name

    @property
    def osi_approved(self) -> bool:
        return self.licence.osi_approved

    def uses(self) -> dict[str, dict]:
        """Every use question's answer for this model: the licence's, or the entry's own where it
        has one (``source`` says which; ``url`` is the clause or policy the answer rests on)."""
        answers = {}
        for question in licences.USES:
            own = self.values.get("uses", {}).get(question)
            if own:
                answers[question] = {"answer": own["answer"], "condition": own["condition"], "url": own["evidence"],
                                     "source": "model", "line": self.line("uses", question, "evidence")}
            else:
                answers[question] = {**self.licence.answer(question), "source": "licence"}
        return answers

    def status(self, component: str) -> str:
        return self.values["components"][component]["status"]



def licence_family(model: Model) -> str:
    """The family its licence file names: permissive, copyleft, responsible AI, non-commercial, custom."""
    return model.licence.family


def read(path: Path, docname: str, srcdir: str, text: str | None = None) -> tuple[Model | None, list[tuple[int, str]]]:
    """The entry in ``path`` and its problems as (line, message); the entry is None if unusable."""
    relative = path.relative_to(srcdir).as_posix() if path.is_absolute() else str(path)
    values, lines, problems = data.read_record(path, docname, text, SCHEMA, "a catalogue entry")
    if values is None:
        return None, problems
    stem = Path(docname).name
    problems += _references(values, lines, srcdir, stem)
    problems += _future_dates(values, lines)
    problems.sort()
    maker, licence = values.pop("_maker", None), values.pop("_licence", None)
    if problems:
        return None, problems
    return Model(stem, values, relative, lines, licence, maker), []


def _future_dates(values: dict, lines: dict) -> list[tuple[int, str]]:
    """Dates of events (release, review, licence changes, when an assessment was seen) lie in the
    past or today; an impossible date (2026-02-30) is the schema's to report."""
    places = [(("released",), values.get("released")), (("reviewed",), values.get("reviewed"))]
    for i, item in enumerate(values.get("licence_history") or []):
        if isinstance(item, dict):
            places.append((("licence_history", i, "date"), item.get("date")))
    for key, item in (values.get("assessments") or {}).items():
        if isinstance(item, dict):
            places.append((("assessments", key, "seen"), item.get("seen")))
    problems = []
    for place, when in places:
        span = dates.period(when) if isinstance(when, str) else None
        if span and span[0] > dates.today():
            problems.append((lines.get(place, 1), f"{'/'.join(map(str, place))}: {when} lies in the future"))
    return problems


def _references(values: dict, lines: dict, srcdir: str, stem: str) -> list[tuple[int, str]]:
    """Problems with what the entry names (maker, licence, base model, evidence); on success the
    maker's record and the licence are kept in ``values`` (``_maker``, ``_licence``)."""
    problems = []
    maker = values.get("maker")
    if isinstance(maker, str) and data.is_id(maker):
        record = makers.records(srcdir).get(maker)
        if record is None:
            problems.append((lines.get(("maker",), 1), f"maker {maker!r} has no record in {makers.FILE}: add one "
                                                        "there, or use an existing id"))
        values["_maker"] = record
    licence = values.get("licence")
    if isinstance(licence, dict) and data.is_id(licence.get("id")):
        found = licences.load(srcdir, licence["id"])
        line = lines.get(("licence", "id"), 1)
        if found is None:
            problems.append((line, f"licence {licence['id']!r} names no valid licence file: add "
                                   f"{licences.PREFIX}{licence['id']}.yml, or fix the problems the build lists in it"))
        else:
            values["_licence"] = found
            version = licence.get("version")
            if isinstance(version, str) and version not in found.versions:
                problems.append((lines.get(("licence", "version"), line),
                                 f"licence version {version!r} is not one of {found.id}'s versions "
                                 f"({', '.join(found.versions)})"))
            for i, item in enumerate(values.get("restrictions") or []):
                kind = item.get("kind") if isinstance(item, dict) else None
                if kind in licences.CLAUSES and found.has(kind):
                    problems.append((lines.get(("restrictions", i, "kind"), line),
                                     f"restriction {kind!r} is a clause of the licence ({found.id}), shown on its page: "
                                     "keep here only what this model adds"))
            for question, own in (values.get("uses") or {}).items():
                if isinstance(own, dict) and question in licences.USES and own.get("answer") == found.values["uses"][question]["answer"] \
                        and own.get("condition") == found.values["uses"][question].get("condition"):
                    problems.append((lines.get(("uses", question), line),
                                     f"uses/{question} repeats the licence's answer: remove it"))
    if values.get("base_model") == stem:
        problems.append((lines.get(("base_model",), 1), "an entry cannot be its own base model"))
    shared: dict[str, list[str]] = {}
    for key, component in (values.get("components") or {}).items():
        if isinstance(component, dict) and isinstance(component.get("evidence"), str):
            shared.setdefault(component["evidence"], []).append(key)
    for keys in shared.values():
        if len(keys) > MAX_SHARED_EVIDENCE:
            problems.append((lines.get(("components", keys[MAX_SHARED_EVIDENCE], "evidence"), 1),
                             f"one address backs {len(keys)} components ({', '.join(keys)}); at most "
                             f"{MAX_SHARED_EVIDENCE} may share one: link each to the deepest place that shows it"))
    return problems
