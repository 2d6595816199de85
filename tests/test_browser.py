"""Smoke test in a real Chromium: the built site's search finds a topic."""

import pytest

from .searching import FINISHED, RESULT_LINKS

pytestmark = pytest.mark.browser


def search(page, query: str) -> list[str]:
    """Run the site's own search page and return the result links once it has finished."""
    page.goto(f"/search.html?q={query}")
    page.locator(FINISHED).first.wait_for(state="attached", timeout=15000)
    return page.locator(RESULT_LINKS).evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_search_page_returns_a_topic_for_a_word_on_it(page):
    hrefs = search(page, "safetensors")
    assert any(h.startswith("topics/security.html") for h in hrefs), hrefs
