"""A small knowledge base for the kb extension's tests: three topics, a glossary, a map, references."""

project = "Fixture KB"
extensions = ["myst_parser", "sphinx_design", "kb"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_disable_syntax = ["html_block", "html_inline"]  # the kb extension insists
myst_heading_anchors = 3
html_theme = "furo"
nitpicky = True

kb_tags = {
    "foundations": "What the words mean.",
    "security": "Attacks and defences.",
    "ethics": "Harms and fairness.",
    "policy": "Laws and rules.",
}
kb_topic_prefix = "topics/"
# The other parts of the kb extension, kept quiet for these tests.
kb_search = False
kb_link_allowlist = "allowed-domains.txt"
kb_pages_manifest = "pages.txt"
