"""Time-sensitive statements: the ``{as-of}`` role and the list of every dated statement.

A statement whose truth depends on when it was made ("the Act's high-risk rules apply from …",
"the hub holds two million models") carries the date it was last checked::

    {as-of}`2026-11`, the hub held ...        -> "As of November 2026, the hub held ..."
    ... rules apply from 2027 {as-of}`2026-11` -> "... rules apply from 2027 as of November 2026"
    {as-of}`at the end of 2025 <2025-12>`     -> custom words, the same date underneath
    {as-of}`2026-11; recheck 2026-12-02`      -> a statement that expires on a known day
    {as-of}`late 2026 <2026-11; recheck 2027-01-01>`

A statement that becomes wrong on a day already known ("applies from 2 December 2026", "the
consultation closes on ...") carries that day as its **recheck date**, like Wikipedia's
``{{Update after}}``. The recheck date must be a full ``YYYY-MM-DD`` after the as-of date; it is
checked for form only, never against today, so the strict build does not depend on the calendar.
``make review`` lists every statement whose recheck date has come.

The date is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and may not lie in the future; a bad one is a
build warning with file and line. Readers see the words in a ``<time datetime>`` element, so the
date is machine-readable too. "as of" is capitalized where it starts a sentence.

Like Wikipedia's ``{{As of}}`` template, which files each use under "Articles containing
potentially dated statements", every statement is collected with its sentence
(``env.kb_data.dated``): the ``kb-dated-statements`` directive lists them all, oldest first, on
one page, and ``make review`` (:mod:`kb.currency.review`) reports those older than ``kb_as_of_months``.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

from .. import backlinks, store
from . import dates

EXPLICIT = re.compile(r"^(?P<text>.+?)\s*<(?P<date>[^<>]+)>$", re.DOTALL)
RECHECK = re.compile(r"^(?P<date>[^;]*?)\s*;\s*recheck\b\s*(?P<recheck>\S*)\s*$")
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SENTENCE_START = re.compile(r"(^|[.!?][\"”’')\]]*\s+)$")


class as_of(dates.kb_time):  # noqa: N801 (docutils node naming)
    """An as-of date in the text (``date``: as written; ``explicit``: custom words)."""


def _source_line(env, rawtext: str, lineno: int) -> int:
    """The line the role stands on: MyST gives a role the line where its paragraph starts, so the
    role's text is looked up from there, after the place of an earlier role with the same text."""
    cache = env.temp_data.setdefault("kb_asof", {"lines": None, "found": {}})
    if cache["lines"] is None:
        try:
            cache["lines"] = Path(env.doc2path(env.docname)).read_text(encoding="utf-8").splitlines()
        except OSError:
            cache["lines"] = []
    lines = cache["lines"]
    # MyST hands the role its rST spelling (:as-of:`...`); the page has {as-of}`...`
    needle = re.sub(r"^:([\w-]+):", r"{\1}", rawtext.splitlines()[0]) if rawtext else ""
    if not needle:
        return lineno
    line, column = cache["found"].get(needle, (lineno, -1))
    if line < lineno:
        line, column = lineno, -1
    for number in range(line, len(lines) + 1):
        found = lines[number - 1].find(needle, column + 1 if number == line else 0)
        if found >= 0:
            cache["found"][needle] = (number, found)
            return number
    return lineno


def as_of_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    lineno = _source_line(env, rawtext, lineno)
    match = EXPLICIT.match(text.strip())
    words, date = (match["text"].strip(), match["date"].strip()) if match else ("", text.strip())
    recheck = None
    if (due := RECHECK.match(date)) is not None:
        date, recheck = due["date"].strip(), due["recheck"]
    span = dates.period(date)
    if span is None:
        store.warn(
            "{as-of} needs a date as YYYY, YYYY-MM or YYYY-MM-DD, not %r: write {as-of}`2026-11` or "
            "{as-of}`late 2026 <2026-11>`",
            (env.docname, lineno),
            "as-of",
            date,
        )
        return [nodes.Text(words or text)], []
    if span[0] > dates.today():
        store.warn(
            "{as-of}`%s` lies in the future: give the date the statement was last checked",
            (env.docname, lineno),
            "as-of",
            date,
        )
    if recheck is not None:
        until = dates.period(recheck) if FULL_DATE.match(recheck) else None
        if until is None or until[0] <= span[1]:
            store.warn(
                "{as-of} recheck date %r must be a YYYY-MM-DD after the as-of date %s: write "
                "{as-of}`2026-11; recheck 2026-12-02`",
                (env.docname, lineno),
                "as-of",
                recheck,
                date,
            )
            recheck = ""
    shown = words or f"as of {dates.spoken(date)}"
    node = as_of(rawtext, shown, classes=["kb-as-of"], date=date, explicit=bool(words), recheck=recheck or "")
    node["datetime"] = date
    node["kb_line"] = lineno  # MyST sets node.line to the paragraph's line afterwards
    return [node], []


def _text_before(paragraph: nodes.Element, target: nodes.Node) -> str:
    parts = []
    for node in paragraph.findall(nodes.Text):
        if any(a is target for a in backlinks._ancestors(node)):
            break
        parts.append(str(node))
    return "".join(parts)


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: capitalize sentence-initial "as of", and store every dated statement."""
    found = []
    for number, node in enumerate(doctree.findall(as_of), start=1):
        anchor = f"as-of-{number}"
        node["ids"].append(anchor)
        paragraph = node.parent
        while isinstance(paragraph, nodes.Inline):
            paragraph = paragraph.parent
        if not node["explicit"] and SENTENCE_START.search(_text_before(paragraph, node)):
            text = node.astext()
            node[0] = nodes.Text(text[:1].upper() + text[1:])
        sentence, _start, _end = backlinks.sentence_around(paragraph, node)
        line = node.get("kb_line") or paragraph.line or 1
        found.append(store.Dated(date=node["date"], line=line, sentence=sentence, anchor=anchor,
                                 recheck=node.get("recheck", "")))
    if found:
        store.get(app.env).dated[app.env.docname] = found


def all_dated(env) -> list[tuple[str, store.Dated]]:
    """Every dated statement of the site, oldest first (then in page order)."""
    order = store.doc_order(env)
    items = [(docname, d) for docname, found in store.get(env).dated.items() for d in found]
    return sorted(items, key=lambda item: (dates.period(item[1].date)[0], order.get(item[0], 0), item[1].line))


class DatedStatementsDirective(Directive):
    """``kb-dated-statements``: every as-of statement, oldest first, linked to its page."""

    def run(self):
        return [store.placeholder(kind="dated-statements")]


def render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: fill in the list."""
    for holder in store.find_placeholders(doctree, "dated-statements"):
        items = all_dated(app.env)
        if not items:
            holder.replace_self(nodes.paragraph(text="No page has a dated statement."))
            continue
        table = nodes.bullet_list(classes=["kb-dated-statements"])
        for source, item in items:
            entry = nodes.list_item()
            para = nodes.paragraph()
            para += dates.time_node(item.date)
            para += nodes.Text(" · ")
            para += store.make_link(app, docname, source, store.title(app.env, source), item.anchor)
            para += nodes.Text(": " + item.sentence)
            if item.recheck:
                para += nodes.Text(" (to be rechecked on ")
                para += dates.time_node(item.recheck)
                para += nodes.Text(")")
            entry += para
            table += entry
        holder.replace_self(table)


def view(app: Sphinx, docname: str):
    """What a page with the list shows from other pages (kb.store rewrites it when it changes)."""
    if "dated-statements" not in store.get(app.env).features.get(docname, []):
        return None
    return [(d, item.date, item.sentence, item.anchor, item.recheck, store.title(app.env, d))
            for d, item in all_dated(app.env)]


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_as_of_months", 12, "env", types=[int])
    app.add_node(as_of, html=(dates.visit_time, dates.depart_time),
                 text=(lambda s, n: None, lambda s, n: None), latex=(lambda s, n: None, lambda s, n: None),
                 llm_markdown=(lambda s, n: None, lambda s, n: None))
    app.add_role("as-of", as_of_role)
    app.add_directive("kb-dated-statements", DatedStatementsDirective)
    app.connect("doctree-read", collect, priority=420)
    app.connect("doctree-resolved", render)
    store.register_view(view)
