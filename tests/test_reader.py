"""What a reader gets in a real Chromium, on the built site served as a static host serves it:
accessibility (axe-core, keyboard, focus), privacy and the Content-Security-Policy, small
screens, print and the 404 page.

Pages are visited in one browser session per check; each check covers every page of the site.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent.parent / "_build" / "screenshots"
THEMES = ("light", "dark")


def wait_until(page, function: str, timeout_s: float = 10) -> None:
    """Poll a JavaScript function until it returns true. (Playwright's wait_for_function compiles
    its predicate with eval, which the site's Content-Security-Policy rightly refuses.)"""
    for _ in range(int(timeout_s / 0.05)):
        if page.evaluate(function):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"timed out waiting for {function}")


def every_page(site) -> list[str]:
    return [str(p).replace("\\", "/") for p in site.pages()]


def open_page(page, published, relpath: str) -> None:
    page.goto(published.page_url(relpath))
    page.wait_for_load_state("load")
    if relpath == "search.html":
        page.locator("#search-results[data-search-state=done]").wait_for(state="attached")


# -- axe-core -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    return Axe()


def axe_violations(axe, page) -> list[str]:
    result = axe.run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
    ]


def one_page_of_each_kind(site) -> list[str]:
    """The largest page of each kind: each page at the root (they differ in layout), and in each
    folder the index and the largest other page (topics, model and licence entries, tags, guides)
    share their template and components with the rest of their folder."""
    kinds: dict[str, list[str]] = {}
    for relpath in every_page(site):
        folder, _, name = relpath.rpartition("/")
        kinds.setdefault(relpath if not folder else f"{folder}/{name == 'index.html'}", []).append(relpath)
    return sorted(max(pages, key=lambda p: (site.root / p).stat().st_size) for pages in kinds.values())


@pytest.mark.parametrize("theme", THEMES)
def test_axe_finds_no_violation_on_any_page(browser, published, site, axe, theme):
    """Zero violations of any impact: on every page in the light theme, and in the dark theme on
    the largest page of each kind (the dark theme changes colours, which come from the templates and
    components a kind of page shares; checking every page twice doubled the suite's longest test)."""
    pages = every_page(site) if theme == "light" else one_page_of_each_kind(site)
    assert len(pages) >= 15
    context = published.new_context(browser, color_scheme=theme)
    context.add_init_script(f"localStorage.setItem('theme', '{theme}')")
    page = context.new_page()
    found = {}
    for relpath in pages:
        open_page(page, published, relpath)
        assert page.evaluate("document.body.dataset.theme") == theme
        violations = axe_violations(axe, page)
        if violations:
            found[relpath] = violations
    context.close()
    assert not found, "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in found.items())


def test_axe_finds_no_violation_on_a_small_screen(browser, published, axe):
    """At 375 px, with the navigation drawer open too (Furo's mobile layout)."""
    context = published.new_context(browser, viewport={"width": 375, "height": 812})
    page = context.new_page()
    found = {}
    for relpath in ("index.html", "topics/security.html", "glossary.html", "search.html", "models/index.html",
                    "models/llama-2.html"):
        open_page(page, published, relpath)
        found[relpath] = axe_violations(axe, page)
        page.locator(".mobile-header .nav-overlay-icon").click()
        found[relpath + " (navigation open)"] = axe_violations(axe, page)
    context.close()
    found = {k: v for k, v in found.items() if v}
    assert not found, found


# -- Keyboard and focus ---------------------------------------------------------------------------

FOCUS_PROBE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id, cls: String(el.className), href: el.getAttribute("href") || "",
    text: (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 40),
    visibleFocus: ring || shadow,
    onScreen: r.width > 0 && r.height > 0,
  };
}"""


def tab_through(page, limit: int) -> list[dict]:
    """Press Tab until the focus comes back round (or `limit` presses); the focused elements."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_PROBE)
        if info is None:
            break
        if stops and info == stops[0]:
            break
        stops.append(info)
    return stops


def test_keyboard_reaches_search_navigation_theme_toggle_and_term_previews(browser, published):
    context = published.new_context(browser, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    open_page(page, published, "topics/security.html")
    stops = tab_through(page, 600)
    kinds = {
        "skip link": any("skip-to-content" in s["cls"] for s in stops),
        "search box": any("sidebar-search" in s["cls"] for s in stops),
        "navigation link": any("reference" in s["cls"] and s["href"].startswith("../") for s in stops),
        "theme toggle": any("theme-toggle" in s["cls"] for s in stops),
        "glossary term link": any("glossary.html#term-" in s["href"] for s in stops),
    }
    assert all(kinds.values()), kinds
    invisible = [s for s in stops if s["onScreen"] and not s["visibleFocus"]]
    assert not invisible, f"focus not visible on: {invisible[:10]}"

    # The theme toggle works from the keyboard.
    page.goto(published.page_url("topics/security.html"))
    before = page.evaluate("document.body.dataset.theme")
    page.locator(".theme-toggle-content .theme-toggle, .content-icon-container .theme-toggle").first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.body.dataset.theme") != before
    context.close()


def test_keyboard_reaches_the_glossary_filter_with_a_visible_focus(browser, published):
    """Reaching it (filtering itself: tests/test_browser_kb_graph.py)."""
    context = published.new_context(browser, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    open_page(page, published, "glossary.html")
    stops = tab_through(page, 800)
    box = [s for s in stops if s["tag"] == "input" and "sidebar-search" not in s["cls"]]
    assert box, "the glossary filter box is not reachable with Tab"
    assert all(s["visibleFocus"] for s in box)
    assert page.locator(f"#{box[0]['id']}").get_attribute("aria-label") or page.locator(f"label[for={box[0]['id']}]").count()
    context.close()


def test_small_screen_navigation_opens_by_touch_and_keyboard(browser, published, site):
    """375 px wide: the navigation drawer opens from its button (tap and keyboard), the search
    box in it works, and the glossary is readable. Screenshots go to _build/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = published.new_context(browser, viewport={"width": 375, "height": 812}, device_scale_factor=2,
                                     is_mobile=True, has_touch=True)
    page = context.new_page()
    open_page(page, published, "topics/security.html")
    drawer = page.locator(".sidebar-drawer")
    button = page.locator(".mobile-header button.nav-overlay-icon")
    assert button.get_attribute("aria-expanded") == "false"
    assert drawer.bounding_box()["x"] + drawer.bounding_box()["width"] <= 0, "drawer open before a tap"
    page.screenshot(path=str(SCREENSHOTS / "375-topic.png"))
    button.tap()
    wait_until(page, "() => document.querySelector('.sidebar-drawer').getBoundingClientRect().left >= 0")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator(".sidebar-drawer .sidebar-tree a").first.is_visible()
    page.wait_for_timeout(400)  # Furo slides the drawer in
    page.screenshot(path=str(SCREENSHOTS / "375-navigation-open.png"))
    search = page.locator(".sidebar-drawer input.sidebar-search")
    assert search.is_visible()
    page.keyboard.press("Escape")
    wait_until(page, "() => document.querySelector('.sidebar-drawer').getBoundingClientRect().right <= 0")
    assert button.get_attribute("aria-expanded") == "false"

    # Keyboard only: Tab to the navigation button and press Enter.
    open_page(page, published, "topics/security.html")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('nav-overlay-icon')"):
            break
    else:
        pytest.fail("the navigation button is not reachable with Tab at 375 px")
    page.keyboard.press("Enter")
    wait_until(page, "() => document.querySelector('.sidebar-drawer').getBoundingClientRect().left >= 0")

    # Search from the drawer's box lands on results.
    search.fill("licence")
    search.press("Enter")
    page.locator("#search-results li a.search-result-link").first.wait_for()
    page.screenshot(path=str(SCREENSHOTS / "375-search.png"))

    open_page(page, published, "glossary.html")
    page.screenshot(path=str(SCREENSHOTS / "375-glossary.png"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the glossary scrolls sideways at 375 px ({width} px wide)"
    context.close()


# -- Privacy and Content-Security-Policy -----------------------------------------------------------


def test_no_page_requests_anything_from_another_host_or_logs_an_error(browser, published, site):
    """Every page (and a search) loads only the site's own files, breaks no CSP rule and logs
    no console error."""
    context = published.new_context(browser)
    context.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    visits = [*every_page(site), "search.html?q=open+weights"]
    for relpath in visits:
        page.goto(published.page_url(relpath))
        page.wait_for_load_state("load")
        if relpath.startswith("search.html"):
            page.locator("#search-results[data-search-state=done]").wait_for(state="attached")
        violations = page.evaluate("window.__cspViolations")
        assert not violations, f"{relpath}: Content-Security-Policy violations {violations}"
    context.close()
    foreign = [u for u in requests if not u.startswith((published.origin + "/", "data:", "blob:"))]
    assert not foreign and not published.foreign_requests, foreign + published.foreign_requests
    assert not errors, "\n".join(errors)
    assert len(requests) > len(every_page(site))


def test_every_page_has_a_strict_policy_with_hashes_of_its_inline_code(site):
    """The policy is a meta tag, first in <head> after the charset; it allows nothing from other
    hosts, no inline code but the hashed pieces actually on the page, and no eval."""
    inline_script = re.compile(r"<script>(.*?)</script>", re.S)
    for relpath in every_page(site):
        text = (site.root / relpath).read_text(encoding="utf-8")
        head = text[: text.index("</head>")]
        tags = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', head)
        assert len(tags) == 1, f"{relpath}: {len(tags)} policy tags"
        # first in <head> after the charset: before any script, style or link the policy governs
        assert re.match(r'<head>\s*<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy"',
                        head[head.index("<head>"):]), f"{relpath}: the policy is not the first tag after the charset"
        policy = dict(d.strip().split(" ", 1) for d in tags[0].split(";"))
        assert policy["default-src"] == "'self'"
        for directive, sources in policy.items():
            assert "http" not in sources and "*" not in sources, f"{relpath}: {directive} {sources}"
            assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, relpath
        for body in inline_script.findall(text):
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy["script-src"], f"{relpath}: inline script not hashed"
        assert policy["object-src"] == "'none'"


def test_a_script_injected_into_a_page_is_blocked(browser, published, site):
    """The policy is live: an inline script that is not hashed does not run."""
    text = (site.root / "about.html").read_text(encoding="utf-8")
    injected = text.replace("</article>", "<script>window.__injected = true;</script></article>", 1)
    context = published.new_context(browser)
    page = context.new_page()
    page.route(published.page_url("about.html"), lambda route: route.fulfill(
        status=200, content_type="text/html", body=injected))
    page.goto(published.page_url("about.html"))
    assert page.evaluate("window.__injected === undefined")
    context.close()


# -- Print and 404 ---------------------------------------------------------------------------------


def test_print_hides_navigation_and_shows_link_targets(browser, published):
    context = published.new_context(browser)
    page = context.new_page()
    open_page(page, published, "topics/licences.html")
    page.emulate_media(media="print")
    for selector in (".sidebar-drawer", ".toc-drawer", ".mobile-header", ".content-icon-container",
                     ".sidebar-search-container"):
        assert not page.locator(selector).first.is_visible(), f"{selector} is printed"
    assert page.locator("article h1").is_visible()
    after = page.evaluate("""() => {
      const a = document.querySelector('article a[href^="https://"]');
      return [a.href, getComputedStyle(a, '::after').content];
    }""")
    assert after[0] in after[1], after
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
    context.close()


def test_a_missing_address_gets_the_404_page_with_working_links(browser, published):
    context = published.new_context(browser)
    page = context.new_page()
    response = page.goto(published.url + "topics/no-such-page/deeper.html")
    assert response.status == 404
    assert page.locator("h1").inner_text().strip() == "Page not found"
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != ""
    assert page.evaluate("[...document.styleSheets].filter(s => s.href).length") >= 3, "404 page unstyled"
    home = page.locator(".sidebar-brand").get_attribute("href")
    assert page.goto(published.origin + home if home.startswith("/") else home).status == 200
    context.close()


def test_long_pages_list_their_sections_where_the_theme_hides_its_contents(browser, published, site):
    """Below 82em Furo hides its contents panel: long pages then open with "On this page", a
    list of every section linked to it; from 82em the panel shows and the list does not. Furo's
    back-to-top button never lies over the text."""
    context = published.new_context(browser, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    relpath = "topics/security.html"
    open_page(page, published, relpath)
    box = page.locator(".kb-page-contents")
    assert box.is_visible()
    box.locator("summary").click()
    listed = box.locator("nav > ul > li > p > a").evaluate_all("ls => ls.map(a => a.getAttribute('href'))")
    sections = [f"#{s['id']}" for s in site.soup(relpath).select("article section > section[id]")
                if s.find_parent("section") and s.find_parent("section").find_parent("section") is None]
    assert listed == sections, (listed, sections)
    box.locator("nav > ul > li > p > a").nth(1).click()
    assert page.evaluate("location.hash") == listed[1]
    # Furo shows its button when a reader scrolls back up (the class below); it must not cover the text
    page.evaluate("document.body.classList.add('show-back-to-top')")
    button = page.locator(".back-to-top")
    assert button.is_visible()
    b, a = button.bounding_box(), page.locator("article").bounding_box()
    assert b["x"] + b["width"] <= a["x"] or b["x"] >= a["x"] + a["width"], (b, a)
    page.set_viewport_size({"width": 1400, "height": 800})
    assert not box.is_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    page.evaluate("document.body.classList.add('show-back-to-top')")
    assert not button.is_visible()
    context.close()
