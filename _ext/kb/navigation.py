"""Navigation that grows linearly with the site: each page renders only its own branch.

Furo puts the *whole* site tree into the sidebar of every page, so both build time and HTML bytes
grow with the square of the page count (see PERFORMANCE.md). Here the sidebar shows every
top-level entry plus the ancestors, siblings and children of the current page. Furo's look, its
expand/collapse toggles for the current branch and its keyboard behaviour stay as they are; other
branches are one click away on their section pages.

Sphinx's collapsed toctree would give that list, but it copies the complete tree below every
top-level entry before pruning it, on every page, and Furo then parses the result with
BeautifulSoup to add its toggles: together about 60 ms a page at 1,600 extra pages, and growing.
So the tree is read once per build from the environment (:class:`SiteTree`: each page's toctree
entries, captions and titles) and each page's branch is written directly in the form Furo gives
it. ``tests/test_scale.py`` checks, on every page of a site with synthetic sections, that this is
exactly what Furo makes of Sphinx's own collapsed toctree.

``html-page-context``: before Furo's handler, the page's ``toctree`` function becomes a collapsed
one and is set aside, so Furo has no tree to parse; after it, the function is put back and
Furo's ``furo_navigation_tree`` is the directly written branch. Toctrees this module does not
render (external links, ``self``, ``only`` blocks, numbered toctrees, ``tocdepth``, titles with
markup) make it leave the whole site to Sphinx and Furo with a collapsed tree: correct, slower.
Stores nothing in the environment.
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
AFTER_THEME = 550  # before kb.accessibility's fixes to the finished tree (600)
SAVED = "kb_toctree"  # where the page's toctree function waits while Furo's handler runs


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
        # pages whose children the sidebar never lists (a catalogue of hundreds of entries: the
        # page itself has the table, and each entry's sidebar would otherwise list every other)
        self.closed = set(env.config.kb_nav_closed)
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
        """The sidebar tree for ``pagename``; ``uri(doc)`` gives the link from the page to ``doc``.
        Only the entries on the page's own path are opened, so the work is that of the entries
        shown. The HTML is Sphinx's toctree as Furo finishes it: a checkbox and a label before the
        list of every entry with children (ticked on the current branch), ``has-children`` and
        ``current-page`` classes, attributes in alphabetical order."""
        opened = self.ancestors(pagename) | {pagename}
        out: list[str] = []
        checkboxes = 0

        def bullet_list(listed: list[tuple[str | None, str]], depth: int, path: tuple[str, ...]) -> None:
            nonlocal checkboxes
            out.append('<ul class="current">\n' if any(d in opened for _, d in listed) else "<ul>\n")
            for title, docname in listed:
                here = docname == pagename
                current = docname in opened
                children = []
                if current and docname not in path and docname not in self.closed:
                    children = [e for g in self.groups.get(docname, []) for e in g.entries]
                li = f"toctree-l{depth}" + (" current" if current else "")
                li += (" has-children" if children else "") + (" current-page" if here else "")
                a = "current reference internal" if here else "reference internal"
                href = "#" if here else escape_attribute(uri(docname))
                name = title or self.titles[docname]
                out.append(f'<li class="{li}"><a class="{a}" href="{href}">{escape_text(name)}</a>')
                if children:
                    checkboxes += 1
                    box = f"toctree-checkbox-{checkboxes}"
                    checked = ' checked=""' if current else ""
                    out.append(
                        f'<input aria-label="Toggle navigation of {escape_attribute(name)}"'
                        f'{checked} class="toctree-checkbox" id="{box}" '
                        f'name="{box}" role="switch" type="checkbox"/><label for="{box}"><span class="icon">'
                        '<svg><use href="#svg-arrow-right"></use></svg></span></label>'
                    )
                    bullet_list(children, depth + 1, (*path, docname))
                out.append("</li>\n")
            out.append("</ul>\n")

        root = self.env.config.root_doc
        for group in self.groups.get(root, []):
            if group.entries:
                if group.caption:
                    out.append('<p class="caption" role="heading"><span class="caption-text">'
                               f"{escape_text(group.caption)}</span></p>\n")
                bullet_list(group.entries, 1, (root,))
        return "".join(out)


def escape_text(text: str) -> str:
    """Text as Furo's navigation tree writes it (BeautifulSoup's minimal formatter)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    return escape_text(text).replace('"', "&quot;")


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
    """html-page-context, before Furo: a collapsed ``toctree`` for the page's templates, and,
    when :class:`SiteTree` can render the site, no ``toctree`` at all while Furo's handler runs
    (so Furo does not parse a tree it would be given) — :func:`theme_tree` puts both back."""
    toctree = context.get("toctree")
    if toctree is None or not app.config.kb_collapse_navigation:
        return

    @functools.wraps(toctree)
    def collapsed_toctree(**kwargs):
        kwargs["collapse"] = True
        return toctree(**kwargs)

    context["toctree"] = collapsed_toctree
    if site_tree(app).supported:
        context[SAVED] = context.pop("toctree")


def theme_tree(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context, after Furo: the sidebar tree Furo would have made, rendered directly.
    The page's own ``pathto`` gives the links, so extensions that change the links of a page
    (absolute links on the 404 page) change these too."""
    if SAVED in context:
        context["toctree"] = context.pop(SAVED)
        context["furo_navigation_tree"] = site_tree(app).render(pagename, context["pathto"])


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_nav_closed", [], "html", types=[list])
    app.add_config_value("kb_collapse_navigation", True, "html", types=[bool])
    app.connect("html-page-context", collapse_sidebar_tree, priority=BEFORE_THEME)
    app.connect("html-page-context", theme_tree, priority=AFTER_THEME)
