"""Running reader queries through the built site's own search page in a real browser.

Shared by the search tests (tests/test_search.py) and the engine comparison (tools/search_eval.py).
A query is typed the way a reader arrives from the search box: ``search.html?q=<query>``; the
result links are read from the page once the search has finished.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import yaml

QUERIES_FILE = Path(__file__).with_name("search_queries.yml")
TOP = 3

# Both engines compared render their results as links in #search-results; the page sets
# data-search-state="done" (ours) or Sphinx's summary line says "Search finished" or "did not match"
# once every result is shown.
RESULT_LINKS = "#search-results li a.search-result-link, #search-results ul.search > li > a:first-child"
# Ours only: the sections a result leads to, each result's in its own list.
RESULT_SECTIONS = """() => [...document.querySelectorAll('#search-results li.kb-search-result')].map(li =>
  [...li.querySelectorAll('a.kb-search-section-link')].map(a => a.getAttribute('href')))"""
FINISHED = (
    "#search-results[data-search-state=done], "
    "#search-results p.search-summary:has-text('Search finished'), "
    "#search-results p.search-summary:has-text('did not match')"
)
# Installed before any page script runs: records when the first result link enters the page, in
# milliseconds since navigation started (performance.now()).
FIRST_RESULT_PROBE = """
new MutationObserver((_, observer) => {
  if (document.querySelector(%r)) {
    window.__firstResultMs = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


@dataclass
class Query:
    query: str
    expect: str | list[str]  # the page that answers it, or the pages that answer it equally
    kind: str

    @property
    def expected(self) -> list[str]:
        return [self.expect] if isinstance(self.expect, str) else list(self.expect)


@dataclass
class Outcome:
    query: Query
    results: list[str]  # result targets relative to the site root, with any #fragment
    first_result_ms: float
    error: str = ""  # why the search page gave no answer (a script error, a timeout); "" when it did
    sections: list[list[str]] | None = None  # per result, the sections it links to (ours only)

    @property
    def rank(self) -> int | None:
        """1-based rank of the expected page, or None when it is not in the results. A section
        query's page counts by its path: its section is judged by :attr:`section_hit`."""
        expected = self.query.expected
        if self.query.kind == "section":
            expected = [e.partition("#")[0] for e in expected]
        for i, target in enumerate(self.results, start=1):
            if any(matches(target, expect) for expect in expected):
                return i
        return None

    @property
    def hit(self) -> bool:
        return self.rank is not None and self.rank <= TOP

    @property
    def section_hit(self) -> bool:
        """A section query: its page among the first three results, and the expected section among
        the (at most three) sections that result shows."""
        if not self.hit or not self.sections or self.rank > len(self.sections):
            return False
        shown = self.sections[self.rank - 1][:TOP]
        return any(section == expect for section in shown for expect in self.query.expected)


def load_queries(path: Path = QUERIES_FILE) -> list[Query]:
    return [Query(**entry) for entry in yaml.safe_load(path.read_text(encoding="utf-8"))]


def matches(target: str, expect: str) -> bool:
    """A result matches a page expectation by path; a #fragment in the expectation must match too."""
    path, _, fragment = expect.partition("#")
    t_path, _, t_fragment = target.partition("#")
    return t_path == path and (not fragment or t_fragment == fragment)


def relative_target(base: str, href: str) -> str:
    """Result href -> 'path#fragment' relative to the site root (query string dropped)."""
    base = base.rstrip("/")
    absolute = urlsplit(urljoin(base + "/search.html", href))
    prefix = urlsplit(base).path.rstrip("/") + "/"
    path = absolute.path[len(prefix):] if absolute.path.startswith(prefix) else absolute.path.lstrip("/")
    path = path or "index.html"
    if path.endswith("/"):
        path += "index.html"
    return path + (f"#{absolute.fragment}" if absolute.fragment else "")


def install_probe(context) -> None:
    """Make every page of a browser context record when its first search result appears."""
    context.add_init_script(FIRST_RESULT_PROBE % RESULT_LINKS)


def run_query(page, base: str, query: str, timeout_ms: int = 15000) -> tuple[list[str], float]:
    """Open the search page for ``query``; return result targets and ms until the first result
    appeared (NaN when none did). The page's context must have the probe installed."""
    page.goto(f"{base.rstrip('/')}/search.html?q={quote(query)}")
    page.locator(FINISHED).first.wait_for(state="attached", timeout=timeout_ms)
    hrefs = page.locator(RESULT_LINKS).evaluate_all("links => links.map(a => a.getAttribute('href'))")
    first_ms = page.evaluate("window.__firstResultMs ?? NaN")
    return [relative_target(base, h) for h in hrefs], first_ms


def result_sections(page, base: str) -> list[list[str]]:
    """After :func:`run_query`: each result's section links, as targets relative to the site root."""
    return [[relative_target(base, h) for h in hrefs] for hrefs in page.evaluate(RESULT_SECTIONS)]


def run_all(page, base: str, queries: list[Query]) -> list[Outcome]:
    """Every query in turn. A page error or a search that never finishes is recorded as the
    outcome's ``error`` (the tests fail on it): it is a defect, not a miss."""
    from playwright.sync_api import Error as PlaywrightError  # noqa: PLC0415

    outcomes, errors = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for q in queries:
        errors.clear()
        try:
            results, ms = run_query(page, base, q.query)
            outcomes.append(Outcome(q, results, ms, "; ".join(errors), result_sections(page, base)))
        except PlaywrightError as exc:  # a timeout or a crashed page, kept as the outcome's error
            outcomes.append(Outcome(q, [], float("nan"), f"{type(exc).__name__}: {exc}"[:300]))
    return outcomes


def report(outcomes: list[Outcome]) -> str:
    hits = sum(o.hit for o in outcomes)
    lines = [f"top-{TOP}: {hits}/{len(outcomes)} = {hits / len(outcomes):.1%}"]
    sections = [o for o in outcomes if o.query.kind == "section"]
    if sections:
        lines.append(f"  sections in the top {TOP}: {sum(o.section_hit for o in sections)}/{len(sections)}")
    kinds = sorted({o.query.kind for o in outcomes})
    for kind in kinds:
        group = [o for o in outcomes if o.query.kind == kind]
        lines.append(f"  {kind:9} {sum(o.hit for o in group)}/{len(group)}")
    for o in outcomes:
        if o.error:
            lines.append(f"  ERROR {o.query.query!r}: {o.error}")
        elif not o.hit:
            lines.append(f"  MISS {o.query.query!r} -> want {o.query.expect}, rank {o.rank}, got {o.results[:4]}")
        elif o.query.kind == "section" and not o.section_hit:
            lines.append(f"  SECTION MISS {o.query.query!r} -> want {o.query.expect}, "
                         f"got {o.sections[o.rank - 1] if o.sections else []}")
    return "\n".join(lines)
