"""The knowledge-graph features in a real Chromium: previews, glossary filter, term-first search."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .test_kb_graph_site import front_matter
from .test_site import TOPICS

pytestmark = pytest.mark.browser

TIP = "#kb-preview"


def squeeze(text: str) -> str:
    return " ".join(text.split())


def first_term_link(page, stem: str):
    page.goto(f"topics/{stem}.html")
    return page.locator("article a.reference.internal[href*='glossary.html#term-']").first


def definition(site, href: str) -> str:
    """The glossary's definition of the term a link points at (its first paragraph)."""
    term_id = href.split("#", 1)[1]
    dd = site.soup("glossary.html").find(id=term_id).find_next_sibling("dd")
    return squeeze(dd.find("p").get_text())


def test_term_link_shows_its_definition_on_hover(page, site):
    link = first_term_link(page, TOPICS[0])
    tip = page.locator(TIP)
    expect(tip).to_be_hidden()
    link.hover()
    expect(tip).to_be_visible()
    expect(tip).to_have_attribute("role", "tooltip")
    expect(link).to_have_attribute("aria-describedby", "kb-preview")
    assert definition(site, link.get_attribute("href"))[:80] in squeeze(tip.inner_text())
    page.mouse.move(1, 1)
    expect(tip).to_be_hidden()
    expect(link).not_to_have_attribute("aria-describedby", "kb-preview")


def test_term_link_shows_its_definition_on_keyboard_focus(page, site):
    link = first_term_link(page, TOPICS[1])
    tip = page.locator(TIP)
    # Tab through the page until the link has the focus, as a keyboard user would
    for _ in range(400):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the term link was never reached with Tab")
    expect(tip).to_be_visible()
    expect(link).to_have_attribute("aria-describedby", "kb-preview")
    assert definition(site, link.get_attribute("href"))[:80] in squeeze(tip.inner_text())
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    expect(link).to_be_focused()  # Escape closes the tooltip, the focus stays
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    expect(tip).to_be_visible()
    page.keyboard.press("Tab")  # focus moves on: the tooltip no longer describes the link
    expect(link).not_to_have_attribute("aria-describedby", "kb-preview")
    link.focus()
    expect(tip).to_be_visible()
    link.evaluate("el => el.blur()")
    expect(tip).to_be_hidden()


def test_topic_link_shows_the_topics_summary_on_hover(page):
    stem = TOPICS[0]
    page.goto(f"topics/{stem}.html")
    others = "|".join(re.escape(t) for t in TOPICS if t != stem)
    links = page.locator("article section > p a.reference.internal")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    index = next(i for i, h in enumerate(hrefs) if re.fullmatch(rf"({others})\.html(#.*)?", h))
    link = links.nth(index)
    target = re.match(r"([^.#]+)\.html", hrefs[index]).group(1)
    link.hover()
    tip = page.locator(TIP)
    expect(tip).to_be_visible()
    assert squeeze(front_matter(target)["summary"]) in squeeze(tip.inner_text())


def test_glossary_filter_narrows_the_list(page):
    page.goto("glossary.html")
    field = page.get_by_label("Filter the glossary")
    expect(field).to_be_visible()
    terms = page.locator("dl.glossary > dt")
    total = terms.count()
    field.click()
    page.keyboard.type("open")
    visible = page.locator("dl.glossary > dt:visible")
    expect(visible).not_to_have_count(total)
    shown = visible.count()
    assert 0 < shown < total
    for text in visible.all_inner_texts():
        assert "open" in text.lower(), text
    expect(page.locator(".kb-glossary-filter-status")).to_have_text(re.compile(rf"^{shown} of {total} terms match"))
    page.keyboard.press("Escape")
    expect(visible).to_have_count(total)
    expect(page.locator(".kb-glossary-filter-status")).to_have_text(f"All {total} terms shown.")


@pytest.mark.parametrize(("typed", "term"), [
    ("GPAI", "general-purpose AI model"),  # an acronym of the search's synonym list
    ("licenses", "permissive licence"),  # American spelling and plural
    ("mixture-of-experts", "mixture of experts"),  # hyphens
])
def test_glossary_filter_understands_what_search_understands(page, typed, term):
    page.goto("glossary.html")
    page.get_by_label("Filter the glossary").fill(typed)
    shown = [squeeze(t).rstrip("#¶ ").lower() for t in page.locator("dl.glossary > dt:visible").all_inner_texts()]
    assert term.lower() in shown, shown


def test_glossary_filter_offers_the_site_search_when_no_term_matches(page):
    page.goto("glossary.html")
    page.get_by_label("Filter the glossary").fill("zzzqqq")
    expect(page.locator("dl.glossary > dt:visible")).to_have_count(0)
    way_on = page.locator(".kb-glossary-filter-elsewhere a")
    expect(way_on).to_be_visible()
    assert way_on.get_attribute("href") == "search.html?q=zzzqqq"
    page.get_by_label("Filter the glossary").fill("")
    expect(page.locator(".kb-glossary-filter-elsewhere")).to_be_hidden()


def test_glossary_has_an_a_to_z_line_and_terms_stand_out(page, site):
    page.goto("glossary.html")
    letters = page.locator("nav.kb-glossary-az a")
    terms = site.soup("glossary.html").select("dl.glossary > dt[id]")
    initials = sorted({next(c for c in dt.get_text() if c.isalnum()).upper() for dt in terms})
    assert letters.all_inner_texts() == initials
    for link in letters.all()[:3]:
        target = link.get_attribute("href")[1:]
        first_of_letter = next(dt["id"] for dt in terms if dt.get_text().strip()[0].upper() == link.inner_text())
        assert target == first_of_letter
    weight = lambda selector: int(page.locator(selector).first.evaluate("e => getComputedStyle(e).fontWeight"))  # noqa: E731
    assert weight("dl.glossary > dt") >= 600 > weight("dl.glossary > dd p")


TOUCH = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_tap_shows_a_terms_preview_in_place_and_a_second_tap_follows_it(browser, published, site, theme):
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    context = published.new_context(browser, color_scheme=theme, **TOUCH)
    context.add_init_script(f"localStorage.setItem('theme', '{theme}')")
    page = context.new_page()
    page.goto(published.page_url(f"topics/{TOPICS[0]}.html"))
    link = page.locator("article a.reference.internal[href*='glossary.html#term-']").nth(2)
    link.scroll_into_view_if_needed()
    where = (page.url, page.evaluate("scrollY"))
    link.tap()
    tip = page.locator(TIP)
    expect(tip).to_be_visible()
    assert (page.url, page.evaluate("scrollY")) == where  # the reader keeps their place
    assert tip.get_attribute("role") == "dialog" and tip.get_attribute("aria-label")
    assert definition(site, link.get_attribute("href"))[:60] in squeeze(tip.inner_text())
    follow = tip.get_by_role("link")
    assert follow.get_attribute("href") == link.evaluate("a => a.href")
    result = Axe().run(page, options={"resultTypes": ["violations"]})
    assert not result.response["violations"], [v["id"] for v in result.response["violations"]]
    tip.get_by_role("button", name="Close").tap()
    expect(tip).to_be_hidden()
    link.tap()
    expect(tip).to_be_visible()
    page.locator("h1").first.tap()  # a tap elsewhere hides it
    expect(tip).to_be_hidden()
    link.tap()
    link.tap()  # the second tap follows the link
    page.wait_for_url("**/glossary.html#term-*")
    context.close()
