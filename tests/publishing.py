"""The built site served the way a static host publishes it, for every browser test.

The site lives under the path of ``html_baseurl`` (e.g. ``/knowledge-base/`` on GitHub Pages);
any other address, or a missing file, gets the site's ``404.html`` with status 404, and text
files are sent gzip-compressed with a cache lifetime, as GitHub Pages and other static hosts do.
The browser contexts it makes refuse (and record) any request to another host, so a test can
prove a page loads nothing from elsewhere.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent


def base_path() -> str:
    """The site's path on its host, from conf.py (which reads KB_BASE_URL)."""
    import sys  # noqa: PLC0415

    sys.path.insert(0, str(ROOT))
    from conf import html_baseurl  # noqa: PLC0415

    return urlsplit(html_baseurl).path or "/"


COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".pf_meta", ".pf_index", ".pf_fragment", ".pagefind"}
CACHE_SECONDS = 600  # what GitHub Pages sends


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def translate_path(self, path: str) -> str:
        clean = unquote(urlsplit(path).path)
        if clean == self.prefix.rstrip("/"):
            clean = self.prefix  # the site's folder without its slash: redirected to it
        if not clean.startswith(self.prefix):
            return str(Path(self.directory) / "__not_in_the_site__")
        return super().translate_path("/" + clean[len(self.prefix):])

    def end_headers(self):
        self.send_header("Cache-Control", f"max-age={CACHE_SECONDS}")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()  # folders (redirect or index.html), binaries, 404
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.exists():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@dataclass
class Published:
    origin: str  # http://127.0.0.1:PORT
    prefix: str  # /knowledge-base/
    root: Path
    foreign_requests: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The site's address: origin + prefix."""
        return self.origin + self.prefix

    def page_url(self, relpath: str | Path) -> str:
        return self.url + str(relpath).replace("\\", "/")

    def new_context(self, browser, guard: bool = True, **options):
        """A browser context that aborts and records every request to another host (unless
        ``guard`` is false: interception costs a round trip per request, which distorts timings)."""
        context = browser.new_context(**options)
        if not guard:
            return context

        def guard(route):
            url = route.request.url
            if url.startswith(self.origin + "/") or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                self.foreign_requests.append(url)
                route.abort()

        context.route("**/*", guard)
        return context


@contextlib.contextmanager
def publish(directory: Path, prefix: str | None = None):
    """Serve ``directory`` as a static host publishes a site under ``prefix`` (by default the path
    of ``html_baseurl``): gzip, cache headers, the site's 404 page. Yields a :class:`Published`."""
    prefix = base_path() if prefix is None else prefix
    handler = functools.partial(type("H", (_Handler,), {"prefix": prefix}), directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield Published(f"http://127.0.0.1:{httpd.server_address[1]}", prefix, Path(directory))
    finally:
        httpd.shutdown()
