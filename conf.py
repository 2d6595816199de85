"""Sphinx configuration of the Open Source AI Knowledge Base.

Sections: project · extensions · sources · MyST · theme · HTML output · checks.
Each non-obvious setting says why it is there.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).parent.resolve()
# The local extension package (knowledge-graph features and safety rails) lives in _ext/kb.
sys.path.insert(0, str(HERE / "_ext"))

# -- Project ------------------------------------------------------------------------------------
project = "Open Source AI Knowledge Base"
author = "Open Source AI Knowledge Base contributors"
copyright = "the Open Source AI Knowledge Base contributors; content CC BY 4.0, code MIT"
language = "en"

# The repository the site is built from: "edit this page", each page's history link and links to
# repository files point at it. In this order: KB_REPOSITORY_URL; the repository a GitHub Actions
# run builds (GITHUB_SERVER_URL/GITHUB_REPOSITORY); git's `origin` remote where it is a forge URL
# (kb.currency.repository). None of these (a local clone, a tarball): no edit or history links at all,
# rather than links to an address that may not be this repository.
from kb.currency.repository import repository_from_environment  # noqa: E402

repository_url = repository_from_environment(HERE)
repository_branch = os.environ.get("KB_REPOSITORY_BRANCH", "main")
# The address the site is published at, ending in "/": canonical links, sitemap.xml, robots.txt
# and the 404 page's links use it. KB_BASE_URL; else a GitHub repository's Pages address
# (https://OWNER.github.io/NAME/); else the project's own.
html_baseurl = os.environ.get("KB_BASE_URL") or ""
if not html_baseurl and repository_url.startswith("https://github.com/"):
    _owner, _name = repository_url.split("/")[-2:]
    html_baseurl = f"https://{_owner}.github.io/{_name}/"
html_baseurl = (html_baseurl or "https://open-source-ai-kb.github.io/knowledge-base/").rstrip("/") + "/"

# Each page's "last changed" date is the date of the last commit that changed its source
# (sphinx-last-updated-by-git), never the build date. KB_PAGE_DATES=off builds without any date,
# for a tree outside git (a tarball); a shallow clone is a build warning (kb.currency.dates), since its
# oldest commit would be taken for every older page's last change.
page_dates = os.environ.get("KB_PAGE_DATES", "git")
if page_dates not in ("git", "off"):
    raise ValueError(f"KB_PAGE_DATES must be 'git' or 'off', not {page_dates!r}")

# -- Extensions ---------------------------------------------------------------------------------
extensions = [
    "myst_parser",  # Markdown (MyST) sources
    "sphinx_design",  # grids, cards, tabs and dropdowns
    "sphinx_reredirects",  # redirects for removed or renamed pages (see `redirects` below)
    "notfound.extension",  # a 404 page with working links at any depth of the site
    "sphinx_llm_friendly",  # a Markdown copy of every page beside its HTML, and llms.txt
    "kb",  # our own: knowledge-graph features and safety rails (see _ext/kb)
]
if page_dates == "git":
    # each page's date from its last commit; before kb, whose handlers read the dates it sets
    extensions.insert(extensions.index("kb"), "sphinx_last_updated_by_git")

# -- Sources ------------------------------------------------------------------------------------
# The source root is the repository root, so everything that is not content is excluded here.
source_suffix = {".md": "markdown"}
# Pages are Markdown files, the model catalogue's entries (models/<id>.yml) and the licences
# they point at (licences/<id>.yml), read by kb.catalogue into one page each; no other file
# becomes a page. models/makers.yml is data the entries name, not a page.
include_patterns = ["**.md", "models/*.yml", "licences/*.yml"]
root_doc = "index"
exclude_patterns = [
    "_build",
    ".venv",
    ".ci",
    ".github",
    ".pytest_cache",
    "_ext",
    "_templates",
    "tests",
    "tools",
    "README.md",
    "PERFORMANCE.md",
    "benchmarks",
    "changes",  # data: read by kb.currency.changes for the What's new page
    "models/makers.yml",  # data: read by kb.catalogue.makers
    "CONTRIBUTING.md",  # rendered once, through contributing/index.md
    "CODE_OF_CONDUCT.md",
    "SECURITY.md",  # the threat model, for the repository
    "LICENSE*",
    "**/node_modules",
    "Thumbs.db",
    ".DS_Store",
]

# -- MyST ---------------------------------------------------------------------------------------
myst_enable_extensions = [
    "colon_fence",  # ::: fences for admonitions, readable in plain Markdown previews
    "deflist",  # definition lists
    "fieldlist",  # field lists
    "substitution",  # {{ name }} substitutions (kb.safety refuses any other {{ ... }} expression)
    "attrs_inline",  # {.class} attributes on inline elements
]
# Anchors for ## and ### headings, so pages can link to sections ([x](page.md#section)).
myst_heading_anchors = 3
# Safety: raw HTML in Markdown would bypass escaping and could inject scripts; it is never parsed
# as HTML (the `raw` directive is disabled by the kb extension).
myst_disable_syntax = ["html_block", "html_inline"]
# Internal links to other pages must resolve; external ones must be explicit https URLs.
myst_all_links_external = False

# -- Theme --------------------------------------------------------------------------------------
html_theme = "furo"
html_title = "Open Source AI Knowledge Base"
html_logo = "_static/logo.svg"
html_favicon = "_static/favicon.svg"
html_theme_options = {
    "sidebar_hide_name": False,
    "navigation_with_keys": True,
}
if repository_url:
    # "Edit this page" and "view source" buttons point at the page's file in the repository.
    html_theme_options |= {
        "source_repository": repository_url,
        "source_branch": repository_branch,
        "source_directory": "",
    }

# -- HTML output --------------------------------------------------------------------------------
templates_path = ["_templates"]
html_static_path = ["_static"]
# The date format of "last changed"; None (no date at all) when dates from git are switched off,
# since Sphinx would otherwise print the build date.
html_last_updated_fmt = "%d %B %Y" if page_dates == "git" else None
# Dates in UTC, so two builds of one commit are identical wherever they run.
git_last_updated_timezone = "UTC"
# Sources are linked from the repository instead; copying them into the site doubles its size.
html_copy_source = False
html_show_sourcelink = False
# No pages use index entries, so Sphinx's "General Index" would be an empty page linked from all.
html_use_index = False
html_permalinks_icon = "#"
# sitemap.xml (kb.webfiles) lists each page once at html_baseurl + page, but these, which are not
# worth a search engine's visit.
kb_sitemap_excludes = ["search.html", "404.html"]
# Pages the site search leaves out (docnames): lists made of other pages' titles, summaries and
# sources, which would compete with those pages (a search for "Apache 2.0" ranked the list of
# references above the licences topic).
kb_search_excludes = ["references", "topic-map", "tags", "dated-statements"]
# The 404 page is served for a missing address at any depth, so its links are absolute paths
# under the site's own path (e.g. /knowledge-base/).
notfound_urls_prefix = urlsplit(html_baseurl).path
notfound_context = {
    "title": "Page not found",
    "body": "<h1>Page not found</h1>\n<p>There is no page at this address. It may have moved: "
    "try the search box, the navigation or the glossary.</p>",
}

# -- EPUB (`make epub`) -------------------------------------------------------------------------
# The whole knowledge base as one e-book for offline reading. EPUB 3 requires a version; the site
# itself is one continuously updated edition.
version = release = "1"
epub_basename = "open-source-ai-knowledge-base"
epub_title = project
epub_publisher = author
epub_copyright = copyright

# -- Checks -------------------------------------------------------------------------------------
# The Makefile runs sphinx-build with -W -n --keep-going: every warning below fails the build.
nitpicky = True
# Safety rails of the kb extension: includes may only read files inside this directory.
kb_repository_root = str(HERE)
# External links must be https to a domain listed in this reviewed file (one domain a line).
kb_link_allowlist = "allowed-domains.txt"
# Every page ever published; a page listed there that is no longer built needs a redirect below.
kb_pages_manifest = "pages.txt"
# Links from pages to repository files that are not pages (CODE_OF_CONDUCT.md, pages.txt) open there.
kb_repository_url = repository_url
kb_repository_branch = repository_branch

# -- Knowledge graph ----------------------------------------------------------------------------
# Topic pages are the documents in this folder; the kb extension checks their front matter
# (summary, tags, related) and builds backlinks, tag pages, the topic map and the references.
kb_topic_prefix = "topics/"
# The allowed tags, each with the one-line description its tag page shows. This is the only list:
# a topic's `tags:` may use these and no others (the build names the file and line otherwise).
kb_tags = {
    "foundations": "What open source AI is: definitions, components and degrees of openness.",
    "history": "How open models came about: releases, hubs and turning points.",
    "democratization": "Who gets to build with AI: costs, barriers to entry and reuse.",
    "licensing": "The licences and usage terms attached to models and data.",
    "security": "Attacks on and through open models, and how defenders respond.",
    "ethics": "Misuse, bias, fairness and responsible release.",
    "accountability": "Who answers for harm, and the documents and audits that show it.",
    "policy": "Laws, regulators and government reports on open models.",
    "community": "Foundations, collaborations, governance and community testing.",
    "industry": "Business models, economics and competition between open and closed AI.",
    "case-study": "Worked examples that show the issues in one setting.",
    "action": "Concrete steps for developers, researchers, policymakers and citizens.",
}
# The sidebar never lists the catalogue's entries (one page each, hundreds in time): the
# catalogue page has them in its table (kb.navigation).
kb_nav_closed = ["models/index", "licences/index"]
# A `related:` entry that the other topic does not list back is common and fine: it is reported
# as information. True makes it a warning (and so fails the strict build).
kb_warn_one_way_related = False

# -- Redirects ----------------------------------------------------------------------------------
# Removed or renamed pages: "old/docname": "/new/page.html" (from the site root). Never delete an
# entry: old links elsewhere on the web keep working. See CONTRIBUTING.md.
redirects = {}
redirect_html_template_file = "_templates/redirect.html"
