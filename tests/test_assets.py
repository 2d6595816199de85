"""Each page loads only the styles and scripts it uses (kb.assets), and no unused search index."""

from __future__ import annotations

from .helpers import site_path


def loaded(site, page: str) -> set[str]:
    soup = site.soup(page)
    refs = [t["href"] for t in soup.find_all("link", rel="stylesheet", href=True)]
    refs += [t["src"] for t in soup.find_all("script", src=True)]
    return {ref.split("?")[0].rsplit("/", 1)[-1] for ref in refs}


# What a page may use, and the files that serve it: a page loads them if and only if it uses it.
FEATURES = {
    "sphinx-design components": ('[class*="sd-"]', {"sphinx-design.min.css", "design-tabs.js"}),
    "highlighted code": ("div.highlight", {"pygments.css"}),
}


def test_each_page_loads_a_components_files_if_and_only_if_it_uses_it(site):
    """The rule, on every page: a page with a card or tab loads sphinx-design's style and a page
    without one does not; the same for highlighted code and Pygments' style."""
    seen = {name: [0, 0] for name in FEATURES}  # pages that use it, pages that do not
    for page in site.pages():
        article = site.soup(page).select_one("article") or site.soup(page)
        files = loaded(site, str(page))
        assert "furo.css" in files and "furo.js" in files, page
        assert "sphinx_highlight.js" not in files, page
        for name, (selector, needed) in FEATURES.items():
            uses = bool(article.select(selector))
            seen[name][not uses] += 1
            assert (needed <= files) == uses, f"{page}: uses {name}: {uses}, loads {sorted(needed & files)}"
    # the site has pages of both kinds for each, so the rule was tried both ways
    assert all(used and unused for used, unused in seen.values()), seen


def test_every_style_and_script_a_page_names_exists(site):
    for page in site.pages():
        soup = site.soup(page)
        for ref in [t["href"] for t in soup.find_all("link", rel="stylesheet", href=True)] + [
            t["src"] for t in soup.find_all("script", src=True)
        ]:
            path = ref.split("?")[0]
            if path.startswith("/"):  # the 404 page's addresses work at any depth: from the site's root
                target = site.root / path.removeprefix(site_path())
            else:
                target = (site.root / page).parent / path
            assert target.resolve().is_file(), (page, ref)


def test_sphinx_builds_no_search_index_nobody_reads(site):
    assert not (site.root / "searchindex.js").exists()
    assert (site.root / "pagefind" / "pagefind.js").is_file()
    search = site.soup("search.html")
    assert search.select_one("#kb-search-form") is not None
    assert "searchtools.js" not in loaded(site, "search.html")
