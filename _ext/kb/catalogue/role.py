"""``{model}``: a link from prose to a catalogue entry, with the same preview terms have.

``{model}`llama-2``` shows the entry's name; ``{model}`Meta's 2023 model <llama-2>``` shows the
words given. The link is a reference to the entry's page, so the backlinks module records it with
its sentence ("Mentioned in" on the model page) and the previews module shows the entry's verdict
on hover and focus. An id with no entry is a warning with file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

from .. import data, store
from . import pages

EXPLICIT = re.compile(r"^(?P<text>.+?)\s*<(?P<id>[^<>]+)>$", re.DOTALL)


def model_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    match = EXPLICIT.match(text.strip())
    words, ident = (match["text"], match["id"].strip()) if match else ("", text.strip())
    # an id, never a path: checked before any file named by it is touched
    if not data.is_id(ident) or not data.regular_file(Path(env.srcdir, pages.PREFIX, ident + ".yml"), env.srcdir):
        store.warn("{model} %r names no catalogue entry: use the id of a file in models/ (the file name "
                   "without .yml)", (env.docname, lineno), "model", ident)
        return [nodes.Text(words or ident)], []
    shown = words or _name(env, ident)
    xref = addnodes.pending_xref(rawtext, nodes.inline(shown, shown, classes=["kb-model-ref"]), refdomain="std",
                                 reftype="doc", reftarget="/" + pages.PREFIX + ident, refexplicit=True,
                                 refwarn=True, refdoc=env.docname)
    xref.line = lineno
    return [xref], []


def _name(env, ident: str) -> str:
    """The entry's name, read from its file (entries may be read after the page using them)."""
    path = Path(env.srcdir, pages.PREFIX, ident + ".yml")
    env.note_dependency(str(path))
    try:
        text = data.read_text(path)
    except data.DataError:
        return ident  # the entry's own page reports the problem
    for line in text.splitlines():
        if line.startswith("name:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    return ident


def setup(app) -> None:
    app.add_role("model", model_role)
