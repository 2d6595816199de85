"""The pages manifest (pages.txt): every page the site has published, so none vanishes unnoticed.

Used by `make pages` (tools/update-pages) and tools/new-topic. The build's own check is in
_ext/kb/redirects.py; this module only finds the pages exactly as Sphinx does and adds new ones to
the manifest. It never removes an entry: a page that is removed or renamed keeps its line, and the
build then asks for a redirect in conf.py.
"""

from __future__ import annotations

from pathlib import Path

HEADER = """\
# Every page the site has published (Sphinx docnames), one a line; see CONTRIBUTING.md.
# `make pages` adds new pages here. Never delete a line: when a page is removed or renamed,
# keep its line and add a redirect for it to `redirects` in conf.py (the build insists).
"""


def discover(root: Path) -> set[str]:
    """The docnames Sphinx builds from `root`, found with conf.py's own patterns."""
    import runpy

    from sphinx.project import Project

    conf = runpy.run_path(str(root / "conf.py"))
    exclude = [
        *conf.get("exclude_patterns", []),
        *conf.get("templates_path", []),
        *conf.get("html_static_path", []),
        *conf.get("html_extra_path", []),
    ]
    suffixes = conf.get("source_suffix", {".rst": "restructuredtext"})
    if not isinstance(suffixes, dict):
        suffixes = {s: "restructuredtext" for s in ([suffixes] if isinstance(suffixes, str) else suffixes)}
    # the catalogue's entries are pages too (kb.catalogue registers the suffix; include_patterns
    # in conf.py admits models/*.yml only)
    suffixes = {**suffixes, ".yml": "kb-model"}
    project = Project(root, suffixes)
    return project.discover(exclude, conf.get("include_patterns", ["**"]))


def read(manifest: Path) -> list[str]:
    if not manifest.is_file():
        return []
    lines = (line.split("#", 1)[0].strip() for line in manifest.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def add(manifest: Path, docnames: set[str]) -> list[str]:
    """Add docnames missing from the manifest; return the ones added."""
    current = read(manifest)
    new = sorted(set(docnames) - set(current))
    if new or not manifest.is_file():
        body = "\n".join(sorted(set(current) | set(new)))
        manifest.write_text(HEADER + body + "\n", encoding="utf-8")
    return new
