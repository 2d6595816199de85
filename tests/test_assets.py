"""Each page loads only the styles and scripts it uses (kb.assets), and no unused search index."""

from __future__ import annotations

from .test_site import TOPICS


def loaded(site, page: str) -> set[str]:
    soup = site.soup(page)
    refs = [t["href"] for t in soup.find_all("link", rel="stylesheet", href=True)]
    refs += [t["src"] for t in soup.find_all("script", src=True)]
    return {ref.split("?")[0].rsplit("/", 1)[-1] for ref in refs}


def test_topic_pages_leave_out_what_they_do_not_use(site):
    for stem in TOPICS:
        page = f"topics/{stem}.html"
        html = str(site.soup(page).select_one("article"))
        files = loaded(site, page)
        assert "furo.css" in files and "furo.js" in files, page
        assert 'class="sd-' not in html and "sphinx-design.min.css" not in files, page
        assert "design-tabs.js" not in files, page
        assert 'class="highlight' not in html and "pygments.css" not in files, page
        assert "sphinx_highlight.js" not in files, page


def test_pages_that_use_components_or_code_still_load_their_styles(site):
    index = loaded(site, "index.html")
    assert site.soup("index.html").select(".sd-card") and "sphinx-design.min.css" in index
    guide = loaded(site, "contributing/index.html")
    assert site.soup("contributing/index.html").select("div.highlight") and "pygments.css" in guide
    # every file a page names exists in the output
    for page in ("index.html", "contributing/index.html", f"topics/{TOPICS[0]}.html", "search.html"):
        soup = site.soup(page)
        for ref in [t["href"] for t in soup.find_all("link", rel="stylesheet", href=True)] + [
            t["src"] for t in soup.find_all("script", src=True)
        ]:
            assert (site.root / page).parent.joinpath(ref.split("?")[0]).resolve().is_file(), (page, ref)


def test_sphinx_builds_no_search_index_nobody_reads(site):
    assert not (site.root / "searchindex.js").exists()
    assert (site.root / "pagefind" / "pagefind.js").is_file()
    search = site.soup("search.html")
    assert search.select_one("#kb-search-form") is not None
    assert "searchtools.js" not in loaded(site, "search.html")
