"""Smoke test in a real Chromium: the built site's search finds a topic."""

import pytest

pytestmark = pytest.mark.browser


def search(page, query: str) -> list[str]:
    """Run the site's own search page and return the result links once it has finished."""
    page.goto(f"/search.html?q={query}")
    page.locator("p.search-summary", has_text="Search finished").wait_for(timeout=15000)
    return page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


def test_search_page_returns_a_topic_for_a_word_on_it(page):
    hrefs = search(page, "safetensors")
    assert any(h.startswith("topics/security.html") for h in hrefs), hrefs
