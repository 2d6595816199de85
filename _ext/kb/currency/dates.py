"""Dates a reader can trust: when each page last changed, when each topic was last reviewed.

- **Last changed** comes from git: sphinx-last-updated-by-git (loaded in conf.py) takes each
  page's date from the last commit that changed its source or a file it includes. This module
  makes sure that date cannot silently be wrong: a shallow clone (whose oldest commit would be
  taken for the last change of every older page) and a tree outside git are build warnings, and
  ``KB_PAGE_DATES=off`` is the documented way to build without dates (conf.py), never with the
  build date in their place.
- **Reviewed** is the ``reviewed:`` front-matter date of a topic (read and checked by
  :mod:`kb.metadata`): the day its last full review for accuracy and currency was finished.
- Under each topic's title a line shows both, with a link to the page's history in the
  repository (:mod:`kb.currency.repository`); the footer of every page shows the last change and the same
  link (``kb_history_url`` in the page template).

Also the date helpers the other currency modules share (:mod:`kb.currency.asof`, :mod:`kb.currency.review`,
:mod:`kb.currency.changes`): partial ISO dates (``2026``, ``2026-11``, ``2026-11-30``) and "today", which
``KB_TODAY`` overrides for tests and for asking what will be due later.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
import subprocess
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from .. import store
from . import repository

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
GIT_DATES = "sphinx_last_updated_by_git"


# -- Date helpers ---------------------------------------------------------------------------------


def today() -> dt.date:
    """The current date, or ``KB_TODAY`` (YYYY-MM-DD) where it is set."""
    override = os.environ.get("KB_TODAY", "").strip()
    return dt.date.fromisoformat(override) if override else dt.date.today()


def period(text: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of a partial ISO date (``2026``, ``2026-11``, ``2026-11-30``); None if invalid."""
    match = PARTIAL_DATE.match(text.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day is not None:
            start = dt.date(year, month, day)
            return start, start
        if month is not None:
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None


def spoken(text: str) -> str:
    """``2026-11`` -> "November 2026", ``2026-11-30`` -> "30 November 2026", ``2026`` -> "2026"."""
    parts = text.strip().split("-")
    if len(parts) == 1:
        return parts[0]
    month = calendar.month_name[int(parts[1])]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from ``earlier`` to ``later``."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (later.day < earlier.day)


def reviewed_date(value) -> tuple[str, str]:
    """(YYYY-MM-DD, "") for a valid ``reviewed:`` value, else ("", what is wrong)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    text = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    if not FULL_DATE.match(text) or period(text) is None:
        return "", f"`reviewed: {text}` is not a date: write the day as YYYY-MM-DD, e.g. `reviewed: 2026-12-01`"
    if dt.date.fromisoformat(text) > today():
        return "", f"`reviewed: {text}` lies in the future: give the day the review was finished"
    return text, ""


# -- Last change from git -------------------------------------------------------------------------


def _git(srcdir: str, *args: str) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(["git", *args], cwd=srcdir, capture_output=True, text=True, check=False)
    except OSError:
        return None


def configure_git_dates(app: Sphinx, config) -> None:
    """config-inited: what counts as a page's change.

    sphinx-last-updated-by-git also takes the dates of the files a page depends on. The kb
    extension makes every page depend on files that are not its content (the link allowlist,
    the pages manifest): a new domain would otherwise "change" every page. And a page that git
    does not know yet shows no date (and says so), instead of the date of such a file.
    """
    if GIT_DATES not in config.extensions:
        return
    config.git_exclude_patterns = [
        *config.git_exclude_patterns,
        *(name for name in (config.kb_link_allowlist, config.kb_pages_manifest) if name),
    ]
    config.git_untracked_check_dependencies = False


def check_history(app: Sphinx) -> None:
    """builder-inited: page dates need a git work tree with its full history."""
    if GIT_DATES not in app.extensions:
        return
    inside = _git(app.srcdir, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside.returncode != 0 or inside.stdout.strip() != "true":
        store.warn(
            "the sources are not in a git work tree, so no page can show when it last changed: build "
            "from a clone, or set KB_PAGE_DATES=off to build without page dates (see CONTRIBUTING.md)",
            None,
            "dates",
        )
        return
    shallow = _git(app.srcdir, "rev-parse", "--is-shallow-repository")
    if shallow is not None and shallow.stdout.strip() == "true":
        store.warn(
            "this is a shallow clone: its oldest commit would be taken for the last change of every "
            "page changed before it. Fetch the whole history (`git fetch --unshallow`; in GitHub "
            "Actions, actions/checkout with `fetch-depth: 0`) or set KB_PAGE_DATES=off",
            None,
            "dates",
        )


def refresh_after_commit(app: Sphinx, env, added, changed, removed) -> list[str]:
    """env-get-outdated: after a new commit, every page's date is looked up again.

    sphinx-last-updated-by-git asks git only about pages it reads again. A page edited, built and
    then committed is not read again, and would keep the date it had before the commit. When HEAD
    moved since the last build, every page's date is asked again (one ``git log`` for the site);
    the ``view`` below then rewrites just the pages whose date changed.
    """
    if GIT_DATES not in app.extensions:
        return []
    result = _git(app.srcdir, "rev-parse", "HEAD")
    head = result.stdout.strip() if result is not None and result.returncode == 0 else ""
    if getattr(env, "kb_git_head", None) != head:
        for docname in env.git_last_updated:
            env.git_last_updated[docname] = None
        env.kb_git_head = head
    return []


def view(app: Sphinx, docname: str):
    """What a page shows from git (kb.store rewrites the page when it changes)."""
    data = getattr(app.env, "git_last_updated", {}).get(docname)
    if not data:
        return None
    timestamp, show_source = data  # the timestamp is git's bytes, or None
    return [int(timestamp) if timestamp is not None else None, bool(show_source)]


def last_changed(app: Sphinx, docname: str) -> dt.datetime | None:
    """When the page's source (or a file it includes) last changed in git; None if unknown."""
    data = getattr(app.env, "git_last_updated", {}).get(docname)
    if not data or data[0] is None:
        return None
    return dt.datetime.fromtimestamp(int(data[0]), dt.UTC)


def history_url(app: Sphinx, docname: str) -> str:
    if not app.config.kb_repository_url or docname not in app.env.found_docs:
        return ""
    path = Path(app.env.doc2path(docname)).resolve().relative_to(Path(app.srcdir).resolve()).as_posix()
    return repository.history_url(app.config.kb_repository_url, app.config.kb_repository_branch, path)


def time_node(date: dt.date | str, text: str = "") -> nodes.inline:
    """A date in the text, as <time datetime=...> in HTML (see :func:`visit_time`): a ``date``, or
    a partial ISO date such as 2026-11, which HTML allows too. Shown as ``text``, by default the
    date in words (:func:`spoken`)."""
    iso = date if isinstance(date, str) else date.isoformat()
    text = text or spoken(iso)
    node = kb_time(text, text)
    node["datetime"] = iso
    return node


class kb_time(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils node naming)
    """A date in the text, written as <time datetime="..."> in HTML."""


def visit_time(self, node: kb_time) -> None:
    self.body.append(self.starttag(node, "time", "", datetime=node["datetime"]))


def depart_time(self, node: kb_time) -> None:
    self.body.append("</time>")


def dates_line(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: "Reviewed … · Last changed … · History" under a topic's title."""
    meta = store.get(app.env).topics.get(docname)
    if meta is None:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not isinstance(section[0], nodes.title):
        return
    para = nodes.paragraph(classes=["kb-dates", "no-search"])
    if meta.reviewed:
        reviewed = dt.date.fromisoformat(meta.reviewed)
        para += nodes.Text("Reviewed ")
        para += time_node(reviewed)
    if GIT_DATES in app.extensions:
        if len(para):
            para += nodes.Text(" · ")
        changed = last_changed(app, docname)
        if changed is not None:
            para += nodes.Text("Last changed ")
            para += time_node(changed.date())
        else:
            para += nodes.Text("Not yet in the repository's history")
    url = history_url(app, docname)
    if url:
        if len(para):
            para += nodes.Text(" · ")
        para += nodes.reference("", "History", refuri=url, classes=["kb-history"])
    if len(para):
        index = 2 if len(section) > 1 and "kb-tags" in section[1].get("classes", []) else 1
        section.insert(index, para)


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: the history link and the machine-readable date for the footer."""
    context["kb_history_url"] = history_url(app, pagename)
    changed = last_changed(app, pagename) if pagename in app.env.found_docs else None
    context["kb_last_changed_iso"] = changed.date().isoformat() if changed else ""


def setup(app: Sphinx) -> None:
    app.add_node(
        kb_time,
        html=(visit_time, depart_time),
        text=(lambda s, n: None, lambda s, n: None),
        latex=(lambda s, n: None, lambda s, n: None),
        llm_markdown=(lambda s, n: None, lambda s, n: None),  # the Markdown copies (kb.machine)
    )
    app.connect("config-inited", configure_git_dates, priority=900)
    app.connect("builder-inited", check_history)
    app.connect("env-get-outdated", refresh_after_commit)
    # kb.store compares views on env-updated, after sphinx-last-updated-by-git has set the dates
    # there (conf.py loads it before kb, so its handler runs first)
    store.register_view(view)
    # after kb.metadata's tag line (450), so the dates stand right below it
    app.connect("doctree-resolved", dates_line, priority=460)
    app.connect("html-page-context", page_context)
