"""Every page is valid HTML (the Nu HTML Checker), and a crawl of the served site finds no broken
internal link, anchor or resource; robots.txt, sitemap.xml and the canonical links agree."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT

LOADED_RELS = {"stylesheet", "icon", "shortcut", "preload", "modulepreload", "prefetch", "manifest"}
VNU = ROOT / "tools" / "webchecks" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_the_nu_html_checker_reports_no_error_on_any_page(site, tmp_path):
    """The Nu HTML Checker (vnu.jar from npm, run with Java) on every HTML page of the site, plus
    one known-bad page that it must report: proof that it ran, read the files and reports errors."""
    if not VNU.exists():
        pytest.fail("the Nu HTML Checker is not installed: run `make webchecks` (make test does)", pytrace=False)
    java = shutil.which("java")
    assert java, "Java (11 or newer) is needed for the Nu HTML Checker"
    broken = tmp_path / "known-bad.html"
    broken.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p><div>x</p></body></html>')
    pages = [str(site.root / p) for p in site.pages()]
    assert len(pages) > 50
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", str(broken), *pages],
                         capture_output=True, text=True, timeout=600)
    messages = json.loads(run.stderr)["messages"]  # not JSON: the checker failed, which fails the test
    # every message counts: document errors, fatal errors, and errors about a file it could not read
    errors = [(m.get("url", ""), f"{m.get('url', '').split('/html/', 1)[-1]}:{m.get('lastLine')}: {m['type']}: "
               f"{m.get('message')}") for m in messages if m["type"] != "info"]
    assert any(url.endswith("known-bad.html") for url, _ in errors), "the checker did not report the known-bad page"
    assert run.returncode != 0  # it exits non-zero when it found errors
    site_errors = [text for url, text in errors if not url.endswith("known-bad.html")]
    print(f"Nu HTML Checker: {len(pages)} pages, {len(site_errors)} errors")
    assert not site_errors, "\n".join(site_errors[:40])


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


def test_a_crawl_of_the_served_site_finds_no_broken_link_anchor_or_resource(published, site):
    """From the landing page and the 404 page, follow every link and resource on the site's own
    host (page, stylesheet, script, image, icon) and check each #anchor exists on its page."""
    start = [published.url, published.page_url("404.html")]
    queue, seen, ids, broken, anchors = deque(start), set(start), {}, [], []
    while queue:
        url = queue.popleft()
        status, kind, body = fetch(url)
        if status != 200:
            broken.append(f"{url} -> {status}")
            continue
        if kind != "text/html":
            continue
        soup = BeautifulSoup(body, "html.parser")
        ids[url] = {tag["id"] for tag in soup.find_all(id=True)} | {a["name"] for a in soup.find_all("a", attrs={"name": True})}
        for element in soup.find_all(["a", "link", "script", "img"]):
            ref = element.get("href") or element.get("src")
            if not ref or ref.startswith(("mailto:", "data:", "javascript:")):
                continue
            target, fragment = urldefrag(urljoin(url, ref))
            if not target.startswith(published.url):
                # Links may lead elsewhere (sources, the canonical address); nothing may load from there.
                loads = element.name in ("script", "img") or (
                    element.name == "link" and set(element.get("rel", [])) & LOADED_RELS)
                if loads:
                    broken.append(f"{url}: <{element.name}> loads {ref} from another host")
                continue
            if fragment:
                anchors.append((url, target, fragment))
            if target not in seen:
                seen.add(target)
                queue.append(target)
    for page, target, fragment in anchors:
        if target in ids and fragment not in ids[target]:
            broken.append(f"{page}: #{fragment} is not on {target}")
    crawled = [u for u in ids if u.endswith(".html") or u.endswith("/")]
    print(f"crawl: {len(seen)} addresses, {len(crawled)} pages, {len(anchors)} anchors, {len(broken)} broken")
    assert not broken, "\n".join(broken[:50])
    # The crawl reached every page of the site.
    reached = {urlsplit(u).path[len(published.prefix):] or "index.html" for u in ids}
    unreached = [str(p) for p in site.pages() if str(p) not in reached and str(p) != "search.html"]
    assert not unreached, f"pages no link leads to: {unreached}"


def test_robots_txt_and_the_sitemap_list_the_pages_at_the_published_address(site):
    from conf import html_baseurl  # noqa: PLC0415

    robots = (site.root / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and f"Sitemap: {html_baseurl}sitemap.xml" in robots
    tree = ET.parse(site.root / "sitemap.xml")
    locs = {e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    for page in site.content_pages():
        assert f"{html_baseurl}{page}" in locs, f"{page} is not in sitemap.xml"
    assert not any(loc.endswith(("search.html", "404.html", "genindex.html")) for loc in locs)
    canonical = site.soup("topics/security.html").find("link", rel="canonical")
    assert canonical["href"] == f"{html_baseurl}topics/security.html"


def test_every_page_has_a_favicon_title_and_language(site):
    for page in site.pages():
        soup = site.soup(page)
        assert soup.html.get("lang") == "en", page
        assert soup.title and soup.title.get_text(strip=True), page
        icon = soup.find("link", rel=lambda r: r and "icon" in r)
        assert icon and icon.get("href"), f"{page} has no favicon"
