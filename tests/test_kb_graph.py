"""The knowledge-graph features of the kb extension on a small fixture project (tests/roots/kb-graph).

Three topics (alpha, beta, gamma), a glossary of three terms, a topic map, a references page and
a tag index. The unbroken fixture builds strictly without a warning; each broken variant must fail
with a warning naming the file and line.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest

from .kbgraph import copy_fixture, edit, shown_data, soup, sphinx_build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The unbroken fixture, built once (strict)."""
    tmp = tmp_path_factory.mktemp("kbgraph")
    project = copy_fixture(tmp)
    result = sphinx_build(project, tmp / "html")
    assert result.returncode == 0, result.stderr
    return tmp / "html", result


def test_fixture_builds_without_warnings(built):
    _, result = built
    assert "WARNING" not in result.stderr, result.stderr


# -- Failure cases: every one is a warning naming file and line --------------------------------------


def _line_of(path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def break_missing_summary(p):
    edit(p / "topics/alpha.md", "summary: What the basic words mean, from open weights to model cards.\n", "")
    return "topics/alpha.md:1", "topic page has no summary"


def break_empty_summary(p):
    edit(p / "topics/alpha.md", "summary: What the basic words mean, from open weights to model cards.", 'summary: ""')
    return "topics/alpha.md:2", "topic page has an empty summary"


def break_long_summary(p):
    edit(p / "topics/alpha.md", "summary: What the basic words mean, from open weights to model cards.", "summary: " + "x" * 161)
    return "topics/alpha.md:2", "summary is 161 characters long; the limit is 160"


def break_unknown_tag(p):
    edit(p / "topics/alpha.md", "tags: [foundations]", "tags: [foundations, magic]")
    return "topics/alpha.md:3", "unknown tag 'magic'"


def break_no_tags(p):
    edit(p / "topics/alpha.md", "tags: [foundations]", "tags: []")
    return "topics/alpha.md:3", "topic page has no tags"


def break_unknown_related(p):
    edit(p / "topics/alpha.md", "related: [beta, gamma]", "related: [beta, nowhere]")
    return "topics/alpha.md:4", "`related:` names 'nowhere', but there is no topic page topics/nowhere.md"


def break_unknown_related_block_list(p):
    edit(p / "topics/alpha.md", "related: [beta, gamma]", "related:\n  - beta\n  - nowhere")
    return "topics/alpha.md:6", "`related:` names 'nowhere'"


def break_unused_term(p):
    glossary = p / "glossary.md"
    edit(glossary, "data poisoning\n", "unused thing\n  Nobody links this.\n\ndata poisoning\n")
    return f"glossary.md:{_line_of(glossary, 'unused thing')}", "glossary term 'unused thing' is defined but never used"


def break_orphan_topic(p):
    edit(p / "topics/alpha.md", "[gamma](gamma.md#harms)", "gamma")
    edit(p / "topics/beta.md", "Read [the gamma harms](gamma.md) too.", "Read on.")
    return "topics/gamma.md:8", "no other topic links to this topic"


def break_plain_mention(p):
    beta = p / "topics/beta.md"
    edit(beta, "## Sources", "Checklists help.\nReviewers read Model Cards first.\n\n## Sources")
    return f"topics/beta.md:{_line_of(beta, 'Model Cards')}", "glossary term 'model card' is mentioned in plain text but never linked"


def break_plain_mention_in_table(p):
    beta = p / "topics/beta.md"
    edit(beta, "## Sources", "| step | who |\n|---|---|\n| scan | defenders |\n| document | model card authors |\n\n## Sources")
    return f"topics/beta.md:{_line_of(beta, 'model card authors')}", "glossary term 'model card' is mentioned"


def break_plural_of_phrase(p):
    glossary = p / "glossary.md"
    edit(glossary, "data poisoning\n", "barrier to entry\n  What keeps newcomers out.\n\ndata poisoning\n")
    edit(p / "topics/alpha.md", "Alpha explains", "{term}`Barriers <barrier to entry>` fall. Alpha explains")
    edit(p / "topics/gamma.md", "Gamma is about harms.", "Gamma is about harms and barriers to entry.")
    return "topics/gamma.md:10", "glossary term 'barrier to entry' is mentioned in plain text"


def break_cards(p):
    edit(p / "index.md", "beta\ntopics/gamma", "beta\nnosuch\ntopics/gamma")
    return "index.md:12", "kb-topic-cards: 'nosuch' is not a topic page"


BREAKS = [
    break_missing_summary,
    break_empty_summary,
    break_long_summary,
    break_unknown_tag,
    break_no_tags,
    break_unknown_related,
    break_unknown_related_block_list,
    break_unused_term,
    break_orphan_topic,
    break_plain_mention,
    break_plain_mention_in_table,
    break_plural_of_phrase,
    break_cards,
]


@pytest.mark.parametrize("breaker", BREAKS, ids=[b.__name__.removeprefix("break_") for b in BREAKS])
def test_problem_is_a_warning_with_file_and_line(tmp_path, breaker):
    project = copy_fixture(tmp_path)
    location, message = breaker(project)
    result = sphinx_build(project, tmp_path / "html")
    assert result.returncode != 0, "the strict build should fail"
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    hits = [w for w in warnings if f"{location}: WARNING: " in w and message in w]
    assert hits, f"no warning at {location} saying {message!r} in:\n" + "\n".join(warnings)
    assert all("[kb." in w for w in hits)


def test_mentions_in_headings_code_link_text_and_sources_are_not_plain_mentions(tmp_path):
    project = copy_fixture(tmp_path)
    edit(
        project / "topics/beta.md",
        "## Sources\n",
        "## Model card notes\n\nSee `model card` and [model card](alpha.md).\n\n## Sources\n\n"
        '- Someone, "Model cards for reporting", 2019. <https://example.org/mc>\n',
    )
    result = sphinx_build(project, tmp_path / "html")
    assert result.returncode == 0, result.stderr


def test_incremental_builds_report_term_mentions_like_a_clean_build(tmp_path):
    """kb.lint keeps each page's plain mentions between builds: a new glossary term mentioned on
    a page that did not change must still be reported, at the right line."""
    project = copy_fixture(tmp_path)
    out = tmp_path / "html"
    assert sphinx_build(project, out).returncode == 0
    edit(project / "glossary.md", "data poisoning\n", "harms\n  Damage done to people.\n\ndata poisoning\n")
    edit(project / "topics/alpha.md", "# Alpha basics\n", "# Alpha basics\n\nSee {term}`harms`.\n")
    second = sphinx_build(project, out)
    assert second.returncode != 0
    line = _line_of(project / "topics/gamma.md", "Gamma is about harms.")
    assert f"topics/gamma.md:{line}: WARNING: glossary term 'harms' is mentioned in plain text" in second.stderr
    clean = sphinx_build(project, tmp_path / "clean")
    warnings = sorted(w for w in clean.stderr.splitlines() if "WARNING" in w)
    assert warnings == sorted(w for w in second.stderr.splitlines() if "WARNING" in w)


def test_one_way_related_is_information_unless_configured(tmp_path):
    # gamma lists beta as related; beta does not list gamma back
    project = copy_fixture(tmp_path)
    result = sphinx_build(project, tmp_path / "html")
    assert result.returncode == 0, result.stderr
    assert "topics/gamma.md:4: `related:` names 'beta', which does not list this page back" in result.stdout
    strict = sphinx_build(project, tmp_path / "html2", "-D", "kb_warn_one_way_related=1")
    assert strict.returncode != 0
    assert "topics/gamma.md:4: WARNING: `related:` names 'beta'" in strict.stderr
    assert "[kb.one-way-related]" in strict.stderr


# -- What the features render -------------------------------------------------------------------------


def test_backlinks_list_each_linking_page_with_its_sentence(built):
    html, _ = built
    section = soup(html / "topics/alpha.html").find(id="referenced-by")
    assert section is not None and section.h2.get_text(strip=True).startswith("Referenced by")
    items = section.select("ul.kb-backlinks-list > li")
    assert [li.a["href"] for li in items] == ["beta.html", "gamma.html"]
    contexts = [li.select_one("p.kb-backlink-context") for li in items]
    assert contexts[0].get_text() == "“Unlike alpha, this page is about attacks.”"
    assert contexts[0].strong.get_text() == "alpha"
    assert contexts[1].get_text() == "“It builds on alpha and uses open weights too.”"
    gamma = soup(html / "topics/gamma.html").find(id="referenced-by")
    texts = [p.get_text() for p in gamma.select("p.kb-backlink-context")]
    assert texts == ["“The harms are covered in gamma, next to fairness.”", "“Read the gamma harms too.”"]


def test_see_also_lists_related_topics_with_summaries(built):
    html, _ = built
    section = soup(html / "topics/alpha.html").find(id="see-also")
    items = [li.get_text(" ", strip=True) for li in section.select("li")]
    assert items == [
        "Beta attacks — How attackers poison data and what defenders do about it.",
        "Gamma ethics — Harms, fairness and who answers for them.",
    ]
    page = soup(html / "topics/alpha.html")
    sections = [s["id"] for s in page.select("article section section")]
    assert sections[-2:] == ["see-also", "referenced-by"], "the page must end with See also, Referenced by"


def test_summary_is_meta_description_and_open_graph(built):
    html, _ = built
    head = soup(html / "topics/beta.html").head
    summary = "How attackers poison data and what defenders do about it."
    assert head.find("meta", attrs={"name": "description"})["content"] == summary
    assert head.find("meta", property="og:description")["content"] == summary
    assert head.find("meta", property="og:title")["content"] == "Beta attacks"
    assert head.find("meta", property="og:type")["content"] == "article"
    assert soup(html / "glossary.html").head.find("meta", property="og:type")["content"] == "website"


def test_tag_line_tag_pages_and_tag_index(built):
    html, _ = built
    tag_links = soup(html / "topics/beta.html").select("p.kb-tags a")
    assert [(a.get_text(), a["href"]) for a in tag_links] == [
        ("security", "../tags/security.html"),
        ("policy", "../tags/policy.html"),
    ]
    for tag in ("foundations", "security", "ethics", "policy"):
        assert (html / "tags" / f"{tag}.html").exists(), tag
    page = soup(html / "tags/security.html")
    assert page.h1.get_text(strip=True).startswith("Topics tagged “security”")
    assert [li.get_text(" ", strip=True) for li in page.select(".kb-topic-list li")] == [
        "Beta attacks — How attackers poison data and what defenders do about it."
    ]
    assert page.select_one(".kb-topic-list a")["href"] == "../topics/beta.html"
    index = [li.get_text(" ", strip=True) for li in soup(html / "tags.html").select(".kb-tag-index li")]
    assert index[0] == "foundations — What the words mean. (1 topic)"
    assert len(index) == 4


def test_glossary_lists_where_each_term_is_used_and_has_a_filter(built):
    html, _ = built
    page = soup(html / "glossary.html")
    usage = {}
    for dt in page.select("dl.glossary > dt"):
        para = dt.find_next_sibling("dd").select_one("p.kb-term-usage")
        usage[dt["id"]] = [a.get_text() for a in para.find_all("a")]
    assert usage == {
        "term-data-poisoning": ["Beta attacks"],
        "term-model-card": ["Alpha basics"],
        "term-open-weights": ["Alpha basics", "Beta attacks", "Gamma ethics"],
    }
    box = page.select_one("[data-kb-glossary-filter]")
    field = box.select_one("input[type=search]")
    assert box.select_one(f"label[for={field['id']}]").get_text(strip=True)
    status = box.select_one("[role=status]")
    assert status["aria-live"] == "polite" and field["aria-describedby"] == status["id"]
    scripts = [s["src"] for s in page.find_all("script", src=True)]
    assert any("kb/glossary-filter.js" in s for s in scripts)
    assert not any("glossary-filter" in s["src"] for s in soup(html / "index.html").find_all("script", src=True))


def test_topic_cards_all_topics_or_the_ones_named(built):
    html, _ = built
    grids = soup(html / "index.html").select("div.sd-container-fluid")
    assert len(grids) == 2
    cards = [[a["href"] for a in g.select(".sd-card a.sd-stretched-link")] for g in grids]
    assert cards == [["topics/alpha.html", "topics/beta.html", "topics/gamma.html"], ["topics/beta.html", "topics/gamma.html"]]
    first = grids[0].select_one(".sd-card")
    assert first.select_one(".sd-card-title").get_text(strip=True) == "Alpha basics"
    assert first.select_one(".sd-card-text").get_text(strip=True).startswith("What the basic words mean")


def test_topic_map_svg_and_text_alternative(built):
    html, _ = built
    page = soup(html / "topic-map.html")
    svg = page.select_one("svg.kb-topic-map")
    assert svg["role"] == "group" and page.find(id=svg["aria-labelledby"]) is not None
    nodes = {a["href"]: a["aria-label"] for a in svg.select("a.kb-map-node")}
    assert nodes == {"topics/alpha.html": "Alpha basics", "topics/beta.html": "Beta attacks", "topics/gamma.html": "Gamma ethics"}
    edges = svg.select("path.kb-edge")
    assert len(edges) == 3  # alpha-beta (both ways), alpha-gamma (both ways), beta-gamma (one way)
    assert len(svg.select("path.kb-edge-both")) == 2
    assert not svg.find_all(style=True), "no inline styles (the site's CSP forbids them)"
    lines = [li.get_text(" ", strip=True) for li in page.select(".kb-map-text li")]
    assert "Beta attacks (security, policy) links to: Alpha basics , Gamma ethics ." in lines


def test_references_list_each_source_once_with_citing_pages(built):
    html, _ = built
    page = soup(html / "references.html")
    items = page.select("ol.kb-references > li")
    urls = [li.select_one("a.kb-source-url")["href"] for li in items]
    assert urls == ["https://example.org/paper", "https://example.com/other", "https://example.org/harms", "https://example.org/poison"]
    first = items[0].get_text(" ", strip=True)
    assert first.startswith("Example Org, “A paper”, Example Press, 2024.")
    assert [a["href"] for a in items[0].select("a.reference.internal")] == ["topics/alpha.html"]
    assert "4 distinct sources" in page.select_one(".kb-references-count").get_text()


def preview_data(page) -> dict | None:
    block = page.select_one('script#kb-previews-data[type="application/json"]')
    return json.loads(block.string) if block is not None else None


def test_each_page_carries_the_previews_of_what_it_links_to(built):
    html, _ = built
    page = soup(html / "topics/alpha.html")
    data = preview_data(page)
    assert data["terms"]["glossary.html#term-open-weights"] == ["open weights", "Model weights anyone can download."]
    assert data["pages"]["topics/beta.html"] == ["Beta attacks", "How attackers poison data and what defenders do about it."]
    # nothing the page does not link to: every key is the target of one of its links
    base = "https://kb.invalid/topics/alpha.html"
    targets = {urljoin(base, a["href"]).removeprefix("https://kb.invalid/")
               for a in page.select("article a.reference.internal")}
    targets |= {t.split("#")[0] for t in targets}
    assert set(data["terms"]) | set(data["pages"]) <= targets
    scripts = [s["src"] for s in page.find_all("script", src=True)]
    assert any("kb/previews.js" in s for s in scripts)
    assert not any("previews-data" in s for s in scripts), "no site-wide preview file"
    assert not any("://" in s for s in scripts), "no third-party scripts"
    # a page that links to no term or topic loads neither data nor script
    tags = soup(html / "tags.html")
    assert preview_data(tags) is None
    assert not any("previews.js" in s["src"] for s in tags.find_all("script", src=True))


def test_a_changed_definition_rewrites_the_pages_that_preview_it(tmp_path):
    project = copy_fixture(tmp_path)
    out = tmp_path / "html"
    assert sphinx_build(project, out).returncode == 0
    edit(project / "glossary.md", "Model weights anyone can download.", "Weights published for anyone to download.")
    assert sphinx_build(project, out).returncode == 0
    data = preview_data(soup(out / "topics/alpha.html"))
    assert data["terms"]["glossary.html#term-open-weights"][1] == "Weights published for anyone to download."


def test_generated_sections_stay_out_of_the_search_index(built):
    html, _ = built
    index = (html / "searchindex.js").read_text()
    assert "Referenced by" not in index and "See also" not in index


# -- Incremental, parallel and reproducible builds ----------------------------------------------------


def test_incremental_build_shows_what_a_clean_build_shows(tmp_path):
    project = copy_fixture(tmp_path)
    out = tmp_path / "incremental"
    assert sphinx_build(project, out).returncode == 0
    # one page changes: a new link with a term, a link removed, a tag added
    edit(project / "topics/gamma.md", "## Harms\n", "## Harms\n\nSee how [beta](beta.md) handles {term}`data poisoning`.\n")
    edit(project / "topics/alpha.md", "The harms are covered in [gamma](gamma.md#harms), next to fairness.",
         "The harms are covered in [gamma](gamma.md#harms).")
    edit(project / "topics/beta.md", "tags: [security, policy]", "tags: [security, policy, ethics]")
    second = sphinx_build(project, out)
    assert second.returncode == 0, second.stderr
    clean = tmp_path / "clean"
    assert sphinx_build(project, clean, "-E").returncode == 0
    incremental, fresh = shown_data(out), shown_data(clean)
    assert incremental.keys() == fresh.keys()
    for page in fresh:
        assert incremental[page] == fresh[page], page
    # and the edits are visible where they should be
    beta = soup(out / "topics/beta.html").find(id="referenced-by").get_text()
    assert "See how beta handles data poisoning." in beta
    usage = soup(out / "glossary.html").find(id="term-data-poisoning").find_next_sibling("dd").get_text()
    assert "Gamma ethics" in usage
    assert "Beta attacks" in soup(out / "tags/ethics.html").get_text()


def test_tag_pages_are_written_again_only_when_what_they_show_changes(tmp_path):
    project = copy_fixture(tmp_path)
    (project / "_templates").mkdir()
    (project / "_templates" / "page.html").write_text('{% extends "!page.html" %}\n')
    with (project / "conf.py").open("a") as conf:
        conf.write('templates_path = ["_templates"]\n')
    out = tmp_path / "html"
    assert sphinx_build(project, out).returncode == 0
    pages = sorted((out / "tags").glob("*.html"))
    assert pages

    def mtimes():
        return {p.name: p.stat().st_mtime_ns for p in pages}

    # prose that no tag page shows: no tag page is written again
    first = mtimes()
    edit(project / "topics/alpha.md", "# Alpha basics\n", "# Alpha basics\n\nA new opening sentence.\n")
    assert sphinx_build(project, out).returncode == 0
    assert mtimes() == first
    # a summary the tag pages show: the pages listing alpha are written again, and only they
    edit(project / "topics/alpha.md", "What the basic words mean, from open weights to model cards.",
         "A summary rewritten for the test.")
    assert sphinx_build(project, out).returncode == 0
    changed = {name for name, t in mtimes().items() if t != first[name]}
    listing = {p.name for p in pages if soup(p).select_one('.kb-topic-list a[href$="topics/alpha.html"]')}
    assert changed and changed == listing
    assert all("A summary rewritten for the test." in (out / "tags" / name).read_text() for name in changed)
    # a template change reaches every tag page
    second = mtimes()
    (project / "_templates" / "page.html").write_text('{% extends "!page.html" %}\n{# changed #}\n')
    assert sphinx_build(project, out).returncode == 0
    assert all(t != second[name] for name, t in mtimes().items())


def test_parallel_build_passes_and_matches_a_serial_one(tmp_path):
    project = copy_fixture(tmp_path)
    parallel = sphinx_build(project, tmp_path / "parallel", "-j", "auto")
    assert parallel.returncode == 0, parallel.stderr
    assert "WARNING" not in parallel.stderr
    assert sphinx_build(project, tmp_path / "serial").returncode == 0
    assert shown_data(tmp_path / "parallel") == shown_data(tmp_path / "serial")


def test_sidebar_is_the_current_branch_and_falls_back_to_sphinx_for_toctrees_it_cannot_render(built, tmp_path):
    html, _ = built
    sidebar = soup(html / "topics/beta.html").select_one(".sidebar-tree")
    current = sidebar.select("li.current > a")
    assert [a.get_text() for a in current] == ["Beta attacks"] and current[0]["href"] == "#"
    assert [a.get_text() for a in sidebar.select("p.caption")] == ["Topics", "Reference"]
    # an external link in a toctree is not for kb.navigation's renderer: Sphinx renders the tree
    project = copy_fixture(tmp_path)
    edit(project / "index.md", "tags\n```", "tags\nExample <https://example.org/>\n```")
    assert sphinx_build(project, tmp_path / "html").returncode == 0
    sidebar = soup(tmp_path / "html" / "topics/beta.html").select_one(".sidebar-tree")
    assert sidebar.select_one('a[href="https://example.org/"]') is not None
    assert sidebar.select_one("li.current > a").get_text() == "Beta attacks"


def test_two_clean_builds_are_identical(tmp_path):
    first, second = copy_fixture(tmp_path, "first"), copy_fixture(tmp_path, "second")
    assert sphinx_build(first, tmp_path / "one").returncode == 0
    assert sphinx_build(second, tmp_path / "two").returncode == 0
    for rel in ("topics/alpha.html", "glossary.html", "topic-map.html", "references.html", "tags/security.html"):
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel
