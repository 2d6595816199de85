"""A page the build refused is never shown as if it were accepted.

The strict build (``make html``: ``-W --keep-going``) fails on any warning but still writes every
page, and ``make serve`` previews pages without failing at all. So a page whose reading raised a
warning of ours (``type="kb"``: a refused include, front matter, data file, link, markup...) is
written without its content: the page shows what was refused, with file and line, in place of
the body, and none of its own meta tags. Whatever a hostile edit smuggled into the page's body or
head is then not in the output, in a failed build's folder or in a preview.

A logging handler on Sphinx's logger records, per page, the warnings raised while that page is
read (``env.temp_data["docname"]``); the record is kept in the environment (:class:`kb.store.KBData`,
``refusals``), dropped when the page is read again, and merged back from parallel readers.
"""

from __future__ import annotations

import logging
from html import escape

from sphinx.application import Sphinx
from sphinx.util.logging import NAMESPACE

from . import store


class Recorder(logging.Handler):
    def __init__(self, app: Sphinx):
        super().__init__(logging.WARNING)
        self.app = app

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "type", None) != "kb" or record.levelno < logging.WARNING:
            return
        env = getattr(self.app, "env", None)
        docname = env.temp_data.get("docname") if env is not None else None
        if not docname:
            return
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        found = store.get(env).refusals.setdefault(docname, [])
        if message not in found:
            found.append(message)


def install(app: Sphinx) -> None:
    logger = logging.getLogger(NAMESPACE)
    if not any(isinstance(h, Recorder) and h.app is app for h in logger.handlers):
        logger.addHandler(Recorder(app))


def withhold(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context, last: a refused page's body becomes the list of what was refused."""
    refused = store.get(app.env).refusals.get(pagename)
    if not refused:
        return
    path = app.env.doc2path(pagename)
    items = "".join(f"<li>{escape(message)}</li>" for message in refused)
    context["body"] = (
        '<section id="refused"><h1>This page was refused by the build</h1>'
        f"<p>The build found problems in <code>{escape(str(path))}</code> and does not show its content "
        f"until they are fixed:</p><ul>{items}</ul></section>")
    context["metatags"] = ""


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", install)
    app.connect("html-page-context", withhold, priority=990)
