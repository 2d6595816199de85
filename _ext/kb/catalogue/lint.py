"""The catalogue in the knowledge-base lint: models named in topics without a link.

A topic that names a catalogued model (its ``name`` or one of its ``aliases``, as written: model
names are proper nouns, so the match is case-sensitive) in paragraph text, but never links it
with ``{model}``, gets a warning at the line of the first plain mention, as for glossary terms
(:mod:`kb.lint`, whose paragraph text and line lookup this reuses, and whose way of keeping the
result per page between builds this follows). A name followed by a version
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


def first_mentions(env, pattern: re.Pattern, known: dict[str, str], docname: str) -> dict[str, tuple[int, str]]:
    """model docname -> (source line, words) of its first plain mention on the topic page."""
    first: dict[str, tuple[int, str]] = {}
    for line, text in store.get(env).prose.get(docname, []):
        for match in pattern.finditer(text):
            target = known[" ".join(match.group(0).split())]
            if target not in first:
                first[target] = (line + text.count("\n", 0, match.start()), match.group(0))
    if not first:
        return {}
    lines = Path(env.doc2path(docname)).read_text(encoding="utf-8").splitlines()
    return {target: (lint._source_line(lines, line, words), words) for target, (line, words) in first.items()}


def update_mentions(app: Sphinx, env) -> None:
    """env-updated: plain mentions of catalogued models, searched again only on the topic pages
    read again, or on all of them when the names changed (as kb.lint does for glossary terms:
    searching every page on every build cost 0.4 s an incremental build at +1,600 pages)."""
    data = store.get(env)
    known = names(app)
    names_id = store.digest(sorted(known.items()))
    stale = [d for d in store.topics(app) if data.model_mentions.get(d, ("", {}))[0] != names_id]
    if stale:
        pattern = name_pattern(known)
        for docname in stale:
            data.model_mentions[docname] = (names_id, first_mentions(env, pattern, known, docname) if pattern else {})


def check(app: Sphinx, env) -> None:
    """env-check-consistency: plain mentions of catalogued models on topic pages."""
    data = store.get(env)
    incoming = store.links_between(app)
    for docname in store.topics(app):
        found = data.model_mentions.get(docname, ("", {}))[1]
        for target, (line, mention) in sorted(found.items(), key=lambda kv: kv[1][0]):
            model = pages.models(env).get(target)
            if model is None or docname in incoming.get(target, {}):
                continue
            store.warn("catalogued model %r is mentioned in plain text but never linked on this page: make "
                       "its first mention {model}`%s` (or {model}`text <%s>`)",
                       (docname, line), "model-link", mention, model.id, model.id)


def setup(app: Sphinx) -> None:
    app.connect("env-updated", update_mentions)
    app.connect("env-check-consistency", check)
