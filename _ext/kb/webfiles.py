"""What search engines read besides the pages' text: ``robots.txt``, the sitemap, descriptions.

- ``build-finished`` (HTML builder): ``robots.txt`` allows every crawler everywhere and names the
  sitemap; ``sitemap.xml`` lists, at ``html_baseurl``, every page built from a source document
  and every tag page, but the pages named in ``kb_sitemap_excludes``. The list comes from the
  environment, so an incremental build writes the whole sitemap too. (sphinx-sitemap lists only
  the pages written by the current build, so an incremental build left it incomplete: its
  issue #13, open since 2018.)
- ``html-page-context`` (before :mod:`kb.metadata` writes the meta tags): a page without a
  summary of its own (the landing page, the glossary, the about page; topics have their
  front-matter summary) gets its first paragraph, cut to at most 160 characters at a sentence
  or word boundary, as ``kb_description``, which kb.metadata turns into its meta description.

Stores nothing in the environment.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from . import tags

DESCRIPTION_MAX = 160
BEFORE_METADATA = 400  # kb.metadata writes the tags at the default priority, 500


def write_robots(app: Sphinx, exception) -> None:
    if exception or app.builder.format != "html" or app.builder.name == "epub":
        return
    lines = ["User-agent: *", "Allow: /"]
    if app.config.html_baseurl:
        lines.append(f"Sitemap: {app.config.html_baseurl.rstrip('/')}/sitemap.xml")
    Path(app.outdir, "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_pages(app: Sphinx) -> list[str]:
    """Every page address (relative to the site root) the sitemap lists, sorted."""
    pages = {app.builder.get_target_uri(docname) for docname in app.env.found_docs}
    pages |= {app.builder.get_target_uri(page) for page in tags.tag_pages(app)}
    return sorted(p for p in pages if p not in app.config.kb_sitemap_excludes)


def write_sitemap(app: Sphinx, exception) -> None:
    base = app.config.html_baseurl
    if exception or not base or app.builder.format != "html" or app.builder.name == "epub":
        return
    base = base.rstrip("/") + "/"
    urls = "".join(f"<url><loc>{html.escape(base + page)}</loc></url>" for page in sitemap_pages(app))
    text = f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAP_NS}">{urls}</urlset>\n'
    Path(app.outdir, "sitemap.xml").write_text(text, encoding="utf-8")


def first_paragraph(doctree: nodes.document) -> str:
    """The text of the page's first paragraph of prose (not in a note, table, list or toctree)."""
    skip = (nodes.Admonition, nodes.table, nodes.field_list, nodes.list_item, nodes.definition_list)
    for para in doctree.findall(nodes.paragraph):
        parent, inside = para.parent, False
        while parent is not None:
            if isinstance(parent, skip) or "toctree-wrapper" in parent.get("classes", []):
                inside = True
                break
            parent = parent.parent
        text = " ".join(para.astext().split())
        if not inside and text:
            return text
    return ""


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """At most ``limit`` characters: whole sentences if they fill at least half of it, else whole
    words and an ellipsis."""
    if len(text) <= limit:
        return text
    sentences = [m.end() for m in re.finditer(r"[.!?](?=\s)", text) if m.end() <= limit]
    if sentences and sentences[-1] >= limit // 2:
        return text[: sentences[-1]]
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def describe_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None or context.get("kb_description"):
        return
    text = first_paragraph(doctree)
    if text:
        context["kb_description"] = shorten(text)


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_sitemap_excludes", ["search.html", "genindex.html", "404.html"], "html",
                         types=[list])
    app.connect("build-finished", write_robots)
    app.connect("build-finished", write_sitemap)
    app.connect("html-page-context", describe_page, priority=BEFORE_METADATA)
