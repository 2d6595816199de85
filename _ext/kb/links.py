"""External links: https only, to reviewed domains, and marked for the reader.

- ``doctree-read``: every external link (Markdown links, autolinks, cards, buttons, toctree entries)
  must use ``https://`` and point to a host listed in the allowlist file (config
  ``kb_link_allowlist``, default ``allowed-domains.txt`` at the repository root). A pull request
  that brings a new domain therefore shows it in the allowlist's diff. Anything else is a warning
  that names the page, the line, the link and the allowlist file. Each page depends on the
  allowlist file (``env.note_dependency``), so editing it re-checks every page.
- ``doctree-read``, first: a link from a page to a repository file that is not a page (a file at
  the top level of the repository, such as CODE_OF_CONDUCT.md or pages.txt, or one excluded in
  conf.py) becomes a link to that file in the repository (``kb_repository_url``), so
  CONTRIBUTING.md's relative links work both on the forge and in the site. Where no repository is
  known (conf.py), the link's words stay as plain text.
- ``doctree-resolved`` (HTML builders only): external links get ``rel="noopener"``, the class
  ``kb-external`` (an icon drawn by ``static/kb-links.css``) and a visually hidden
  "(external link)" for screen readers, written by the ``external_hint`` node's HTML visitor and
  marked ``no-search``/``data-pagefind-ignore``, so the words never reach the search index.

Stores nothing in the environment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.matching import Matcher

from .safety import node_location, where

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
HOSTNAME = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
HINT_TEXT = " (external link)"


@dataclass(frozen=True)
class Allowlist:
    path: Path
    exact: frozenset[str]
    suffixes: frozenset[str]  # from "*.example.org": example.org and any subdomain

    def allows(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        if host in self.exact or host.removeprefix("www.") in self.exact:
            return True
        return any(host == s or host.endswith("." + s) for s in self.suffixes)


def read_allowlist(path: Path) -> tuple[Allowlist, list[tuple[int, str]]]:
    """Parse the allowlist: one host a line, ``#`` comments, ``*.`` for subdomains.

    Returns the allowlist and the (line, text) of entries that are not valid host names."""
    exact, suffixes, bad = set(), set(), []
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    for number, raw in enumerate(text.splitlines(), start=1):
        entry = raw.split("#", 1)[0].strip().lower()
        if not entry:
            continue
        if not HOSTNAME.match(entry):
            bad.append((number, raw.strip()))
        elif entry.startswith("*."):
            suffixes.add(entry[2:])
        else:
            exact.add(entry)
    return Allowlist(path, frozenset(exact), frozenset(suffixes)), bad


def allowlist_path(app: Sphinx) -> Path:
    return Path(app.confdir, app.config.kb_link_allowlist).resolve()


def load_allowlist(app: Sphinx) -> None:
    """``builder-inited``: read the allowlist once per build and report malformed entries."""
    path = allowlist_path(app)
    if not path.is_file():
        logger.warning(
            "the link allowlist %s does not exist: create it (one domain a line) or set "
            "kb_link_allowlist in conf.py.",
            path,
            type="kb",
            subtype="links",
        )
    app.kb_allowlist, bad = read_allowlist(path)
    for number, entry in bad:
        logger.warning(
            "%r is not a domain name: write one host a line, e.g. example.org or *.example.org.",
            entry,
            location=where(path, number),
            type="kb",
            subtype="links",
        )


# What a link may contain: printable ASCII without spaces, quotes, angle brackets or a backslash
# (browsers read a backslash as a slash, so "https://allowed.org\\@evil.example" would leave the
# allowlist); a host is ASCII letters, digits, hyphens and dots (punycode for other scripts).
URL_CHARACTERS = re.compile(r"^[!#$%&()*+,\-./0-9:;=?@A-Z\[\]_a-z~]+$")
HOST = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$")


def _problem(uri: str, allowlist: Allowlist) -> str | None:
    """What is wrong with an external link, or None. Parsed strictly, and never raises."""
    if not URL_CHARACTERS.match(uri):
        return ("contains a character a web address may not hold (a space, a backslash, a control or "
                "non-ASCII character): percent-encode it, or write the host in punycode")
    try:
        parts = urlsplit(uri)
        port = parts.port  # noqa: F841 - raises for a malformed port
    except ValueError:
        return "is not a well-formed web address"
    if parts.scheme.lower() != "https":
        if parts.scheme.lower() == "http":
            return "uses http: link the https:// address instead"
        return "is not a web link: only https:// links to listed domains are allowed"
    host = parts.hostname or ""
    if not host:
        return "has no host name"
    if "@" in parts.netloc or parts.username or parts.password:
        return "contains a user name or password: remove it"
    if not HOST.match(host):
        return f"has a host name ({host}) that is not a plain domain name"
    if not allowlist.allows(host):
        return (
            f"points to {host}, which is not in {allowlist.path.name}: link a source on a listed "
            f"domain, or add {host} to {allowlist.path.name} under a fitting comment so reviewers "
            "see the new domain in the pull request"
        )
    return None


def _is_external(uri: str) -> bool:
    return bool(SCHEME.match(uri)) or uri.startswith("//")


def _external_links(doctree: nodes.document):
    """Yield (node, uri) for every external link of a page, toctree entries included."""
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if uri and not ref.get("internal") and _is_external(uri):
            yield ref, uri
    for toctree in doctree.findall(addnodes.toctree):
        for _title, ref in toctree.get("entries", []):
            if ref and _is_external(ref):
                yield toctree, ref


def _repository_file(app: Sphinx, path: Path) -> str | None:
    """The repository-relative path of a file that exists but is not part of the site, else None."""
    root = Path(app.srcdir).resolve()
    path = path.resolve()
    if not path.is_file() or root not in path.parents:
        return None
    relative = path.relative_to(root).as_posix()
    if app.env.path2doc(str(path)) in app.env.found_docs:
        return None
    if "/" not in relative or Matcher(app.config.exclude_patterns)(relative):
        return relative
    return None


def _repository_link(app: Sphinx, node: nodes.Element, relative: str, fragment: str) -> nodes.Element:
    if not app.config.kb_repository_url:
        # no repository known to link to (see conf.py): the file's name stays, as plain text
        text = nodes.inline("", "", *node.children)
        text.source, text.line = node.source, node.line
        return text
    url = f"{app.config.kb_repository_url.rstrip('/')}/blob/{app.config.kb_repository_branch}/{relative}"
    if fragment:
        url += "#" + fragment
    ref = nodes.reference("", "", *node.children, refuri=url)
    ref.source, ref.line = node.source, node.line
    return ref


def link_repository_files(app: Sphinx, doctree: nodes.document) -> None:
    """Links to repository files that are not pages open the file in the repository (or, where no
    repository is known, become plain text)."""
    env = app.env
    for xref in list(doctree.findall(addnodes.pending_xref)):
        if xref.get("reftype") != "myst" or xref.get("refdomain") != "doc":
            continue
        target = xref.get("reftarget", "")
        if target in env.found_docs:
            continue
        candidates = [Path(env.srcdir, target + suffix) for suffix in app.config.source_suffix]
        relative = next((r for r in (_repository_file(app, c) for c in candidates) if r), None)
        if relative:
            xref.replace_self(_repository_link(app, xref, relative, xref.get("reftargetid") or ""))
    for download in list(doctree.findall(addnodes.download_reference)):
        _rel, absolute = env.relfn2path(download.get("reftarget", ""), env.docname)
        relative = _repository_file(app, Path(absolute))
        if relative:
            download.replace_self(_repository_link(app, download, relative, ""))


def check_links(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: warn about every external link that is not https to a listed domain."""
    link_repository_files(app, doctree)
    env = app.env
    allowlist = app.kb_allowlist
    env.note_dependency(str(allowlist.path))
    for node, uri in _external_links(doctree):
        problem = _problem(uri, allowlist)
        if problem:
            logger.warning(
                "external link %s %s.",
                uri,
                problem,
                location=node_location(node, env.docname, env),
                type="kb",
                subtype="links",
            )


class external_hint(nodes.Element):  # noqa: N801 (docutils naming)
    """Marks an external link for screen readers; only the HTML visitor writes anything."""


def visit_external_hint_html(self, node: external_hint) -> None:
    # "no-search" and data-pagefind-ignore keep the words out of the search index and excerpts.
    self.body.append(f'<span class="kb-visually-hidden no-search" data-pagefind-ignore>{HINT_TEXT}</span>')
    raise nodes.SkipNode


def skip(self, node: nodes.Element) -> None:
    raise nodes.SkipNode


def mark_external_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: rel="noopener", an icon class and the hidden hint on external links."""
    if app.builder.format != "html":
        return
    for ref in list(doctree.findall(nodes.reference)):
        uri = ref.get("refuri", "")
        if not uri or ref.get("internal") or not _is_external(uri):
            continue
        ref["rel"] = "noopener"
        # A link that wraps only an image (no text) is described by the image's alt text.
        if isinstance(ref.parent, nodes.TextElement):
            ref["classes"].append("kb-external")
            ref.append(external_hint())


def add_static_path(app: Sphinx, config) -> None:
    """``config-inited``: ship this module's stylesheet with the site (no third-party requests)."""
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_link_allowlist", "allowed-domains.txt", "env", types=[str])
    app.add_config_value("kb_repository_url", "", "env", types=[str])
    app.add_config_value("kb_repository_branch", "main", "env", types=[str])
    app.add_node(
        external_hint,
        html=(visit_external_hint_html, None),
        text=(skip, None),
        latex=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
        llm_markdown=(skip, None),
    )
    app.connect("config-inited", add_static_path)
    app.connect("builder-inited", load_allowlist)
    app.connect("doctree-read", check_links)
    app.connect("doctree-resolved", mark_external_links)
    app.add_css_file("kb-links.css")
