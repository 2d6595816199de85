"""Removed or renamed pages keep their address: the pages manifest and its redirects.

The repository keeps ``pages.txt`` (config ``kb_pages_manifest``): every page the site has ever
published, one docname a line. Entries are added (``make pages`` does it, and so does
``tools/new-topic``) but never removed. When the build runs its consistency checks
(``env-check-consistency``) it compares the manifest with the pages it found:

- a manifest entry that is no longer a page and has no entry in ``redirects`` (conf.py, served by
  sphinx-reredirects) is a warning located at the manifest line, naming the missing page;
- a page missing from the manifest is a warning located at that page;
- a page that is also a redirect source, and a redirect whose local target is not a page, are
  warnings too (the first would silently overwrite the page, the second would lead nowhere).

``env-get-outdated`` re-runs the check when only the manifest changed. Stores the manifest's
digest in ``env.kb_pages_manifest_digest`` (written only in the main process, so nothing to merge).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .safety import conf_location, where

logger = logging.getLogger(__name__)

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
WILDCARD = re.compile(r"[*?\[\]]")


def manifest_path(app: Sphinx) -> Path:
    return Path(app.confdir, app.config.kb_pages_manifest).resolve()


def read_manifest(path: Path) -> dict[str, int]:
    """Docname -> line number, ignoring blank lines and # comments."""
    entries: dict[str, int] = {}
    if path.is_file():
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            entry = raw.split("#", 1)[0].strip()
            if entry:
                entries.setdefault(entry, number)
    return entries


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def redirect_target_docname(source: str, target: str) -> str | None:
    """The docname a local redirect target leads to (None for external targets)."""
    if SCHEME.match(target) or target.startswith("//") or re.search(r"[\\\s\x00-\x1f\x7f]", target):
        return None  # another site, or a form browsers may read as one ("/\\evil.example")
    path = target.split("#", 1)[0]
    if path.startswith("/"):
        path = path.lstrip("/")
    else:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if path.endswith("/") or path in ("", "."):
        path = posixpath.join(path, "index")
    return path.removesuffix(".html")


def check_manifest(app: Sphinx, env) -> None:
    path = manifest_path(app)
    name = path.name
    if not path.is_file():
        logger.warning(
            "the pages manifest %s does not exist: run `make pages` to create it.",
            path,
            type="kb",
            subtype="redirects",
        )
        return
    manifest = read_manifest(path)
    redirects: dict[str, str] = dict(getattr(app.config, "redirects", {}) or {})
    found = env.found_docs

    for docname, line in sorted(manifest.items()):
        if docname not in found and docname not in redirects:
            logger.warning(
                "page %r was removed or renamed, but has no redirect: add "
                '"%s": "/<new page>.html" to `redirects` in conf.py so that old links keep '
                "working (keep its line in %s).",
                docname,
                docname,
                name,
                location=where(path, line),
                type="kb",
                subtype="redirects",
            )
    for docname in sorted(found - manifest.keys()):
        logger.warning(
            "new page %r is not listed in %s: add it (run `make pages`), so that a later rename "
            "or removal is noticed.",
            docname,
            name,
            location=docname,
            type="kb",
            subtype="redirects",
        )
    for source, target in sorted(redirects.items()):
        if WILDCARD.search(source):
            continue
        if source in found:
            logger.warning(
                "redirect source %r is still a page: the redirect would replace it. Remove the "
                "redirect from conf.py, or remove the page.",
                source,
                location=source,
                type="kb",
                subtype="redirects",
            )
        docname = redirect_target_docname(source, target)
        if docname is not None and docname not in found:
            logger.warning(
                "redirect %r -> %r leads to no page (%r): point it at an existing page.",
                source,
                target,
                docname,
                location=conf_location(app, f'"{source}"', "redirects"),
                type="kb",
                subtype="redirects",
            )


def manifest_changed(app: Sphinx, env, added, changed, removed) -> list[str]:
    """``env-get-outdated``: re-read the root page when only the manifest changed, so that the
    consistency check (which runs only when something was read) sees the new manifest. The digest
    is stored here, while reading, because the environment is saved before the check runs."""
    digest = _digest(manifest_path(app))
    if getattr(env, "kb_pages_manifest_digest", None) != digest:
        env.kb_pages_manifest_digest = digest
        return [app.config.root_doc]
    return []


def drop_offsite(app: Sphinx, config) -> None:
    """config-inited, before sphinx-reredirects writes anything: a redirect may only lead to a page
    of this site. One to another site, a script or a form browsers read as another site
    ("/\\\\evil.example") is reported on its line of conf.py and dropped, so no build writes it."""
    redirects = getattr(config, "redirects", None)
    if not isinstance(redirects, dict):
        return
    for source, target in list(redirects.items()):
        if isinstance(target, str) and redirect_target_docname(str(source), target) is not None:
            continue
        logger.warning(
            "redirect %r -> %r leaves the site and was dropped: redirects may only lead to pages of "
            "this site (a path such as \"/topics/licences.html\").",
            source,
            target,
            location=conf_location(app, f'"{source}"', "redirects"),
            type="kb",
            subtype="redirects",
        )
        del redirects[source]


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_pages_manifest", "pages.txt", "env", types=[str])
    app.connect("config-inited", drop_offsite, priority=100)
    app.connect("env-get-outdated", manifest_changed)
    app.connect("env-check-consistency", check_manifest)
