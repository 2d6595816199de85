"""Search that finds the right page: the site's search page in a real Chromium, on the built site.

The reader queries and the page each should find are in tests/search_queries.yml (written from
the pages' content). tools/search_eval.py prints the same measurement for any built site.
"""

from __future__ import annotations

import gzip
import json
import math

import pytest

from .searching import TOP, install_probe, load_queries, report, run_all, run_query

pytestmark = pytest.mark.browser

REQUIRED_SHARE = 0.90  # of all queries
REQUIRED_KIND_SHARE = 0.80  # of each kind (spelling, acronym, form, ...), so no kind can fail wholesale
QUERIES = load_queries()


def test_the_query_set_is_realistic_and_points_at_real_pages(site):
    """At least 40 queries of every kind the issue names, each expecting a page (and glossary
    entry) that exists in the built site."""
    assert len(QUERIES) >= 40
    kinds = {q.kind for q in QUERIES}
    assert {"word", "phrase", "term", "acronym", "law", "licence", "spelling", "form"} <= kinds
    assert len({q.query.lower() for q in QUERIES}) == len(QUERIES), "a query is listed twice"
    for q in QUERIES:
        for expect in q.expected:
            path, _, fragment = expect.partition("#")
            assert (site.root / path).is_file(), f"{q.query!r} expects {path}, which the site does not have"
            if fragment:
                assert fragment in site.ids(path), f"{q.query!r} expects #{fragment} on {path}"


@pytest.fixture(scope="module")
def outcomes(browser, published):
    context = published.new_context(browser, guard=False)  # timings without request interception
    install_probe(context)
    page = context.new_page()
    # The site's address without its trailing slash: result links resolve against it.
    results = run_all(page, published.url, QUERIES)
    context.close()
    return results


def test_search_puts_the_right_page_in_the_top_3_for_90_percent_of_queries_and_80_percent_of_each_kind(
        outcomes, record_property):
    summary = report(outcomes)
    print(summary)
    failed = [f"{o.query.query!r}: {o.error}" for o in outcomes if o.error]
    assert not failed, "the search page failed (not a miss: a defect):\n" + "\n".join(failed)
    share = sum(o.hit for o in outcomes) / len(outcomes)
    record_property("search_top3_share", share)
    assert share >= REQUIRED_SHARE, f"only {share:.1%} of queries find their page in the top {TOP}:\n{summary}"
    for kind in sorted({o.query.kind for o in outcomes}):
        group = [o for o in outcomes if o.query.kind == kind]
        kind_share = sum(o.hit for o in group) / len(group)
        assert kind_share >= REQUIRED_KIND_SHARE, f"{kind}: only {kind_share:.0%} in the top {TOP}:\n{summary}"


def test_first_result_time_is_measured(outcomes, record_property):
    """How long until the first result shows, from the start of navigation to the search page.
    Reported (pytest -rA shows it), not asserted: timings vary with the machine's load."""
    times = sorted(o.first_result_ms for o in outcomes if not math.isnan(o.first_result_ms))
    assert times, "no query showed any result"
    median, worst = times[len(times) // 2], times[-1]
    record_property("first_result_ms_median", round(median))
    record_property("first_result_ms_max", round(worst))
    print(f"first search result after {median:.0f} ms (median of {len(times)} queries), {worst:.0f} ms at most")


def test_results_show_a_snippet_of_the_matching_text(browser, published):
    context = published.new_context(browser)
    page = context.new_page()
    targets, _ = run_query(page, published.url, "data poisoning")
    assert targets
    first = page.locator("#search-results li.kb-search-result").first
    snippet = first.locator(".kb-search-excerpt")
    assert snippet.inner_text().strip()
    marked = [m.lower() for m in snippet.locator("mark").all_inner_texts()]
    assert any(m.startswith(("poison", "data")) for m in marked), marked
    status = page.locator("#kb-search-status").inner_text()
    assert "result" in status and "data poisoning" in status
    context.close()


@pytest.mark.parametrize("query", ["safetensors", "model card", "open weights"])
def test_searching_a_glossary_term_lists_its_entry_first(browser, published, site, query):
    """A glossary entry is a result of its own, labelled as such, ahead of the pages using the term."""
    term_id = next(dt["id"] for dt in site.soup("glossary.html").select("dl.glossary > dt[id]")
                   if " ".join(dt.get_text().split()).rstrip("#¶ ").lower() == query)
    context = published.new_context(browser)
    page = context.new_page()
    targets, _ = run_query(page, published.url, query)
    assert targets and targets[0] == f"glossary.html#{term_id}", targets[:5]
    assert page.locator("#search-results li .kb-search-kind").first.inner_text().strip().lower() == "glossary"
    context.close()


@pytest.mark.parametrize(
    "query, marked_form, page_",
    [
        ("democratisation", "democratiz", "topics/democratizing-innovation.html"),  # British -ise to -ize
        ("serialisation", "serializ", "topics/security.html"),
        ("liable", "liabil", "topics/accountability.html"),  # a word form from the synonym list
        ("CRA", "cyber", "topics/regulation.html"),  # an acronym expanded
    ],
)
def test_a_query_finds_pages_that_only_use_its_other_spelling_or_form(browser, published, site, query, marked_form,
                                                                       page_):
    """End to end: the page is found through the other form, and the snippet marks the form the
    page uses. The two spelling queries are words the site never writes, so only the expansion can
    find anything for them."""
    text = site.search_index_text().lower()
    assert query not in ("democratisation", "serialisation") or f" {query}" not in text, f"the site writes {query!r}"
    context = published.new_context(browser)
    page = context.new_page()
    targets, _ = run_query(page, published.url, query)
    assert any(t.startswith(page_) for t in targets[:TOP]), targets[:5]
    marked = " ".join(page.locator("#search-results .kb-search-excerpt mark").all_inner_texts()).lower()
    assert marked_form in marked, marked
    context.close()


def test_an_empty_query_and_a_query_without_results_say_so(browser, published):
    context = published.new_context(browser)
    page = context.new_page()
    base = published.url
    assert run_query(page, base, "")[0] == []
    assert "Type" in page.locator("#kb-search-status").inner_text()
    assert run_query(page, base, "zzzqqqxxy")[0] == []
    assert "No results" in page.locator("#kb-search-status").inner_text()
    context.close()


NAVIGATION = ("Skip to content", "Back to top", "On this page", "Made with")  # theme text outside the article


def index_records(site) -> dict[str, dict]:
    """url -> record of every entry in the built Pagefind index (its gzipped fragment files)."""
    records = {}
    for path in sorted((site.root / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        records.update({(r := json.loads(data[data.index(b"{"):]))["url"]: r})
    return records


def test_the_search_index_has_each_page_and_glossary_entry_but_no_navigation(site):
    """Pagefind indexed the article of every page (not the theme's navigation around it), and each
    glossary entry as a record of its own that leads to the entry."""
    from conf import kb_search_excludes  # noqa: PLC0415 - conf.py is importable from the repository root

    records = index_records(site)
    left_out = {f"{d}.html" for d in kb_search_excludes} | {"404.html"}
    expected = [str(p) for p in site.content_pages() if str(p) not in left_out]
    assert len(expected) > 50
    missing = [p for p in expected if f"/{p}" not in records]
    assert not missing, f"pages missing from the search index: {missing}"
    terms = [dt["id"] for dt in site.soup("glossary.html").select("dl.glossary > dt[id]")]
    targets = {r["meta"].get("target") for r in records.values()}
    assert terms and not [t for t in terms if f"/glossary.html#{t}" not in targets], "a glossary entry has no record"
    page = str(site.soup("topics/security.html"))
    assert all(text in page for text in NAVIGATION), "the theme's navigation text changed: update NAVIGATION"
    leaked = [(url, text) for url, r in records.items() for text in NAVIGATION if text in r["content"]]
    assert not leaked, f"navigation text in the index: {leaked[:5]}"
    assert not list((site.root / "pagefind").glob("pagefind-ui*")), "unused Pagefind UI bundles are shipped"


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
