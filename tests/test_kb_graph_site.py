"""The knowledge-graph features on the real site: every topic, tag, term and source is covered."""

from __future__ import annotations

import json
from urllib.parse import urldefrag, urljoin

import yaml

from .conftest import ROOT
from .test_site import TOPICS


def front_matter(stem: str) -> dict:
    text = (ROOT / "topics" / f"{stem}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_every_topic_ends_with_see_also_and_referenced_by(site):
    for stem in TOPICS:
        page = site.soup(f"topics/{stem}.html")
        sections = [s.get("id") for s in page.select("article > section > section")]
        assert sections[-1] == "referenced-by", f"{stem}: the page must end with 'Referenced by'"
        backlinks = page.select("#referenced-by ul.kb-backlinks-list > li")
        assert backlinks, f"{stem}: no page links here"
        assert all(li.select_one("p.kb-backlink-context") for li in backlinks), stem
        if front_matter(stem).get("related"):
            assert sections[-2] == "see-also", stem
            assert len(page.select("#see-also li")) == len(front_matter(stem)["related"]), stem


def test_meta_description_is_the_summary(site):
    for stem in TOPICS:
        head = site.soup(f"topics/{stem}.html").head
        summary = " ".join(front_matter(stem)["summary"].split())
        assert head.find("meta", attrs={"name": "description"})["content"] == summary, stem
        assert head.find("meta", property="og:description")["content"] == summary, stem
        assert head.find("meta", property="og:title")["content"], stem
        assert head.find("meta", property="og:type")["content"] == "article", stem


def test_every_tag_has_a_page_listing_its_topics(site):
    import conf  # noqa: PLC0415

    for tag in conf.kb_tags:
        assert (site.root / "tags" / f"{tag}.html").exists(), tag
    index = {a["href"] for a in site.soup("tags.html").select(".kb-tag-index a")}
    assert index == {f"tags/{tag}.html" for tag in conf.kb_tags}
    for stem in TOPICS:
        for tag in front_matter(stem)["tags"]:
            listed = [a["href"] for a in site.soup(f"tags/{tag}.html").select(".kb-topic-list a")]
            assert f"../topics/{stem}.html" in listed, (tag, stem)
        tag_line = [a.get_text() for a in site.soup(f"topics/{stem}.html").select("p.kb-tags a")]
        assert tag_line == front_matter(stem)["tags"], stem


def test_topic_map_shows_every_topic_and_its_links(site):
    page = site.soup("topic-map.html")
    nodes = {a["href"] for a in page.select("svg.kb-topic-map a.kb-map-node")}
    assert nodes == {f"topics/{stem}.html" for stem in TOPICS}
    listed = [li.find("a")["href"] for li in page.select(".kb-map-text > ul > li")]
    assert sorted(listed) == sorted(f"topics/{stem}.html" for stem in TOPICS)
    assert len(page.select("svg.kb-topic-map path.kb-edge")) >= len(TOPICS)


def distinct_sources_in_topic_pages(site) -> set[str]:
    found = set()
    for stem in TOPICS:
        for a in site.soup(f"topics/{stem}.html").select("article a.reference.external[href^='https://']"):
            found.add(urldefrag(a["href"])[0].rstrip("/"))
    return found


def test_references_list_every_cited_source_once(site):
    listed = [a["href"] for a in site.soup("references.html").select("ol.kb-references a.kb-source-url")]
    assert len(listed) == len(set(listed))
    cited = distinct_sources_in_topic_pages(site)
    assert cited and {url.rstrip("/") for url in listed} == cited


def test_glossary_entries_list_where_they_are_used(site):
    page = site.soup("glossary.html")
    entries = page.select("dl.glossary > dd")
    assert entries
    for dd in entries:
        assert dd.select_one("p.kb-term-usage"), dd.find_previous_sibling("dt").get_text()
    assert page.select_one("[data-kb-glossary-filter] input[type=search]")


def test_previews_cover_every_term_and_topic_link(site):
    """Every {term} link on every page, and every prose link from a topic to another topic, a model
    or a licence, has its preview in the linking page's own data."""
    previewed_terms, previewed_pages = set(), set()
    for page_path in site.content_pages():
        page = site.soup(page_path)
        block = page.select_one('script#kb-previews-data[type="application/json"]')
        data = json.loads(block.string) if block is not None else {"terms": {}, "pages": {}}
        base = f"https://kb.invalid/{page_path}"
        for a in page.select("article a.reference.internal"):
            generated = a.find_parent(lambda tag: any(c.startswith(("kb-", "sd-")) for c in tag.get("class", [])))
            if generated is not None or "headerlink" in a.get("class", []):
                continue  # lists and cards the extension generates, not the page's prose
            target = urljoin(base, a["href"]).removeprefix("https://kb.invalid/")
            page_target = target.split("#", 1)[0]
            if a.find(class_="std-term"):
                assert target in data["terms"], f"{page_path}: no preview for {target}"
                previewed_terms.add(target)
            elif str(page_path).startswith("topics/") and page_target.startswith(("topics/", "models/", "licences/")) \
                    and page_target != str(page_path) and not page_target.endswith("/index.html"):
                assert page_target in data["pages"], f"{page_path}: no preview for the page {page_target}"
                previewed_pages.add(page_target)
    # the site has links of each kind, so each rule was tried
    kinds = {p.split("/", 1)[0] for p in previewed_pages}
    assert previewed_terms and {"topics", "models"} <= kinds, kinds
