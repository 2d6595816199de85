"""Knowledge-base lint: checks across pages, run once all pages are read.

On ``doctree-read`` a topic page's paragraph text is stored (``env.kb_data.prose``: line and
text of each paragraph, with headings, code, link text and the "Sources" section left out). On
``env-check-consistency`` — after every build that read something, over the whole site, so an
incremental build reports what a clean build reports — these are build warnings with file and
line (type ``kb``):

- ``related``: a ``related:`` entry names no existing topic, or the page itself;
- ``unused-term``: a glossary term no ``{term}`` reference points at, anywhere;
- ``orphan``: a topic no other topic links to in its text;
- ``term-link``: a topic mentions a glossary term (whole word, any case, or its plural) in
  paragraph text but never links it; the warning gives the line of the first plain mention.

Finding plain mentions is the costly check (one large pattern over every paragraph), so its result
is kept per page (``env.kb_data.mentions``) with a fingerprint of the glossary it was computed
against; on ``env-updated`` (before the environment is saved) only pages read again, or all of
them when the glossary's terms changed, are searched again.

A ``related:`` entry that the other topic does not list back ("one-way see also") is common and
fine, so it is an informational line by default; ``kb_warn_one_way_related = True`` makes it a
warning (subtype ``one-way-related``).
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from . import glossary, store
from .sources import in_sources_section

logger = logging.getLogger(__name__)

# Inline content whose words are not "plain text": links, code, maths, markup that is not prose.
SKIP_INLINE = (
    nodes.reference,
    addnodes.pending_xref,
    addnodes.download_reference,
    nodes.literal,
    nodes.math,
    nodes.raw,
    nodes.footnote_reference,
    nodes.citation_reference,
    nodes.substitution_reference,
    nodes.target,
    nodes.image,
    nodes.problematic,
    nodes.system_message,
)


def _masked_text(node: nodes.Node) -> str:
    """The node's text with skipped inline content blanked out (line breaks kept)."""
    if isinstance(node, nodes.Text):
        return str(node)
    if isinstance(node, SKIP_INLINE):
        return " " + "\n" * node.astext().count("\n") + " "
    return "".join(_masked_text(child) for child in node.children)


def collect_prose(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: the plain paragraph text of a topic page, with lines."""
    env = app.env
    if not store.is_topic(app, env.docname):
        return
    prose = []
    for para in doctree.findall(nodes.paragraph):
        if in_sources_section(para) or any(isinstance(a, store.placeholder) for a in _lineage(para)):
            continue
        text = _masked_text(para)
        if text.strip():
            prose.append((para.line or 0, text))
    store.get(env).prose[env.docname] = prose


def _lineage(node):
    while node is not None:
        yield node
        node = node.parent


# -- term mentions ---------------------------------------------------------------------------------

PREPOSITIONS = (" of ", " to ", " for ", " in ", " on ")


def _plural(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def forms(name: str) -> set[str]:
    """The term and its plural (for "barrier to entry": "barriers to entry")."""
    name = " ".join(name.split()).lower()
    result = {name, _plural(name)}
    for prep in PREPOSITIONS:
        if prep in name:
            head, rest = name.split(prep, 1)
            result.add(_plural(head) + prep + rest)
    return result


def mention_pattern(keys: list[str]) -> tuple[re.Pattern, dict[str, str]]:
    """One regex for all terms (longest first, so "open source AI definition" wins over
    "open source AI"), and a map from each matched form to its term key."""
    form_to_key = {}
    for key in keys:
        for form in forms(key):
            form_to_key.setdefault(form, key)
    alternatives = sorted(form_to_key, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, form.split(" "))) for form in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE), form_to_key


def _source_line(lines: list[str], line: int, mention: str) -> int:
    """The line of ``mention`` at or after ``line``. MyST gives every paragraph of a table the
    table's first line, so when the line computed from the paragraph does not hold the mention's
    first word, the mention is looked up in the lines that follow."""
    words = mention.split()
    first = re.compile(rf"(?<![\w-]){re.escape(words[0])}", re.IGNORECASE)
    if 0 < line <= len(lines) and first.search(lines[line - 1]):
        return line
    whole = re.compile(r"\s+".join(map(re.escape, words)), re.IGNORECASE)
    for number in range(max(line, 1), min(len(lines), line + 500) + 1):
        if whole.search(lines[number - 1]):
            return number
    return line


def plain_mentions(env: BuildEnvironment, pattern: re.Pattern, form_to_key: dict, docname: str) -> dict[str, int]:
    """term key -> line of its first plain mention on the page."""
    found: dict[str, int] = {}
    lines: list[str] | None = None
    for line, text in store.get(env).prose.get(docname, []):
        for match in pattern.finditer(text):
            key = form_to_key.get(" ".join(match.group(0).split()).lower())
            if key and key not in found:
                if lines is None:
                    lines = Path(env.doc2path(docname)).read_text(encoding="utf-8").splitlines()
                found[key] = _source_line(lines, line + text.count("\n", 0, match.start()), match.group(0))
    return found


# -- the checks ------------------------------------------------------------------------------------


def check_related(app: Sphinx) -> None:
    data = store.get(app.env)
    prefix = app.config.kb_topic_prefix
    for docname in sorted(data.topics):
        meta = data.topics[docname]
        for name, line in zip(meta.related, meta.related_lines, strict=False):
            target = prefix + name
            if target == docname:
                store.warn("`related:` lists the page itself (%r): remove it", (docname, line), "related", name)
            elif target not in data.topics:
                store.warn(
                    "`related:` names %r, but there is no topic page %s.md: use a file name from %s "
                    "without folder and .md (e.g. %r)",
                    (docname, line),
                    "related",
                    name,
                    target,
                    prefix,
                    next((store.topic_name(app, d) for d in sorted(data.topics) if d != docname), "licences"),
                )
            elif store.topic_name(app, docname) not in data.topics[target].related:
                message = "`related:` names %r, which does not list this page back (one-way see also)"
                args = (name,)
                if app.config.kb_warn_one_way_related:
                    store.warn(message, (docname, line), "one-way-related", *args)
                else:
                    logger.info("%s:%d: " + message, app.env.doc2path(docname), line, *args)


def check_unused_terms(app: Sphinx) -> None:
    used = {key for uses in store.get(app.env).term_uses.values() for key in uses}
    for key, (docname, term) in sorted(glossary.all_terms(app).items(), key=lambda kv: (kv[1][0], kv[1][1].line)):
        if key not in used:
            store.warn(
                "glossary term %r is defined but never used: link it from a page with {term}`%s` "
                "or remove the entry",
                (docname, term.line),
                "unused-term",
                term.name,
                term.name,
            )


def check_orphans(app: Sphinx) -> None:
    data = store.get(app.env)
    incoming = store.links_between(app)
    for docname in store.topics(app):
        from_topics = [s for s in incoming.get(docname, {}) if s in data.topics]
        if not from_topics:
            store.warn(
                "no other topic links to this topic: link it from the text of a related topic page",
                (docname, data.topics[docname].title_line),
                "orphan",
            )


def update_mentions(app: Sphinx, env: BuildEnvironment) -> None:
    """env-updated: plain mentions of glossary terms on the topic pages that need them again."""
    data = store.get(env)
    terms = glossary.all_terms(app)
    glossary_id = store.digest(sorted(terms))
    stale = [d for d in store.topics(app) if data.mentions.get(d, ("", {}))[0] != glossary_id]
    if stale:
        pattern, form_to_key = mention_pattern(sorted(terms)) if terms else (None, {})
        for docname in stale:
            found = plain_mentions(env, pattern, form_to_key, docname) if pattern else {}
            data.mentions[docname] = (glossary_id, found)


def check_term_links(app: Sphinx) -> None:
    env = app.env
    data = store.get(env)
    terms = glossary.all_terms(app)
    for docname in store.topics(app):
        linked = set(data.term_uses.get(docname, {}))
        found = data.mentions.get(docname, ("", {}))[1]
        for key, line in sorted(found.items(), key=lambda kv: kv[1]):
            if key in linked or key not in terms:
                continue
            name = terms[key][1].name
            store.warn(
                "glossary term %r is mentioned in plain text but never linked on this page: make its "
                "first mention {term}`%s` (or {term}`text <%s>`)",
                (docname, line),
                "term-link",
                name,
                name,
                name,
            )


def check(app: Sphinx, env: BuildEnvironment) -> None:
    """env-check-consistency: all cross-page checks."""
    check_related(app)
    check_unused_terms(app)
    check_orphans(app)
    check_term_links(app)


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_warn_one_way_related", False, "env", types=[bool])
    app.connect("doctree-read", collect_prose)
    app.connect("env-updated", update_mentions)
    app.connect("env-check-consistency", check)
