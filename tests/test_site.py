"""The built site as a whole: strictness, navigation, links, glossary, edit links."""

from __future__ import annotations

import gzip
import re

from .conftest import ROOT, run_make_html
from .helpers import Site

TOPICS = sorted(p.stem for p in (ROOT / "topics").glob("*.md"))


def test_strict_build_rejects_a_warning(scratch_project, tmp_path):
    """`make html` must fail, naming the file, when a page has anything that warns."""
    page = scratch_project / "topics" / f"{TOPICS[0]}.md"
    page.write_text(page.read_text() + "\nSee [a page that does not exist](no-such-page.md).\n")
    result = run_make_html(scratch_project, tmp_path / "out")
    assert result.returncode != 0
    assert f"topics/{TOPICS[0]}.md" in result.stderr
    assert "no-such-page" in result.stderr


def test_readme_and_tooling_are_not_pages(site):
    built = {str(p) for p in site.pages()}
    for name in ("README.html", "tests", "_ext", ".venv", "tools"):
        assert not any(b == name or b.startswith(name + "/") for b in built), name


def test_every_source_page_is_in_the_navigation(site):
    nav = site.soup("index.html").select_one(".sidebar-tree")
    assert nav is not None, "Furo's navigation tree is missing"
    linked = set()
    for a in nav.find_all("a", href=True):
        linked.add((site.root / a["href"].split("#")[0]).resolve())
    linked.add((site.root / "index.html").resolve())
    # the catalogue's entries are not in the sidebar (kb_nav_closed): its table links each of them
    table = site.soup("models/index.html").select_one("table.kb-model-table")
    for a in table.select("tbody a[href]"):
        linked.add((site.root / "models" / a["href"].split("#")[0]).resolve())
    missing = [str(p) for p in site.content_pages() if (site.root / p).resolve() not in linked]
    assert not missing, f"pages not reachable from the toctree: {missing}"
    # and every topic source file became a page
    for stem in TOPICS:
        assert (site.root / "topics" / f"{stem}.html").exists(), stem


def test_internal_links_and_anchors_resolve(site):
    broken = []
    for page in site.pages():
        for href, target, fragment in site.internal_links(page):
            if not target.exists():
                broken.append(f"{page}: {href} (no file)")
            elif fragment and target.suffix == ".html":
                rel = target.relative_to(site.root.resolve())
                if fragment not in site.ids(rel):
                    broken.append(f"{page}: {href} (no id {fragment!r})")
    assert not broken, "broken internal links:\n" + "\n".join(broken[:50])


def test_glossary_renders_its_terms(site):
    soup = site.soup("glossary.html")
    terms = soup.select("dl.glossary > dt")
    assert len(terms) >= 10
    for dt in terms:
        assert dt.get("id", "").startswith("term-"), dt
        assert dt.find_next_sibling("dd").get_text(strip=True), f"empty definition: {dt.text}"


def test_term_links_point_into_the_glossary(site):
    ids = site.ids("glossary.html")
    found = 0
    for stem in TOPICS:
        for a in site.soup(f"topics/{stem}.html").select("a.reference.internal"):
            if a.find(class_="xref std std-term"):
                assert a["href"].startswith("../glossary.html#term-"), a["href"]
                assert a["href"].split("#", 1)[1] in ids
                found += 1
    assert found > 0


def test_edit_link_points_at_the_topic_source(site):
    from conf import repository_branch, repository_url  # noqa: PLC0415

    for stem in TOPICS:
        link = site.soup(f"topics/{stem}.html").select_one('a[rel="edit"]')
        assert (ROOT / "topics" / f"{stem}.md").exists()
        if not repository_url:  # no repository known (a local clone): no link to a guessed address
            assert link is None, stem
            continue
        assert link is not None, stem
        assert link["href"] == f"{repository_url}/edit/{repository_branch}/topics/{stem}.md"


def test_incremental_build_rewrites_only_what_changed(scratch_project, tmp_path):
    """A second `make html` after editing one topic must not redo the whole site."""
    out = tmp_path / "out"
    assert run_make_html(scratch_project, out).returncode == 0
    # pages built from a source file (generated pages such as tag lists are written every build)
    html = out / "html"
    pages = [p for p in html.rglob("*.html") if (scratch_project / p.relative_to(html)).with_suffix(".md").exists()]
    before = {p: p.stat().st_mtime_ns for p in pages}
    sitemap = (html / "sitemap.xml").read_text()
    page = scratch_project / "topics" / f"{TOPICS[0]}.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    second = run_make_html(scratch_project, out)
    assert second.returncode == 0, second.stderr
    log = second.stdout + second.stderr
    assert "configuration has changed" not in log
    assert "targets for 1 source files that are out of date" in log
    read = [line for line in log.splitlines() if line.startswith("reading sources...")]
    assert len(read) == 1 and read[0].endswith(f"topics/{TOPICS[0]}"), read
    # Judge by the files themselves, not by how the log is printed: the edited page is rewritten,
    # and of the other source pages only the few that show something of it may be.
    rewritten = {str(p.relative_to(html)) for p in pages if p.stat().st_mtime_ns != before[p]}
    assert f"topics/{TOPICS[0]}.html" in rewritten
    assert len(rewritten) <= 5, sorted(rewritten)
    assert "One more sentence." in (html / "topics" / f"{TOPICS[0]}.html").read_text()
    # the sitemap still lists every page, not only the pages this build wrote
    assert (html / "sitemap.xml").read_text() == sitemap
    # the search index, written over the previous one, has the new sentence and every file it lists
    index = Site(html)
    assert "One more sentence." in index.search_index_text()
    pagefind = html / "pagefind"
    meta = gzip.decompress(next(pagefind.glob("pagefind.*.pf_meta")).read_bytes()).decode("utf-8", "replace")
    listed = set(re.findall(r"en_[0-9a-f]{7,}", meta))
    files = {p.stem for p in [*pagefind.glob("fragment/*"), *pagefind.glob("index/*")]}
    assert files == listed
    # pages written again and pages left alone alike keep exactly one Content-Security-Policy
    for p in html.rglob("*.html"):
        if not p.relative_to(html).parts[0].startswith(("_", "pagefind")):
            assert p.read_text().count('http-equiv="Content-Security-Policy"') == 1, p


def test_an_edit_of_the_pages_manifest_alone_is_checked_again(scratch_project, tmp_path):
    """Only pages.txt changes: the next incremental build must still compare it with the pages."""
    out = tmp_path / "out"
    assert run_make_html(scratch_project, out).returncode == 0
    with (scratch_project / "pages.txt").open("a", encoding="utf-8") as manifest:
        manifest.write("topics/a-page-that-went-away\n")
    second = run_make_html(scratch_project, out)
    assert second.returncode != 0
    assert "topics/a-page-that-went-away" in second.stderr
