"""The knowledge base's content, measured on the built site: size, depth, links and sources."""

from __future__ import annotations

import statistics
from urllib.parse import urlsplit

import pytest

from .test_site import TOPICS

MIN_TOPICS = 12
MIN_WORDS = 600
MIN_TERMS_PER_PAGE = 6
MIN_TOPIC_LINKS = 3
MIN_GLOSSARY_TERMS = 60
MIN_SOURCES = 50


def prose(site, stem):
    """Paragraphs of a topic's own text: no Sources list, nothing the kb extension adds."""
    article = site.soup(f"topics/{stem}.html").select_one("article")
    paragraphs = []
    for p in article.find_all("p"):
        if p.find_parent("section", id="sources"):
            continue
        if any(
            any(c.startswith("kb-") for c in parent.get("class", []))
            for parent in p.parents
            if parent is not article and hasattr(parent, "get")
        ):
            continue
        paragraphs.append(p)
    return paragraphs


def words(paragraphs) -> int:
    return sum(len(p.get_text(" ", strip=True).split()) for p in paragraphs)


def test_there_are_enough_topic_pages():
    assert len(TOPICS) >= MIN_TOPICS, TOPICS


@pytest.mark.parametrize("stem", TOPICS)
def test_topic_is_a_real_article(site, stem):
    count = words(prose(site, stem))
    assert count >= MIN_WORDS, f"{stem}: {count} words of prose"
    headings = site.soup(f"topics/{stem}.html").select("article h2")
    assert len(headings) >= 3, f"{stem}: only {len(headings)} sections"


def test_median_length_is_well_above_the_minimum(site):
    median = statistics.median(words(prose(site, stem)) for stem in TOPICS)
    assert median >= 1.5 * MIN_WORDS, median


def linked_terms(paragraphs) -> set[str]:
    return {
        a["href"].split("#", 1)[1]
        for p in paragraphs
        for a in p.find_all("a", href=True)
        if a.find(class_="std-term")
    }


def linked_topics(paragraphs, stem) -> set[str]:
    found = set()
    for p in paragraphs:
        for a in p.find_all("a", href=True):
            path = urlsplit(a["href"]).path
            if a.find(class_="std-term") or urlsplit(a["href"]).scheme or not path.endswith(".html"):
                continue
            name = path.rsplit("/", 1)[-1][: -len(".html")]
            if name in TOPICS and name != stem:
                found.add(name)
    return found


@pytest.mark.parametrize("stem", TOPICS)
def test_topic_links_glossary_terms_and_other_topics(site, stem):
    paragraphs = prose(site, stem)
    terms = linked_terms(paragraphs)
    assert len(terms) >= MIN_TERMS_PER_PAGE, f"{stem}: links only {sorted(terms)}"
    topics = linked_topics(paragraphs, stem)
    assert len(topics) >= MIN_TOPIC_LINKS, f"{stem}: links only to topics {sorted(topics)}"


def glossary_ids(site) -> set[str]:
    return {dt["id"] for dt in site.soup("glossary.html").select("dl.glossary > dt")}


def test_glossary_is_large_enough(site):
    assert len(glossary_ids(site)) >= MIN_GLOSSARY_TERMS


def test_every_glossary_term_is_linked_from_a_topic(site):
    used = set().union(*(linked_terms(prose(site, stem)) for stem in TOPICS))
    unused = glossary_ids(site) - used
    assert not unused, f"terms no topic links to: {sorted(unused)}"


def external_links(site):
    for stem in TOPICS:
        for a in site.soup(f"topics/{stem}.html").select("article a[href]"):
            if urlsplit(a["href"]).scheme in ("http", "https"):
                yield stem, a["href"]


def test_sources_are_many_distinct_and_https(site):
    links = list(external_links(site))
    insecure = [(stem, href) for stem, href in links if not href.startswith("https://")]
    assert not insecure
    distinct = {href.split("#")[0].rstrip("/") for _, href in links}
    assert len(distinct) >= MIN_SOURCES, len(distinct)


@pytest.mark.parametrize("stem", TOPICS)
def test_every_topic_lists_its_sources(site, stem):
    section = site.soup(f"topics/{stem}.html").select_one("section#sources")
    assert section is not None, f"{stem} has no Sources section"
    assert section.select('a[href^="https://"]'), f"{stem}: Sources lists no link"
