"""Reading the built site: pages, links and ids, parsed once and cached."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def site_path() -> str:
    """The path the site is published under (from html_baseurl in conf.py), e.g. /knowledge-base/."""
    from conf import html_baseurl  # noqa: PLC0415 - conf.py is importable from the repository root

    return urlsplit(html_baseurl).path or "/"


# Pages Sphinx or the theme generate that have no source file.
GENERATED_PAGES = {"genindex.html", "search.html", "404.html", "py-modindex.html"}
# Folders of pages the kb extension generates without a source file: one page per tag (kb.tags),
# reached from tags.html (in the navigation) and from each topic's tag line.
GENERATED_FOLDERS = {"tags"}


@dataclass
class Site:
    root: Path
    log: str = ""
    _soups: dict = field(default_factory=dict, repr=False)
    _ids: dict = field(default_factory=dict, repr=False)

    def pages(self) -> list[Path]:
        """Every HTML page of the site (relative paths), assets excluded."""
        return sorted(
            p.relative_to(self.root)
            for p in self.root.rglob("*.html")
            if not any(part.startswith(("_", ".")) for part in p.relative_to(self.root).parts)
        )

    def content_pages(self) -> list[Path]:
        return [
            p for p in self.pages() if str(p) not in GENERATED_PAGES and p.parts[0] not in GENERATED_FOLDERS
        ]

    def soup(self, relpath: str | Path) -> BeautifulSoup:
        key = str(relpath)
        if key not in self._soups:
            text = (self.root / key).read_text(encoding="utf-8")
            self._soups[key] = BeautifulSoup(text, "html.parser")
        return self._soups[key]

    def search_index_text(self) -> str:
        """The text of every record in the site's Pagefind index (its gzipped fragment files)."""
        fragments = sorted((self.root / "pagefind" / "fragment").glob("*.pf_fragment"))
        assert fragments, "the site has no Pagefind index"
        return "\n".join(gzip.decompress(f.read_bytes()).decode("utf-8", "replace") for f in fragments)

    def ids(self, relpath: str | Path) -> frozenset[str]:
        key = str(relpath)
        if key not in self._ids:
            self._ids[key] = frozenset(tag["id"] for tag in self.soup(key).find_all(id=True))
        return self._ids[key]

    def internal_links(self, relpath: Path):
        """Yield (href, target path relative to root, fragment) for every local link on a page."""
        for a in self.soup(relpath).find_all("a", href=True):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            if parts.path.startswith("/"):
                # An absolute path (the 404 page's links, which work at any depth): the site is
                # published under the path of html_baseurl.
                target = (self.root / unquote(parts.path).removeprefix(site_path())).resolve()
                if target.is_dir():
                    target = target / "index.html"
            elif parts.path:
                target = (self.root / relpath).parent / unquote(parts.path)
                target = target.resolve()
                if target.is_dir():
                    target = target / "index.html"
            else:
                target = (self.root / relpath).resolve()
            yield href, target, unquote(parts.fragment)

