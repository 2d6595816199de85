"""Tag pages and the tag index.

- One page per tag in ``kb_tags`` at ``<kb_tag_pages>/<tag>.html`` (default ``tags/``), listing
  its topics with their summaries. These pages have no source file: they are produced on
  ``html-collect-pages`` from the stored front matter, and reached from the tag index and from
  the tag line on each topic. A tag page is written again only when something it shows differs
  from when it was last written (its topics' titles and summaries, its navigation tree, the
  configuration, the templates or the styles and scripts): a digest of all that per page is kept
  beside the doctrees (``kb-tag-pages.json``, saved when the build succeeds).
- The ``kb-tag-index`` directive (used on ``tags.md``, a real page in the navigation) lists every
  tag with its description and a link to its page.

Uses the topic metadata that :mod:`kb.metadata` stores; stores nothing in the environment. The
page holding ``kb-tag-index`` is rewritten (via :mod:`kb.store`'s view) whenever a topic's tags
change.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from . import navigation, store

DIGESTS = "kb-tag-pages.json"


class TagIndex(SphinxDirective):
    """``kb-tag-index``: every tag with its description and number of topics."""

    def run(self) -> list[nodes.Node]:
        return [store.placeholder(kind="tag-index")]


def tagged(app: Sphinx) -> dict[str, list[str]]:
    """tag -> topics carrying it (navigation order)."""
    meta = store.get(app.env).topics
    result: dict[str, list[str]] = {tag: [] for tag in app.config.kb_tags}
    for docname in store.topics(app):
        for tag in meta[docname].tags:
            result.setdefault(tag, []).append(docname)
    return result


def tag_page(app: Sphinx, tag: str) -> str:
    return f"{app.config.kb_tag_pages}/{tag}"


def tag_pages(app: Sphinx) -> list[str]:
    """The page names of the tag pages this build writes."""
    return [tag_page(app, tag) for tag in tagged(app)] if app.config.kb_tags else []


def topic_list(app: Sphinx, fromdoc: str, docnames: list[str]) -> nodes.Element:
    """A bullet list of topic links, each followed by its summary."""
    meta = store.get(app.env).topics
    items = nodes.bullet_list(classes=["kb-topic-list"])
    for docname in docnames:
        para = nodes.paragraph()
        para += store.make_link(app, fromdoc, docname, store.title(app.env, docname))
        if meta.get(docname) and meta[docname].summary:
            para += nodes.Text(" — " + meta[docname].summary)
        items += nodes.list_item("", para)
    return items


def render_index(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: fill the ``kb-tag-index`` placeholders."""
    for node in store.find_placeholders(doctree, "tag-index"):
        counts = tagged(app)
        items = nodes.bullet_list(classes=["kb-tag-index"])
        for tag, description in app.config.kb_tags.items():
            n = len(counts.get(tag, []))
            para = nodes.paragraph()
            para += store.make_link(app, docname, tag_page(app, tag), nodes.strong(text=tag))
            para += nodes.Text(f" — {description} ({n} topic{'s' if n != 1 else ''})")
            items += nodes.list_item("", para)
        node.replace_self(items)


def tag_index_docs(app: Sphinx) -> list[str]:
    features = store.get(app.env).features
    return store.ordered(app.env, (d for d, kinds in features.items() if "tag-index" in kinds))


def site_frame(app: Sphinx):
    """What every generated page shows besides its own content and its navigation, for their
    digests: configuration, templates and the files every page loads. None when the navigation
    cannot be told cheaply (it is left to Sphinx), and the pages are always written. Computed once
    per build (finding the newest template walks the theme's folders)."""
    builder = app.builder
    if not navigation.site_tree(app).supported or builder.name != "html":
        return None
    info = getattr(builder, "build_info", None)
    assets = []
    # the files every page loads (Sphinx's lists as they were before any page added its own)
    for asset in [*getattr(builder, "_orig_css_files", []), *getattr(builder, "_orig_js_files", [])]:
        name = str(getattr(asset, "filename", "") or "")
        path = Path(builder.outdir, "_static", name)
        assets.append((name, zlib.crc32(path.read_bytes()) if name and path.is_file() else None))
    return [
        getattr(info, "config_hash", ""),
        getattr(info, "tags_hash", ""),
        builder.templates.newest_template_mtime(),
        assets,
    ]


def frame(app: Sphinx, pagename: str, common):
    """``common`` (from :func:`site_frame`) and the page's own navigation."""
    if common is None:
        return None
    builder = app.builder
    return [*common, navigation.site_tree(app).render(pagename, lambda doc: builder.get_relative_uri(pagename, doc))]


def collect_tag_pages(app: Sphinx):
    """html-collect-pages: one page per tag, unless it would be written as it already is."""
    if not app.config.kb_tags:
        return
    meta = store.get(app.env).topics
    index_docs = tag_index_docs(app)
    saved = Path(app.doctreedir, DIGESTS)
    try:
        known = json.loads(saved.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    digests = app._kb_tag_digests = {}
    common = site_frame(app)
    for tag, docnames in tagged(app).items():
        pagename = tag_page(app, tag)
        description = app.config.kb_tags.get(tag, "")
        shown = [tag, description, index_docs[:1], frame(app, pagename, common)]
        shown += [(d, store.title(app.env, d), meta[d].summary if d in meta else "") for d in docnames]
        digests[pagename] = digest = store.digest(shown)
        unchanged = shown[3] is not None and known.get(pagename) == digest
        if unchanged and Path(app.builder.get_outfilename(pagename)).is_file():
            continue
        heading = f"Topics tagged “{tag}”"
        section = nodes.section(ids=["tag-" + nodes.make_id(tag)])
        section += nodes.title(text=heading)
        if description:
            section += nodes.paragraph(text=description)
        if docnames:
            section += topic_list(app, pagename, docnames)
        else:
            section += nodes.paragraph(text="No topic has this tag yet.")
        if index_docs:
            back = nodes.paragraph()
            back += store.make_link(app, pagename, index_docs[0], "All tags")
            section += back
        body = app.builder.render_partial(section)["fragment"]
        context = {
            "title": heading,
            "body": body,
            "kb_description": f"Topics of the {app.config.project} tagged “{tag}”: {description}",
        }
        yield pagename, context, "page.html"


def save_digests(app: Sphinx, exception) -> None:
    """build-finished: remember what the tag pages showed, once they are all written."""
    digests = getattr(app, "_kb_tag_digests", None)
    if exception is None and digests is not None:
        Path(app.doctreedir, DIGESTS).write_text(json.dumps(digests, indent=0, sort_keys=True), encoding="utf-8")


def index_view(app: Sphinx, docname: str):
    if "tag-index" not in store.get(app.env).features.get(docname, ()):
        return None
    return tagged(app)


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_tag_pages", "tags", "env", types=[str])
    app.add_directive("kb-tag-index", TagIndex)
    app.connect("doctree-resolved", render_index, priority=450)
    app.connect("html-collect-pages", collect_tag_pages)
    app.connect("build-finished", save_digests)
    store.register_view(index_view)
