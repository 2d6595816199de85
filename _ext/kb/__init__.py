"""The knowledge base's own Sphinx extension.

One module per concern; ``setup`` only wires them together:

- :mod:`kb.safety` — safety rails: no raw markup (the ``raw`` directive and role, HTML typed into
  Markdown), no file read from outside the repository, no remote images, alt text on images.
- :mod:`kb.links` — external links must be https to a domain in the reviewed allowlist; they are
  rendered with ``rel="noopener"`` and marked as external for every reader.
- :mod:`kb.redirects` — pages listed in the ``pages.txt`` manifest cannot disappear without a
  redirect.
- :mod:`kb.incremental` — stops the theme and sphinx-design from changing the configuration after
  Sphinx has compared it, so an incremental build rewrites only what changed.
- :mod:`kb.navigation` — the sidebar renders only the current branch, so build time and page
  size grow linearly with the number of pages.
- :mod:`kb.memory` — the garbage collector skips what lives for the whole build, and the exit.
- :mod:`kb.reader` — what the reader's browser gets: search (Pagefind), Content-Security-Policy,
  robots.txt, accessibility fixes to the theme, focus and print styles, and only the styles and
  scripts each page uses.

How current each page is (:mod:`kb.currency`, a subpackage): dates from git with a history link,
``reviewed:`` dates, the ``{as-of}`` role and its list, ``make review``, and What's new with its
Atom feed.

The model catalogue (:mod:`kb.catalogue`, a subpackage): one checked YAML entry per model in
``models/``, a page for each, the sortable table, the ``{model}`` role and the open-data exports.

- :mod:`kb.data` — YAML data files (``changes/``, ``models/``) with the line of every value,
  checked against the JSON Schemas in ``schemas/``.

The knowledge graph (topics, links between them, glossary, sources):

- :mod:`kb.store` — what the modules below collect from each page, kept on the environment
  (purged and merged for incremental and parallel builds), and which pages must be rewritten
  when data they show from other pages changes.
- :mod:`kb.metadata` — topic front matter (``summary``, ``tags``, ``related``) checked with file
  and line; summary as meta description and Open Graph tags; a tag line under each topic title.
- :mod:`kb.tags` — one page per tag (``tags/<tag>.html``) and the ``kb-tag-index`` directive.
- :mod:`kb.cards` — the ``kb-topic-cards`` directive: a grid of topic cards with summaries.
- :mod:`kb.backlinks` — "See also" (from ``related:``) and "Referenced by" (every page linking
  to a topic, with the sentence each link stands in) at the end of each topic.
- :mod:`kb.glossary` — each glossary entry lists the pages using it; a filter box on the glossary.
- :mod:`kb.previews` — definitions of terms and summaries of topics shown on hover and focus.
- :mod:`kb.graph` — the ``kb-topic-map`` directive: the topics as a static SVG graph, and as lists.
- :mod:`kb.sources` — the ``kb-references`` directive: every external source the topics cite.
- :mod:`kb.lint` — cross-page checks: unused glossary terms, topics nobody links to, glossary
  terms mentioned but never linked, ``related:`` entries naming no topic.
"""

from sphinx.application import Sphinx

from . import (
    backlinks,
    cards,
    catalogue,
    currency,
    glossary,
    graph,
    incremental,
    links,
    lint,
    memory,
    metadata,
    navigation,
    previews,
    reader,
    redirects,
    refusals,
    safety,
    sources,
    store,
    tags,
)

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict:
    safety.setup(app)
    links.setup(app)
    redirects.setup(app)
    incremental.setup(app)
    navigation.setup(app)
    memory.setup(app)
    reader.setup(app)
    for module in (store, metadata, tags, cards, backlinks, glossary, previews, graph, sources, lint):
        module.setup(app)
    for module in (currency, catalogue):
        module.setup(app)
    refusals.setup(app)
    return {
        "version": __version__,
        # bumped whenever what the kb modules keep in the environment changes shape, so Sphinx
        # reads every page again instead of unpickling data of an older form
        "env_version": 7,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
