"""Sphinx configuration of the Open Source AI Knowledge Base.

Sections: project · extensions · sources · MyST · theme · HTML output · checks.
Each non-obvious setting says why it is there.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).parent.resolve()
# The local extension package (knowledge-graph features and safety rails) lives in _ext/kb.
sys.path.insert(0, str(HERE / "_ext"))

# -- Project ------------------------------------------------------------------------------------
project = "Open Source AI Knowledge Base"
author = "Open Source AI Knowledge Base contributors"
copyright = "the Open Source AI Knowledge Base contributors; content CC BY 4.0, code MIT"
language = "en"

# The repository the "edit this page" and "view source" buttons point at. Set in one place;
# forks and mirrors override it from the environment.
repository_url = os.environ.get(
    "KB_REPOSITORY_URL", "https://github.com/open-source-ai-kb/knowledge-base"
).rstrip("/")
repository_branch = os.environ.get("KB_REPOSITORY_BRANCH", "main")

# -- Extensions ---------------------------------------------------------------------------------
extensions = [
    "myst_parser",  # Markdown (MyST) sources
    "sphinx_design",  # grids, cards, tabs and dropdowns
    "kb",  # our own: knowledge-graph features and safety rails (see _ext/kb)
]

# -- Sources ------------------------------------------------------------------------------------
# The source root is the repository root, so everything that is not content is excluded here.
source_suffix = {".md": "markdown"}
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
    "substitution",  # {{ name }} substitutions
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
    # "Edit this page" and "view source" buttons point at the page's file in the repository.
    "source_repository": repository_url,
    "source_branch": repository_branch,
    "source_directory": "",
    "sidebar_hide_name": False,
    "navigation_with_keys": True,
}

# -- HTML output --------------------------------------------------------------------------------
templates_path = ["_templates"]
html_static_path = ["_static"]
html_last_updated_fmt = "%d %B %Y"
# Sources are linked from the repository instead; copying them into the site doubles its size.
html_copy_source = False
html_show_sourcelink = False
html_permalinks_icon = "#"

# -- Checks -------------------------------------------------------------------------------------
# The Makefile runs sphinx-build with -W -n --keep-going: every warning below fails the build.
nitpicky = True
# Safety rails of the kb extension: includes may only read files inside this directory.
kb_repository_root = str(HERE)
