"""Navigation that grows linearly with the site: each page renders only its own branch.

Furo puts the *whole* site tree into the sidebar of every page, so both build time and HTML bytes
grow with the square of the page count (see PERFORMANCE.md). This module replaces the ``toctree``
template function before Furo uses it (``html-page-context`` at a priority that runs ahead of
Furo's handler) so that the sidebar shows every top-level entry plus the ancestors, siblings and
children of the current page. Furo's look, its expand/collapse toggles for the current branch and
its keyboard behaviour stay as they are; other branches are one click away on their section pages.

Sphinx's own collapsed toctree would give the same list, but it copies the complete tree below
every top-level entry before pruning it, for every page: still quadratic (34 ms a page at 1,600
extra pages). So the tree is read once per build from the environment (:class:`SiteTree`: each
page's toctree entries and captions, and its titles) and each page's branch is rendered directly,
as the same HTML Sphinx would write (``tests/test_navigation.py`` compares the two on every page
of a site with synthetic sections). Toctrees this renderer does not handle (external links,
``self``, ``only`` blocks, numbered toctrees, ``tocdepth``, titles with markup) make it hand the
whole site back to Sphinx's collapsed toctree, which is correct, only slower.

Uses ``html-page-context``; stores nothing in the environment.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

# Sphinx calls html-page-context handlers in ascending priority; Furo's runs at the default, 500.
BEFORE_THEME = 400
# How docutils' HTML writer escapes text.
ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", '"': "&quot;", ">": "&gt;", "@": "&#64;"})


def encode(text: str) -> str:
    return text.translate(ESCAPES)


@dataclass
class Group:
    """One toctree of a page: its caption and its entries as (title or None, docname)."""

    caption: str
    entries: list[tuple[str | None, str]]


class SiteTree:
    """Every page's toctrees and title, read once from the environment."""

    def __init__(self, env: BuildEnvironment) -> None:
        self.env = env
        self.supported = True
        self.groups: dict[str, list[Group]] = {}
        self.parents: dict[str, set[str]] = {}
        self.titles: dict[str, str] = {}
        root = env.config.root_doc
        for docname in env.found_docs:
            if env.metadata.get(docname, {}).get("tocdepth"):
                self.supported = False
            # the root's toctrees as Sphinx reads them for the sidebar (from its doctree)
            source = env.get_doctree(root) if docname == root else env.tocs.get(docname)
            if source is not None:
                self.groups[docname] = [self._group(node) for node in source.findall(addnodes.toctree)]
        for docname, groups in self.groups.items():
            for group in groups:
                for _, child in group.entries:
                    self.parents.setdefault(child, set()).add(docname)
                    if child not in self.titles:
                        self.titles[child] = self._title(child)

    def _group(self, node: addnodes.toctree) -> Group:
        if node.get("numbered") or any(isinstance(a, addnodes.only) for a in _ancestors(node)):
            self.supported = False
        for _, ref in node["entries"]:
            if ref not in self.env.found_docs:  # an external link, "self", genindex, ...
                self.supported = False
        return Group(node.get("caption") or "", [(t, r) for t, r in node["entries"] if r in self.env.found_docs])

    def _title(self, docname: str) -> str:
        toc = self.env.tocs.get(docname)
        if toc is None or len(toc.children) != 1:  # no title, or several top-level sections
            self.supported = False
            return docname
        reference = next(iter(toc.findall(nodes.reference)), None)
        if reference is None or any(not isinstance(c, nodes.Text) for c in reference.children):
            self.supported = False
            return docname
        return reference.astext()

    def ancestors(self, docname: str) -> set[str]:
        """Every page whose toctree leads, directly or not, to ``docname``."""
        found: set[str] = set()
        todo = [docname]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    todo.append(parent)
        return found

    def render(self, pagename: str, uri) -> str:
        """The sidebar tree for ``pagename`` as Sphinx's HTML writer would write it; ``uri(doc)``
        gives the link from the page to ``doc``. Only the entries on the page's own path are
        opened, so the work is that of the entries shown."""
        opened = self.ancestors(pagename) | {pagename}
        out: list[str] = []

        def bullet_list(listed: list[tuple[str | None, str]], depth: int, path: tuple[str, ...]) -> None:
            out.append('<ul class="current">\n' if any(d in opened for _, d in listed) else "<ul>\n")
            for title, docname in listed:
                here = docname == pagename
                li = f"toctree-l{depth} current" if docname in opened else f"toctree-l{depth}"
                a = "current reference internal" if here else "reference internal"
                href = "#" if here else encode(uri(docname))
                text = encode(title or self.titles[docname])
                out.append(f'<li class="{li}"><a class="{a}" href="{href}">{text}</a>')
                if docname in opened and docname not in path:
                    children = [e for g in self.groups.get(docname, []) for e in g.entries]
                    if children:
                        bullet_list(children, depth + 1, (*path, docname))
                out.append("</li>\n")
            out.append("</ul>\n")

        root = self.env.config.root_doc
        for group in self.groups.get(root, []):
            if group.entries:
                if group.caption:
                    out.append('<p class="caption" role="heading"><span class="caption-text">'
                               f"{encode(group.caption)}</span></p>\n")
                bullet_list(group.entries, 1, (root,))
        return "".join(out)


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def site_tree(app: Sphinx) -> SiteTree:
    """The tree for this build (made on the first page written; reading is over by then)."""
    tree = getattr(app.builder, "_kb_site_tree", None)
    if tree is None or tree.env is not app.env:
        tree = app.builder._kb_site_tree = SiteTree(app.env)
    return tree


def collapse_sidebar_tree(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    toctree = context.get("toctree")
    if toctree is None or not app.config.kb_collapse_navigation:
        return
    tree = site_tree(app)

    @functools.wraps(toctree)
    def collapsed_toctree(**kwargs):
        # Furo asks for titles only, every level, hidden toctrees included
        furo_call = kwargs.get("titles_only") and kwargs.get("includehidden") and kwargs.get("maxdepth") == -1
        if furo_call and tree.supported:
            # the page's own pathto: extensions that change links on a page (the 404 page's
            # absolute links) change it too
            return tree.render(pagename, context["pathto"])
        kwargs["collapse"] = True
        return toctree(**kwargs)

    context["toctree"] = collapsed_toctree


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_collapse_navigation", True, "html", types=[bool])
    app.connect("html-page-context", collapse_sidebar_tree, priority=BEFORE_THEME)
