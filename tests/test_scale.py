"""The site keeps working when it grows: a few hundred generated pages (tools/synthetic.py).

No timing here (that is `make bench`): the navigation must stay a per-branch tree and the search
must still find a page deep in the hierarchy.
"""

from __future__ import annotations

import json
import shutil
import sys

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT, copy_project, run_make_html
from .publishing import publish
from .searching import run_query

sys.path.insert(0, str(ROOT / "tools"))
import synthetic  # noqa: E402

EXTRA = 300


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("scale")
    project = copy_project(base / "project")
    docnames = synthetic.generate(project, EXTRA)
    # tests/navcompare.py records, for every page, kb.navigation's sidebar tree and Sphinx's own
    shutil.copy(ROOT / "tests" / "navcompare.py", project / "_ext")
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        # the comparison is with Sphinx's own tree, which knows no closed branches
        conf.write('\nextensions.append("navcompare")\nkb_nav_closed = []\n')
    result = run_make_html(project, base / "out")
    assert result.returncode == 0, result.stderr[-5000:]
    return base / "out" / "html", docnames


def sidebar_links(html_root, page: str) -> list[str]:
    soup = BeautifulSoup((html_root / page).read_text(), "html.parser")
    return [a["href"] for a in soup.select(".sidebar-tree a.reference")]


def test_every_generated_page_is_built(big_site):
    html_root, docnames = big_site
    assert len(docnames) == EXTRA
    missing = [d for d in docnames if not (html_root / f"{d}.html").exists()]
    assert not missing


def test_sidebar_shows_the_current_branch_only(big_site):
    html_root, docnames = big_site
    page = docnames[EXTRA // 2]  # a page in a middle part
    links = sidebar_links(html_root, f"{page}.html")
    own_part = page.rsplit("/", 1)[0]
    siblings = [d for d in docnames if d.startswith(own_part + "/") and d != page]
    # its own part is expanded: every sibling is in the sidebar ...
    assert all(any(link.endswith(d.rsplit("/", 1)[1] + ".html") for link in links) for d in siblings)
    # ... but pages of other parts are not, so the sidebar does not grow with the whole site
    assert len(links) < len(siblings) + 60, len(links)
    # and the real topics are still listed at the top level
    assert any(link.endswith("security.html") for link in links)


def test_sidebar_tree_is_exactly_what_sphinx_would_render(big_site):
    """kb.navigation renders each page's branch itself (Sphinx's collapsed toctree is quadratic);
    on every page of the grown site the HTML must equal Sphinx's, from the fast path."""
    html_root, _ = big_site
    report = json.loads((html_root / "navcompare.json").read_text())
    assert report["fast_path"], "the site's toctrees should not need Sphinx's slow path"
    assert report["pages"] >= EXTRA
    assert not report["different"], sorted(report["different"])[:5]


@pytest.fixture()
def big_server(big_site):
    """The grown site as a static host publishes it; its address ends in "/"."""
    with publish(big_site[0]) as host:
        yield host.url


@pytest.mark.browser
def test_search_finds_a_deep_generated_page(browser, big_server, big_site):
    _, docnames = big_site
    target = docnames[EXTRA - 7]
    number = target.rsplit("-", 1)[1]
    context = browser.new_context(base_url=big_server)
    page = context.new_page()
    try:
        hrefs, _ = run_query(page, big_server, f"kbsyn{number}")
    finally:
        context.close()
    assert any(h.split("#")[0].endswith(f"{target}.html") for h in hrefs), hrefs[:5]


@pytest.mark.browser
def test_navigation_works_in_the_browser(browser, big_server, big_site):
    _, docnames = big_site
    context = browser.new_context(base_url=big_server)
    page = context.new_page()
    try:
        page.goto(f"{docnames[0]}.html")
        next_link = page.locator(".sidebar-tree li.current-page ~ li a").first
        href = next_link.get_attribute("href")
        next_link.click()
        page.wait_for_load_state()
        assert page.url.endswith(href.split("/")[-1])
        assert page.locator("h1").first.inner_text().startswith("Synthetic topic")
    finally:
        context.close()
