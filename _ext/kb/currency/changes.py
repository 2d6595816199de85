"""What changed, for returning readers: the What's new page and its Atom feed.

Each change a reader should know about is one small YAML file in ``changes/`` (config
``kb_changes_dir``), written by the contributor in the pull request that makes the change::

    date: 2026-12-01
    pages: [topics/industry-disruption]
    text: Meta's 2026 turn to a proprietary model, and what Epoch's two measures of the gap say.

One file per change, so two pull requests never edit the same lines. Each file is checked against
``schemas/change.schema.json`` (:mod:`kb.data`); a date in the future and a page that does not exist
are warnings too, all with file and line.

- ``kb-changes`` directive: the list, newest first, each with its date, the pages it changed
  (linked) and its text, plus the link to the feed. The page holding it depends on every change
  file, and is read again when a file is added or removed (``env-get-outdated``).
- The Atom feed (``whats-new.atom``, RFC 4287) is written with feedgen from the same entries, with
  ids and dates that depend only on the files, so two builds of one commit are identical. Every
  page announces it with ``<link rel="alternate" type="application/atom+xml">``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.util import logging

from .. import data, store
from . import dates

logger = logging.getLogger(__name__)
FEED = "whats-new.atom"


@dataclass(frozen=True)
class Change:
    slug: str  # the file's name without .yml: the entry's stable id
    date: str
    pages: tuple[str, ...]
    text: str
    path: str  # the file, relative to the source folder
    pages_line: int


def _warn(path: str, line: int, message: str) -> None:
    logger.warning(message, location=f"{path}:{line}", type="kb", subtype="changes")


def change_files(app: Sphinx) -> list[Path]:
    folder = Path(app.srcdir, app.config.kb_changes_dir)
    return sorted(folder.glob("*.yml")) if folder.is_dir() else []


def read_changes(app: Sphinx) -> list[Change]:
    """Every valid change file, newest first; problems are warned about with file and line."""
    changes = []
    for path in change_files(app):
        relative = path.relative_to(app.srcdir).as_posix()
        try:
            value, lines = data.load(path)
        except data.DataError as error:
            _warn(relative, error.line, str(error))
            continue
        found = data.problems(value, lines, "change.schema.json")
        for line, message in found:
            _warn(relative, line, message)
        if found:
            continue
        if dt.date.fromisoformat(value["date"]) > dates.today():
            _warn(relative, lines[("date",)], f"date {value['date']} lies in the future: give the day of the change")
            continue
        changes.append(Change(path.stem, value["date"], tuple(value["pages"]), " ".join(value["text"].split()),
                              relative, lines[("pages",)]))
    return sorted(changes, key=lambda c: (c.date, c.slug), reverse=True)


class ChangesDirective(Directive):
    """``kb-changes``: the list of changes (filled in on doctree-resolved)."""

    def run(self):
        env = self.state.document.settings.env
        for path in change_files(env.app):
            env.note_dependency(str(path))
        store.get(env).changes[env.docname] = read_changes(env.app)
        return [store.placeholder(kind="changes")]


def outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """env-get-outdated: a change file added or removed means reading the page with the list again."""
    names = [p.name for p in change_files(app)]
    if getattr(env, "kb_change_files", None) == names:
        return []
    env.kb_change_files = names
    return [d for d in store.get(env).changes if d in env.found_docs]


def check_pages(app: Sphinx, env) -> None:
    """env-check-consistency: every page a change names exists."""
    for changes in store.get(env).changes.values():
        for change in changes:
            for page in change.pages:
                if page not in env.found_docs:
                    _warn(change.path, change.pages_line,
                          f"no page {page!r}: name pages by path without .md, e.g. topics/regulation or glossary")


def all_changes(env) -> list[Change]:
    items = [c for found in store.get(env).changes.values() for c in found]
    return sorted(set(items), key=lambda c: (c.date, c.slug), reverse=True)


def render(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for holder in store.find_placeholders(doctree, "changes"):
        changes = all_changes(app.env)
        result = []
        if app.builder.format == "html":
            feed = nodes.paragraph(classes=["kb-feed"])
            feed += nodes.Text("Follow these changes in a feed reader: ")
            feed += nodes.reference("", "the Atom feed", refuri="../" * docname.count("/") + FEED, internal=True)
            feed += nodes.Text(".")
            result.append(feed)
        listing = nodes.bullet_list(classes=["kb-changes"])
        for change in changes:
            para = nodes.paragraph()
            para += dates.time_node(change.date)
            para += nodes.Text(" · ")
            for i, page in enumerate(p for p in change.pages if p in app.env.found_docs):
                if i:
                    para += nodes.Text(", ")
                para += store.make_link(app, docname, page, store.title(app.env, page))
            para += nodes.Text(": " + change.text)
            item = nodes.list_item(ids=[f"change-{change.slug}"])
            item += para
            listing += item
        result.append(listing if changes else nodes.paragraph(text="No changes have been recorded yet."))
        holder.replace_self(result)


def view(app: Sphinx, docname: str):
    if "changes" not in store.get(app.env).features.get(docname, []):
        return None
    return [(c, [store.title(app.env, p) for p in c.pages]) for c in all_changes(app.env)]


def _page_url(app: Sphinx, docname: str) -> str:
    return app.config.html_baseurl.rstrip("/") + "/" + app.builder.get_target_uri(docname)


def write_feed(app: Sphinx, exception) -> None:
    """build-finished: the Atom feed of the changes, when a page lists them."""
    if exception is not None or app.builder.format != "html" or not store.get(app.env).changes:
        return
    from feedgen.feed import FeedGenerator  # noqa: PLC0415 (only HTML builds need it)

    env = app.env
    page = next(iter(sorted(store.get(env).changes)))
    changes = all_changes(env)
    base = app.config.html_baseurl.rstrip("/") + "/"
    feed = FeedGenerator()
    feed.id(_page_url(app, page))
    feed.title(f"{app.config.project}: what's new")
    feed.author({"name": app.config.author})
    feed.link(href=_page_url(app, page), rel="alternate", type="text/html")
    feed.link(href=base + FEED, rel="self", type="application/atom+xml")
    feed.language(app.config.language or "en")
    feed.rights("Content licensed under CC BY 4.0")
    newest = changes[0].date if changes else "2000-01-01"
    feed.updated(dt.datetime.fromisoformat(newest).replace(tzinfo=dt.UTC))
    for change in changes:
        entry = feed.add_entry(order="append")
        entry.id(f"{_page_url(app, page)}#change-{change.slug}")
        titles = [store.title(env, p) for p in change.pages if p in env.found_docs]
        entry.title(" · ".join(titles) or "Update")
        stamp = dt.datetime.fromisoformat(change.date).replace(tzinfo=dt.UTC)
        entry.updated(stamp)
        entry.published(stamp)
        for p in change.pages:
            if p in env.found_docs:
                entry.link(href=_page_url(app, p), rel="alternate", type="text/html")
                break
        entry.summary(change.text)
    feed.atom_file(str(Path(app.outdir, FEED)), pretty=True)


def announce(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: every page links the feed in its head."""
    if not store.get(app.env).changes:
        return
    href = context["pathto"](FEED, 1)
    context["metatags"] = context.get("metatags", "") + (
        f'\n    <link rel="alternate" type="application/atom+xml" title="What\'s new" href="{href}">'
    )


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_changes_dir", "changes", "env", types=[str])
    app.add_directive("kb-changes", ChangesDirective)
    app.connect("env-get-outdated", outdated)
    app.connect("env-check-consistency", check_pages)
    app.connect("doctree-resolved", render)
    app.connect("html-page-context", announce)
    app.connect("build-finished", write_feed)
    store.register_view(view)
