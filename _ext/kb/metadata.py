"""Topic metadata: front matter checks, meta tags, and each topic's tag line.

Topic pages are the documents whose name starts with ``kb_topic_prefix`` (``topics/``). Each has
front matter with ``summary`` (one plain sentence, at most 160 characters), ``tags`` (from
``kb_tags`` in conf.py, the one place the allowed tags are kept) and ``related`` (other topic
file names without folder and suffix) and ``reviewed`` (YYYY-MM-DD, the day the page's last full
review was finished, not in the future; shown under the title by :mod:`kb.currency.dates`).

- ``doctree-read``: reads the front matter from the source file (with YAML line numbers, so every
  warning names the file *and* line), warns about a missing, empty or too long summary, missing
  and unknown tags, and stores a :class:`~kb.store.TopicMeta` in ``env.kb_data.topics``.
  Whether ``related`` entries exist is checked once all pages are read (see :mod:`kb.lint`).
- ``doctree-resolved``: puts a line of tag links under each topic's title.
- ``html-page-context``: the summary becomes ``<meta name="description">`` and
  ``og:description``; every page gets ``og:title``, ``og:type`` and ``og:site_name`` (and
  ``og:url`` when ``html_baseurl`` is set). Done here rather than with sphinxext-opengraph, which
  warns on every build unless social cards are configured and would still need our summaries.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from . import data, store
from .currency import dates

SUMMARY_MAX = 160
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(\n|\Z)", re.DOTALL)


# The front matter keys this knowledge base documents (CONTRIBUTING.md). Anything else, MyST's own
# page configuration included (``html_meta`` would become <meta http-equiv>, ``myst`` changes how
# the page is parsed), is refused.
FRONT_MATTER_KEYS = ("summary", "tags", "related", "reviewed")
FRONT_MATTER_MAX = 8 * 1024


def _front_matter_values(body: str) -> tuple[dict, dict]:
    """(values, lines within ``body``) by the hardened loader; DataError if refused."""
    if len(body.encode("utf-8", "surrogatepass")) > FRONT_MATTER_MAX:
        raise data.DataError(f"the front matter is over the limit of {FRONT_MATTER_MAX:,} bytes", 1)
    values, lines = data.loads(body)
    if values is None:
        return {}, {}
    if not isinstance(values, dict):
        raise data.DataError("front matter is a mapping of keys (`summary: ...`)", 1)
    return values, lines


def parse_front_matter(path: Path) -> tuple[dict | None, dict[str, int], dict[str, list[int]]]:
    """(values, line of each key, lines of each list item); lines are 1-based file lines. Values
    are None when the front matter was refused (:func:`check_front_matter` said why, with the
    line), so nothing else is reported as a consequence."""
    try:
        text = data.read_text(path)
        match = FRONT_MATTER.match(text)
        if not match:
            return {}, {}, {}
        values, lines = _front_matter_values(match.group(1))
    except data.DataError:
        return None, {}, {}
    values = {k: v for k, v in values.items() if k in FRONT_MATTER_KEYS}
    key_lines = {key: lines[(key,)] + 1 for key in values}  # the YAML starts on line 2
    item_lines = {key: [lines[(key, i)] + 1 for i in range(len(value))]
                  for key, value in values.items() if isinstance(value, list)}
    return values, key_lines, item_lines


def check_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    """source-read: refuse, with the line, front matter the hardened loader refuses and keys we do
    not document; then hide the front matter from MyST, which would otherwise parse it again with
    a loader that expands aliases and turn ``html_meta`` into meta tags. This module reads it
    itself (:func:`parse_front_matter`), so nothing is lost; the lines stay, blank, so every
    later warning keeps its line."""
    text = source[0]
    match = FRONT_MATTER.match(text)
    if not match:
        return
    try:
        values, lines = _front_matter_values(match.group(1))
    except data.DataError as error:
        store.warn("front matter refused: %s", (docname, error.line + 1), "front-matter", str(error))
        values, lines = {}, {}
    known = {k: v for k, v in values.items() if k in FRONT_MATTER_KEYS}
    for line, message in data.text_problems(known, lines):
        store.warn("front matter refused: %s", (docname, line + 1), "front-matter", message)
    for key in values:
        if key not in FRONT_MATTER_KEYS:
            store.warn("front matter key %r is not allowed: only %s are (see CONTRIBUTING.md); MyST's page "
                       "settings such as html_meta are refused", (docname, lines.get((key,), 1) + 1), "front-matter",
                       str(key), ", ".join(FRONT_MATTER_KEYS))
    source[0] = "\n" * match.group(0).count("\n") + text[match.end():]


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [str(v).strip() for v in value]
    return [str(value)]


def read_topic(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: check and store a topic page's front matter."""
    env = app.env
    docname = env.docname
    if not store.is_topic(app, docname):
        return
    path = Path(env.doc2path(docname))
    values, key_lines, item_lines = parse_front_matter(path)
    meta = store.TopicMeta(key_lines=key_lines)
    section = next(iter(doctree.findall(nodes.section)), None)
    meta.title_line = (section.line if section is not None and section.line else None) or 1
    if values is None:  # refused, with its line: a summary, tags or date it has cannot be read
        store.get(env).topics[docname] = meta
        return

    summary = values.get("summary")
    line = key_lines.get("summary", 1)
    if summary is None or (isinstance(summary, str) and not summary.strip()):
        store.warn(
            "topic page has %s summary: add `summary:` to its front matter, one plain sentence of "
            "at most %d characters (it becomes the page's description in search engines and previews)",
            (docname, line),
            "summary",
            "an empty" if "summary" in values else "no",
            SUMMARY_MAX,
        )
    elif not isinstance(summary, str):
        store.warn("`summary:` must be one plain sentence, not a list or mapping", (docname, line), "summary")
    else:
        meta.summary = " ".join(summary.split())
        if len(meta.summary) > SUMMARY_MAX:
            store.warn(
                "summary is %d characters long; the limit is %d (it becomes the meta description): shorten it",
                (docname, line),
                "summary",
                len(meta.summary),
                SUMMARY_MAX,
            )

    meta.tags = _as_list(values.get("tags"))
    meta.tag_lines = item_lines.get("tags") or [key_lines.get("tags", 1)] * len(meta.tags)
    allowed = app.config.kb_tags
    if not meta.tags:
        store.warn(
            "topic page has no tags: add `tags: [...]` with one or more of: %s",
            (docname, key_lines.get("tags", 1)),
            "tags",
            ", ".join(allowed),
        )
    for tag, tag_line in zip(meta.tags, meta.tag_lines, strict=False):
        if tag not in allowed:
            store.warn(
                "unknown tag %r: use one of %s (the list is kb_tags in conf.py)",
                (docname, tag_line),
                "tags",
                tag,
                ", ".join(allowed),
            )
    known = [(t, n) for t, n in zip(meta.tags, meta.tag_lines, strict=False) if t in allowed]
    meta.tags, meta.tag_lines = [t for t, _ in known], [n for _, n in known]

    if values.get("reviewed") is None:
        store.warn(
            "topic page has no review date: add `reviewed: YYYY-MM-DD` to its front matter, the day "
            "its last full review for accuracy and currency was finished (see the style guide)",
            (docname, key_lines.get("reviewed", 1)),
            "reviewed",
        )
    else:
        meta.reviewed, problem = dates.reviewed_date(values["reviewed"])
        if problem:
            store.warn(problem, (docname, key_lines.get("reviewed", 1)), "reviewed")

    meta.related = _as_list(values.get("related"))
    meta.related_lines = item_lines.get("related") or [key_lines.get("related", 1)] * len(meta.related)
    store.get(env).topics[docname] = meta


def tag_line(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: a line of tag links right under a topic's title."""
    meta = store.get(app.env).topics.get(docname)
    if meta is None or not meta.tags:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not isinstance(section[0], nodes.title):
        return
    para = nodes.paragraph(classes=["kb-tags", "no-search"])
    para += nodes.Text("Tags: ")
    for i, tag in enumerate(meta.tags):
        if i:
            para += nodes.Text(" · ")
        link = store.make_link(app, docname, f"{app.config.kb_tag_pages}/{tag}", tag)
        link["classes"].append("kb-tag")
        link["reftitle"] = app.config.kb_tags.get(tag, "")
        para += link
    section.insert(1, para)


def meta_tags(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: description and Open Graph tags."""
    env = app.env
    meta = store.get(env).topics.get(pagename)
    description = meta.summary if meta else context.get("kb_description", "")
    if pagename in env.all_docs:
        page_title = store.title(env, pagename)
    else:
        page_title = re.sub(r"<[^>]+>", "", context.get("title", "") or "")
    tags = []
    if description:
        tags.append(("name", "description", description))
        tags.append(("property", "og:description", description))
    if page_title:
        tags.append(("property", "og:title", html.unescape(page_title)))
    tags.append(("property", "og:type", "article" if meta else "website"))
    site = app.config.html_title or app.config.project
    if site:
        tags.append(("property", "og:site_name", site))
    if app.config.html_baseurl:
        url = app.config.html_baseurl.rstrip("/") + "/" + app.builder.get_target_uri(pagename)
        tags.append(("property", "og:url", url))
    extra = "".join(f'\n    <meta {attr}="{name}" content="{html.escape(value)}">' for attr, name, value in tags)
    context["metatags"] = context.get("metatags", "") + extra


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_tags", {}, "env", types=[dict])
    app.connect("source-read", check_front_matter, priority=100)
    # before kb.backlinks adds the closing sections (450) from the stored front matter
    app.connect("doctree-read", read_topic, priority=400)
    app.connect("doctree-resolved", tag_line, priority=450)
    app.connect("html-page-context", meta_tags)
