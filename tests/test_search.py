"""Search that finds the right page: the site's search page in a real Chromium, on the built site.

The reader queries and the page each should find are in tests/search_queries.yml (written from
the pages' content). tools/search_eval.py prints the same measurement for any built site.
"""

from __future__ import annotations

import math

import pytest

from .publishing import published  # noqa: F401 - fixture
from .searching import TOP, install_probe, load_queries, matches, report, run_all, run_query

pytestmark = pytest.mark.browser

REQUIRED_SHARE = 0.90
QUERIES = load_queries()


def test_the_query_set_is_realistic_and_points_at_real_pages(site):
    """At least 40 queries of every kind the issue names, each expecting a page (and glossary
    entry) that exists in the built site."""
    assert len(QUERIES) >= 40
    kinds = {q.kind for q in QUERIES}
    assert {"word", "phrase", "term", "acronym", "law", "licence", "spelling", "form"} <= kinds
    assert len({q.query.lower() for q in QUERIES}) == len(QUERIES), "a query is listed twice"
    for q in QUERIES:
        path, _, fragment = q.expect.partition("#")
        assert (site.root / path).is_file(), f"{q.query!r} expects {path}, which the site does not have"
        if fragment:
            assert fragment in site.ids(path), f"{q.query!r} expects #{fragment} on {path}"


@pytest.fixture(scope="module")
def outcomes(browser, published):  # noqa: F811
    context = published.new_context(browser, guard=False)  # timings without request interception
    install_probe(context)
    page = context.new_page()
    # The site's address without its trailing slash: result links resolve against it.
    results = run_all(page, published.url.rstrip("/"), QUERIES)
    context.close()
    return results


def test_search_puts_the_right_page_in_the_top_3_for_90_percent_of_queries(outcomes, record_property):
    hits = sum(o.hit for o in outcomes)
    share = hits / len(outcomes)
    summary = report(outcomes)
    print(summary)
    record_property("search_top3_share", share)
    assert share >= REQUIRED_SHARE, f"only {share:.1%} of queries find their page in the top {TOP}:\n{summary}"


def test_first_result_time_is_measured(outcomes, record_property):
    """How long until the first result shows, from the start of navigation to the search page.
    Reported (pytest -rA shows it), not asserted: timings vary with the machine's load."""
    times = sorted(o.first_result_ms for o in outcomes if not math.isnan(o.first_result_ms))
    assert times, "no query showed any result"
    median, worst = times[len(times) // 2], times[-1]
    record_property("first_result_ms_median", round(median))
    record_property("first_result_ms_max", round(worst))
    print(f"first search result after {median:.0f} ms (median of {len(times)} queries), {worst:.0f} ms at most")


def test_results_show_a_snippet_of_the_matching_text(browser, published):  # noqa: F811
    context = published.new_context(browser)
    page = context.new_page()
    targets, _ = run_query(page, published.url.rstrip("/"), "data poisoning")
    assert targets
    first = page.locator("#search-results li.kb-search-result").first
    snippet = first.locator(".kb-search-excerpt")
    assert snippet.inner_text().strip()
    marked = [m.lower() for m in snippet.locator("mark").all_inner_texts()]
    assert any(m.startswith(("poison", "data")) for m in marked), marked
    status = page.locator("#kb-search-status").inner_text()
    assert "result" in status and "data poisoning" in status
    context.close()


def test_a_glossary_term_is_a_result_of_its_own(browser, published):  # noqa: F811
    context = published.new_context(browser)
    page = context.new_page()
    targets, _ = run_query(page, published.url.rstrip("/"), "safetensors")
    assert matches(targets[0], "glossary.html#term-safetensors"), targets[:3]
    assert page.locator("#search-results li .kb-search-kind").first.inner_text().strip().lower() == "glossary"
    context.close()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("organisation", "organization"),  # British -ise to the site's -ize
        ("behavior", "behaviour"),  # American -or to British -our
        ("liable", "liability"),  # a word form from the synonym list
        ("CRA", "cyber resilience act"),  # an acronym expanded
    ],
)
def test_queries_also_run_in_their_other_spellings_and_forms(browser, published, query, expected):  # noqa: F811
    context = published.new_context(browser)
    page = context.new_page()
    run_query(page, published.url.rstrip("/"), query)
    alternatives = page.evaluate(
        "([q]) => KBSearch.alternatives(q, JSON.parse(document.getElementById('kb-search-synonyms').textContent))",
        [query],
    )
    assert alternatives[0] == query.lower()
    assert expected in alternatives, alternatives
    context.close()


def test_an_empty_query_and_a_query_without_results_say_so(browser, published):  # noqa: F811
    context = published.new_context(browser)
    page = context.new_page()
    base = published.url.rstrip("/")
    assert run_query(page, base, "")[0] == []
    assert "Type" in page.locator("#kb-search-status").inner_text()
    assert run_query(page, base, "zzzqqqxxy")[0] == []
    assert "No results" in page.locator("#kb-search-status").inner_text()
    context.close()


def test_the_search_index_has_each_page_and_glossary_entry_but_no_navigation(site):
    """Pagefind indexed the article of every page, not the sidebar, and each glossary entry."""
    entry = site.root / "pagefind" / "pagefind-entry.json"
    assert entry.is_file() and entry.stat().st_size > 0
    assert not list((site.root / "pagefind").glob("pagefind-ui*")), "unused Pagefind UI bundles are shipped"
    assert (site.root / "pagefind" / "pagefind.js").is_file()


def test_pages_left_out_of_the_search_are_not_in_the_index(site):
    """kb_search_excludes: the hub pages (lists made of other pages) are not search results; the
    topics and the glossary entries are."""
    from conf import kb_search_excludes  # noqa: PLC0415 - conf.py is importable from the repository root

    text = site.search_index_text()
    assert kb_search_excludes, "conf.py leaves the hub pages out of the search"
    for docname in kb_search_excludes:
        assert (site.root / f"{docname}.html").is_file(), docname
        assert f'"url":"/{docname}.html"' not in text, f"{docname} is in the search index"
    assert '"url":"/topics/licences.html"' in text
    assert '"url":"/_glossary/' in text
