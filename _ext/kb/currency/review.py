"""``make review``: what is due for review, with file and line (the ``kb-review`` builder).

Two kinds of item are due:

- a topic whose ``reviewed:`` date is more than ``kb_review_months`` (6) months old, or missing;
- an ``{as-of}`` statement (:mod:`kb.currency.asof`) whose date is more than ``kb_as_of_months`` (12)
  months old;
- an ``{as-of}`` statement whose recheck date (the day it is known to expire) has come.

The builder reads every page (nothing is written but the report) and prints one line per item,
``path:line: what is due``, so editors and terminals can jump to it; ``review.md`` in the output
folder holds the same list in Markdown, which the weekly workflow
(``.github/workflows/review.yml``) puts into one issue. Being due is information, never a build
failure: the strict HTML build does not look at the calendar. ``KB_TODAY=YYYY-MM-DD`` asks what
will be due on another day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.dummy import DummyBuilder

from .. import store
from . import asof, dates


def due_items(app: Sphinx) -> list[tuple[str, int, str]]:
    """(path, line, message) for everything due today, in file and line order."""
    env, today = app.env, dates.today()
    data = store.get(env)
    review_months, as_of_months = app.config.kb_review_months, app.config.kb_as_of_months

    def path(docname: str) -> str:
        return Path(env.doc2path(docname)).resolve().relative_to(Path(app.srcdir).resolve()).as_posix()

    items = []
    for docname, meta in data.topics.items():
        line = meta.key_lines.get("reviewed", 1)
        if not meta.reviewed:
            items.append((path(docname), line, "review due: the topic has no valid `reviewed:` date"))
            continue
        age = dates.months_between(dt.date.fromisoformat(meta.reviewed), today)
        if age >= review_months:
            items.append((path(docname), line, f"review due: last reviewed {meta.reviewed}, {age} months ago "
                          f"(topics are reviewed every {review_months} months)"))
    shown: dict[tuple[str, str], int] = {}  # (path, sentence) -> the line it was quoted for
    for docname, item in sorted(asof.all_dated(env), key=lambda found: (found[0], found[1].line)):
        age = dates.months_between(dates.period(item.date)[0], today)
        if item.recheck and dt.date.fromisoformat(item.recheck) <= today:
            what = f"recheck due since {item.recheck} (as-of {item.date})"
        elif age >= as_of_months:
            what = f"as-of {item.date} is {age} months old (check it every {as_of_months} months)"
        else:
            continue
        # a sentence with several due dates is quoted once, at its first one
        first = shown.setdefault((path(docname), item.sentence), item.line)
        quoted = item.sentence if first == item.line else f"in the sentence quoted at line {first}"
        items.append((path(docname), item.line, f"{what}: {quoted}"))
    return sorted(items)


def report(items: list[tuple[str, int, str]], today) -> str:
    """The list as Markdown, for the review issue."""
    if not items:
        return f"Nothing is due for review as of {today.isoformat()}.\n"
    lines = [f"As of {today.isoformat()}, {len(items)} item(s) are due for review (`make review` lists them).", ""]
    lines += [f"- [ ] `{path}:{line}`: {message}" for path, line, message in items]
    return "\n".join(lines) + "\n"


class ReviewBuilder(DummyBuilder):
    """Reads the site and reports what is due for review."""

    name = "kb-review"
    epilog = "The review list is in %(outdir)s/review.md."

    def finish(self) -> None:
        items = due_items(self.app)
        for path, line, message in items:
            print(f"{path}:{line}: {message}")
        today = dates.today()
        print(f"{len(items)} item(s) due for review as of {today.isoformat()}.")
        Path(self.outdir).mkdir(parents=True, exist_ok=True)
        (Path(self.outdir) / "review.md").write_text(report(items, today), encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_review_months", 6, "env", types=[int])
    app.add_builder(ReviewBuilder)
