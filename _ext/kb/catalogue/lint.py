"""The catalogue in the knowledge-base lint: models named in topics without a link.

A topic that names a catalogued model (its ``name`` or one of its ``aliases``, as written: model
names are proper nouns, so the match is case-sensitive) in paragraph text, but never links it
with ``{model}``, gets a warning at the line of the first plain mention, as for glossary terms
(:mod:`kb.lint`, whose paragraph text and line lookup this reuses). A name followed by a version
("Gemma 4" where only "Gemma" is catalogued) is not a mention of the shorter name. An entry no
page links to is reported by :mod:`kb.catalogue.pages`.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

from .. import lint, store
from . import pages


def name_pattern(names: dict[str, str]) -> re.Pattern | None:
    """One pattern for every name (longest first), not followed by a version number."""
    if not names:
        return None
    body = "|".join(r"\s+".join(map(re.escape, n.split())) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-]|[ .]\d)")


def names(app: Sphinx) -> dict[str, str]:
    """name or alias -> model docname."""
    found = {}
    for docname, model in pages.models(app.env).items():
        for name in [model.name, *model.values.get("aliases", [])]:
            found.setdefault(name, docname)
    return found


def check(app: Sphinx, env) -> None:
    """env-check-consistency: plain mentions of catalogued models on topic pages."""
    known = names(app)
    pattern = name_pattern(known)
    if pattern is None:
        return
    data = store.get(env)
    incoming = store.links_between(app)
    for docname in store.topics(app):
        first: dict[str, tuple[int, str]] = {}
        for line, text in data.prose.get(docname, []):
            for match in pattern.finditer(text):
                target = known[" ".join(match.group(0).split())]
                if target not in first:
                    first[target] = (line + text.count("\n", 0, match.start()), match.group(0))
        lines = None
        for target, (line, mention) in sorted(first.items(), key=lambda kv: kv[1][0]):
            if docname in incoming.get(target, {}):
                continue
            if lines is None:
                lines = Path(env.doc2path(docname)).read_text(encoding="utf-8").splitlines()
            model = pages.models(env)[target]
            store.warn("catalogued model %r is mentioned in plain text but never linked on this page: make "
                       "its first mention {model}`%s` (or {model}`text <%s>`)",
                       (docname, lint._source_line(lines, line, mention)), "model-link", mention, model.id, model.id)


def setup(app: Sphinx) -> None:
    app.connect("env-check-consistency", check)
