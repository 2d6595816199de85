"""What readers may do with a model: answers on model and licence pages, "Can I use it?", the
comparison, the licence data in the exports, and layouts that fit every screen, in Chromium.

The rules are asserted, not today's content: every model page opens with one answer per question
from its licence file (or its own terms), every row of "Can I use it?" that stays shown allows
every use ticked, and no header cell of a catalogue, model or licence page is cut off or covered
at any of the four widths.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from .conftest import ROOT
from .test_reader import THEMES, axe_violations

QUESTIONS = ["commercial", "large-company", "modify", "redistribute", "derivative-name", "train-on-outputs", "eu",
             "restricted-uses", "attribution", "revocable"]
WIDTHS = (375, 1280, 1440, 1920)


def _entries() -> list[str]:
    return sorted(p.stem for p in (ROOT / "models").glob("*.yml") if p.name != "makers.yml")


def _licence_of(ident: str) -> dict:
    model = yaml.safe_load((ROOT / "models" / f"{ident}.yml").read_text(encoding="utf-8"))
    return yaml.load((ROOT / "licences" / f"{model['licence']['id']}.yml").read_text(encoding="utf-8"),
                     Loader=yaml.BaseLoader)


# -- Pages and data ------------------------------------------------------------------------------


def test_every_model_page_opens_with_an_answer_per_question_linked_to_its_clause(site):
    for ident in _entries():
        page = site.soup(f"models/{ident}.html")
        article = page.select_one("article")
        answers = article.select_one(".kb-uses")
        assert answers is not None, ident
        # it comes before the components: the reader's question first
        assert str(article).index("kb-uses") < str(article).index('id="what-was-released"'), ident
        items = answers.select("li.kb-use")
        asked = [next(c for c in li["class"] if c.startswith("kb-question-")).removeprefix("kb-question-") for li in items]
        assert asked == QUESTIONS, ident
        model = yaml.safe_load((ROOT / "models" / f"{ident}.yml").read_text(encoding="utf-8"))
        licence = _licence_of(ident)
        for li, question in zip(items, asked, strict=True):
            own = model.get("uses", {}).get(question)
            expected = own["answer"] if own else licence["uses"][question]["answer"]
            assert f"kb-use-{expected}" in li["class"], (ident, question)
            link = li.select_one("a")["href"]
            clause = licence["clauses"][licence["uses"][question]["clause"]]
            assert link == (own["evidence"] if own else clause["url"]), (ident, question)
        licence_link = answers.select_one(".kb-uses-more a")["href"]
        assert licence_link == f"../licences/{model['licence']['id']}.html"


def test_every_licence_page_lists_every_clause_kind_and_the_models_under_it(site):
    for path in sorted((ROOT / "licences").glob("*.yml")):
        licence = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        page = site.soup(f"licences/{path.stem}.html")
        clauses = page.select("ul.kb-clauses > li")
        assert [li["id"].removeprefix("clause-") for li in clauses] == list(licence["clauses"]), path.stem
        for li in clauses:
            present = licence["clauses"][li["id"].removeprefix("clause-")]["present"] == "true"
            assert ("kb-clause-present" in li["class"]) == present, (path.stem, li["id"])
        under = {a["href"] for a in page.select("#models li a")}
        expected = {f"../models/{m}.html" for m in _entries()
                    if yaml.safe_load((ROOT / "models" / f"{m}.yml").read_text())["licence"]["id"] == path.stem}
        assert under == expected, path.stem
        assert page.select_one("#eu-ai-act time")["datetime"] == licence["eu_exemption"]["as_of"]


def test_models_json_carries_the_answers_and_licences_json_matches_its_schema(site):
    models = json.loads((site.root / "models.json").read_text())
    licences = json.loads((site.root / "licences.json").read_text())
    schema = json.loads((site.root / "licences.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert not list(validator.iter_errors(licences))
    by_id = {item["id"]: item for item in licences["licences"]}
    assert sorted(by_id) == sorted(p.stem for p in (ROOT / "licences").glob("*.yml"))
    for model in models["models"]:
        licence = by_id[model["licence_id"]]
        assert model["id"] in licence["models"]
        assert model["licence_version"] in [v["version"] for v in licence["versions"]]
        assert sorted(model["uses"]) == sorted(QUESTIONS)
        for question, use in model["uses"].items():
            if use["source"] == "licence":
                assert use["answer"] == licence["uses"][question]["answer"]
                assert use["clause"] == licence["clauses"][licence["uses"][question]["clause"]]["url"]
    # the schema can fail: a licence without its answers is rejected
    del licences["licences"][0]["uses"]
    assert list(validator.iter_errors(licences))


# -- "Can I use it?" in the browser -------------------------------------------------------------


def _shown(page, selector: str = "table#use-table") -> list[str]:
    return page.locator(f"{selector} tbody tr:not([hidden])").evaluate_all("rows => rows.map(r => r.dataset.id)")


def _answers(page, ident: str) -> dict[str, str]:
    return page.locator(f'table#use-table tr[data-id="{ident}"]').evaluate(
        "row => Object.fromEntries(Object.entries(row.dataset))")


@pytest.mark.browser
def test_can_i_use_keeps_the_models_that_allow_every_ticked_use(page):
    page.goto("can-i-use.html")
    total = len(_shown(page))
    assert total == len(_entries())
    # by mouse: commercial use and training on outputs
    page.get_by_label("Use it commercially").click()
    page.get_by_label("Train another model on its outputs").click()
    shown = _shown(page)
    assert 0 < len(shown) < total
    for ident in shown:
        answers = _answers(page, ident)
        assert answers["commercial"] in ("yes", "conditional") and answers["trainOnOutputs"] in ("yes", "conditional")
    hidden = set(_entries()) - set(shown)
    assert hidden, "ticking uses should leave some models out"
    for ident in hidden:
        answers = _answers(page, ident)
        assert "no" in (answers["commercial"], answers["trainOnOutputs"])
    assert page.locator(".kb-model-count").inner_text().startswith(f"{len(shown)} of {total} models allow all 2")
    # the choice is in the address, and the address restores it
    assert "need=commercial,train-on-outputs" in page.url
    # by keyboard: leave out conditional answers (Space on the focused box)
    page.locator("#kb-need-strict").focus()
    page.keyboard.press("Space")
    strict = _shown(page)
    assert set(strict) <= set(shown)
    for ident in strict:
        answers = _answers(page, ident)
        assert answers["commercial"] == "yes" and answers["trainOnOutputs"] == "yes"
    shared = page.url
    page.goto(shared)
    assert page.locator("#kb-need-commercial").is_checked() and page.locator("#kb-need-strict").is_checked()
    assert _shown(page) == strict
    # a burden question: "no use policy" keeps only models whose answer is no
    page.goto("can-i-use.html?need=restricted-uses&strict=1")
    for ident in _shown(page):
        assert _answers(page, ident)["restrictedUses"] == "no"


@pytest.mark.browser
def test_can_i_use_and_compare_degrade_to_complete_content_without_javascript(browser, server):
    context = browser.new_context(base_url=server, java_script_enabled=False)
    page = context.new_page()
    page.goto("can-i-use.html")
    rows = page.locator("table#use-table tbody tr")
    assert rows.count() == len(_entries())
    assert page.locator("table#use-table thead th").count() == 2 + len(QUESTIONS)
    assert page.locator("table#use-table tbody tr td.kb-answer").count() == len(_entries()) * len(QUESTIONS)
    assert page.locator(".kb-use-needs").count() == 0  # no controls that would do nothing
    page.goto("compare.html")
    links = page.locator(".kb-compare-models a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(links) == sorted(f"models/{m}.html" for m in _entries())
    context.close()


# -- Compare in the browser ----------------------------------------------------------------------


@pytest.mark.browser
def test_compare_puts_models_side_by_side_from_the_catalogue_a_model_page_and_the_address(page):
    first, second, third = _entries()[:3]
    # from the catalogue: tick two rows (mouse, then keyboard) and follow the link
    page.goto("models/index.html")
    page.locator(f'tr[data-id="{first}"] input.kb-compare-box').click()
    box = page.locator(f'tr[data-id="{second}"] input.kb-compare-box')
    box.focus()
    page.keyboard.press("Space")
    page.locator("a.kb-compare-go").click()
    page.wait_for_url(f"**/compare.html?m={first},{second}")
    table = page.locator("table.kb-compare-table")
    table.wait_for()
    names = table.locator("thead th a").all_inner_texts()
    assert len(names) == 2
    # one row per question, per component, per assessor, plus the facts
    assert table.locator("tbody th[scope=row]").count() == 3 + len(QUESTIONS) + 1 + 9 + 3
    # add a third model with the keyboard on the third menu; the address follows
    page.locator("#kb-compare-3").focus()
    page.locator("#kb-compare-3").select_option(third)
    assert page.locator("table.kb-compare-table thead th a").count() == 3
    assert page.url.endswith(f"?m={first},{second},{third}")
    # the answers shown are the model's answers in the open data
    data = page.evaluate("fetch('models.json').then(r => r.json())")
    by_id = {m["id"]: m for m in data["models"]}
    row = page.locator("table.kb-compare-table tbody tr", has=page.locator("th", has_text="Commercial use"))
    cells = row.locator("td").evaluate_all("cells => cells.map(c => c.className)")
    assert cells == [f"kb-answer kb-answer-{by_id[m]['uses']['commercial']['answer']}" for m in (first, second, third)]
    # from a model page: its "compare" link opens the comparison with that model chosen
    page.goto(f"models/{first}.html")
    page.locator("a.kb-compare-link").click()
    page.wait_for_url(f"**/compare.html?m={first}")
    assert page.locator("#kb-compare-1").input_value() == first


# -- Layout at four widths -----------------------------------------------------------------------

LAYOUT_PAGES = ("models/index.html", "models/llama-4.html", "licences/llama-4-community.html", "licences/index.html",
                "can-i-use.html")


def _layout(page) -> dict:
    return page.evaluate("""() => {
      const toc = document.querySelector('.toc-drawer');
      const tocBox = toc && getComputedStyle(toc).display !== 'none' ? toc.getBoundingClientRect() : null;
      const tocLeft = tocBox && tocBox.width > 0 && tocBox.left < innerWidth ? tocBox.left : innerWidth;
      const bad = [];
      for (const th of document.querySelectorAll('article thead th')) {
        // phones: a table's region scrolls; the two matrices scroll on every screen (their name
        // column stays in view: the phone test checks that)
        if (th.closest('.kb-scroll') && (innerWidth < 1000 || th.closest('table.kb-matrix'))) continue;
        const box = th.getBoundingClientRect();
        // a table in a scrolling region must fit the region too, or its last columns are cut off
        const region = th.closest('.kb-scroll');
        const edge = Math.min(innerWidth, tocLeft, region ? region.getBoundingClientRect().right : innerWidth);
        if (box.left < 0 || box.right > edge + 1) bad.push(th.textContent.trim() + ' ' + Math.round(box.right));
      }
      return {scrollWidth: document.documentElement.scrollWidth, innerWidth, bad};
    }""")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_of_the_catalogue_scrolls_sideways_or_hides_a_column(browser, server, width):
    context = browser.new_context(base_url=server, viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = {}
    for relpath in LAYOUT_PAGES:
        page.goto(relpath)
        layout = _layout(page)
        if layout["scrollWidth"] > width or layout["bad"]:
            problems[relpath] = layout
    context.close()
    assert not problems, problems


@pytest.mark.browser
def test_on_a_phone_the_model_name_stays_in_view_while_its_row_scrolls(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    for relpath, table in (("models/index.html", "table.kb-model-table"), ("can-i-use.html", "table#use-table")):
        page.goto(relpath)
        region = page.locator(f".kb-scroll:has({table})")
        assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
        assert "scrolls sideways" in region.inner_text()
        width = region.evaluate("r => r.scrollWidth - r.clientWidth")
        assert width > 0, "the table is wider than a phone, so its region must scroll"
        region.evaluate("r => { r.scrollLeft = r.scrollWidth; }")
        name = page.locator(f"{table} tbody tr:not([hidden]) th[scope=row]").first
        box, view = name.bounding_box(), region.bounding_box()
        assert box["x"] >= view["x"] - 1 and box["x"] + box["width"] <= view["x"] + view["width"] + 1, (relpath, box, view)
        # and the filters fit the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, relpath
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("theme", THEMES)
def test_axe_finds_nothing_on_the_use_pages_at_375_px(browser, server, theme):
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    axe = Axe()
    context = browser.new_context(base_url=server, viewport={"width": 375, "height": 800}, color_scheme=theme)
    context.add_init_script(f"localStorage.setItem('theme', '{theme}')")
    page = context.new_page()
    first, second = _entries()[:2]
    found = {}
    for relpath in ("can-i-use.html?need=commercial,eu", f"compare.html?m={first},{second}", "licences/index.html",
                    "licences/llama-4-community.html", f"models/{first}.html", "models/index.html"):
        page.goto(relpath)
        if relpath.startswith("compare"):
            page.locator("table.kb-compare-table").wait_for()
        assert page.evaluate("document.body.dataset.theme") == theme
        violations = axe_violations(axe, page)
        if violations:
            found[relpath] = violations
    context.close()
    assert not found, found


def test_layout_pages_exist():
    """The layout tests above name real pages: a rename must update them, not silently skip."""
    for relpath in LAYOUT_PAGES:
        source = ROOT / Path(relpath).with_suffix(".md")
        assert source.exists() or source.with_suffix(".yml").exists(), relpath


@pytest.mark.browser
def test_the_catalogue_filters_by_words_and_by_one_value_per_maker(page):
    page.goto("models/index.html")
    makers = {}
    for ident in _entries():
        entry = yaml.safe_load((ROOT / "models" / f"{ident}.yml").read_text(encoding="utf-8"))
        makers.setdefault(entry["maker"], set()).add(ident)
    records = yaml.safe_load((ROOT / "models" / "makers.yml").read_text(encoding="utf-8"))
    # one filter value per maker record in use, by its full name
    options = page.locator("#kb-filter-developer option").all_inner_texts()[1:]
    assert sorted(options) == sorted(records[m]["name"] for m in makers)
    # the maker with the most entries: its filter value shows exactly its entries, whatever their teams
    maker = max(makers, key=lambda m: len(makers[m]))
    page.select_option("#kb-filter-developer", label=records[maker]["name"])
    assert set(_shown(page, "table.kb-model-table")) == makers[maker]
    page.select_option("#kb-filter-developer", label="all")
    # words: a licence's name finds the models under it, typed with the keyboard
    licence = yaml.load((ROOT / "licences" / "apache-2.0.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    page.locator("#kb-filter-text").fill("")
    page.locator("#kb-filter-text").press_sequentially(licence["name"][:10].lower())
    shown = set(_shown(page, "table.kb-model-table"))
    under = {m for m in _entries()
             if yaml.safe_load((ROOT / "models" / f"{m}.yml").read_text())["licence"]["id"] == "apache-2.0"}
    assert under <= shown and shown, "every model under the licence is found by its licence's name"
    for ident in shown:
        assert licence["name"][:10].lower() in page.locator(f'table.kb-model-table tr[data-id="{ident}"]').get_attribute("data-search")
