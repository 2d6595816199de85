"""The built site as a whole: strictness, navigation, links, glossary, edit links."""

from __future__ import annotations

from .conftest import ROOT

TOPICS = sorted(p.stem for p in (ROOT / "topics").glob("*.md"))


def test_readme_and_tooling_are_not_pages(site):
    """Nothing of the repository's own files is published: every file and folder in the output."""
    built = {p.relative_to(site.root).as_posix() for p in site.root.rglob("*")}
    assert "topics/licences.html" in built  # the listing sees pages
    for name in ("README.html", "CONTRIBUTING.html", "SECURITY.html", "tests", "_ext", ".venv", "tools", "benchmarks",
                 "changes", "_sources/README.md.txt"):
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
