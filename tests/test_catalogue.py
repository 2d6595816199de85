"""The model catalogue: entries checked with file and line, model pages, the table, the {model}
role, the lint, the open-data exports, and the table in a real Chromium (with and without
JavaScript, by mouse and keyboard).

Bad entries and licences are tried on the fixture project (tests/roots/kb-graph) with a catalogue
of its own (tests/data/catalogue: one entry, one licence, one maker, frozen, so that corrections of
the real catalogue never break these tests); the real site is checked for what readers get.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from .conftest import ROOT
from .kbgraph import built_once, copy_fixture, edit, soup, sphinx_build

FIXTURE = Path(__file__).parent / "data" / "catalogue"
CATALOGUE_CONF = """
include_patterns = ["**.md", "models/*.yml", "licences/*.yml"]
exclude_patterns = ["_build", "models/makers.yml"]
kb_nav_closed = ["models/index", "licences/index"]
html_baseurl = "https://kb.example.org/"
"""


def catalogue_fixture(tmp_path: Path) -> Path:
    """The fixture with a catalogue of one entry (Mistral 7B), linked from the alpha topic."""
    project = copy_fixture(tmp_path)
    shutil.copytree(FIXTURE / "models", project / "models")
    shutil.copytree(FIXTURE / "licences", project / "licences")
    (project / "models" / "index.md").write_text(
        "# Models\n\nAll of them.\n\n```{kb-model-table}\n```\n\n```{toctree}\n:hidden:\n:glob:\n\n*\n```\n",
        encoding="utf-8",
    )
    (project / "licences" / "index.md").write_text(
        "# Licences\n\n```{kb-licence-table}\n```\n\n```{toctree}\n:hidden:\n:glob:\n\n*\n```\n", encoding="utf-8")
    (project / "can-i-use.md").write_text("# Can I use it?\n\n```{kb-use-table}\n```\n", encoding="utf-8")
    (project / "compare.md").write_text("# Compare\n\n```{kb-compare}\n```\n", encoding="utf-8")
    edit(project / "index.md", "glossary\n", "glossary\nmodels/index\nlicences/index\ncan-i-use\ncompare\n")
    (project / "pages.txt").write_text((project / "pages.txt").read_text() + "models/index\nmodels/mistral-7b\n"
                                       "licences/index\nlicences/apache-2.0\ncan-i-use\ncompare\n")
    with (project / "allowed-domains.txt").open("a") as domains:
        domains.write("mistral.ai\nhuggingface.co\ngithub.com\narxiv.org\napache.org\nspdx.org\nopensource.org\n")
    with (project / "conf.py").open("a") as conf:
        conf.write(CATALOGUE_CONF)
    edit(project / "topics" / "alpha.md", "Alpha explains", "Alpha mentions {model}`mistral-7b`. Alpha explains")
    return project


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    return built_once(tmp_path_factory, "catalogue", catalogue_fixture)


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# -- Each kind of bad entry: a warning with file and line -------------------------------------------


def _entry(project: Path) -> Path:
    return project / "models" / "mistral-7b.yml"


# Edits of the entry: (name, text replaced, its replacement, text on the line warned about, message)
ENTRY_EDITS = [
    ("unknown_key", "verdict:", "popularity: high\nverdict:", "popularity", "'popularity' was unexpected"),
    ("date", "released: 2023-09", "released: 2023-13", "released:", "does not match"),
    ("reviewed_in_future", "reviewed: 2026-12-01", "reviewed: 2999-01-01", "reviewed:", "lies in the future"),
    ("evidence_not_https", "evidence: https://github.com/mistralai/mistral-inference",
     "evidence: http://github.com/mistralai/mistral-inference", "http://github.com", "does not match '^https://"),
    ("evidence_domain", "evidence: https://github.com/mistralai/mistral-inference",
     "evidence: https://untrusted.example.net/mistral", "untrusted.example.net", "not in allowed-domains.txt"),
    ("licence_id", "id: apache-2.0", "id: apache-3.0", "id: apache-3.0", "licence 'apache-3.0' names no valid licence file"),
    ("licence_id_is_a_path", "id: apache-2.0", "id: ../../etc/passwd", "etc/passwd", "does not match"),
    ("licence_version", 'version: "2.0"', 'version: "2.1"', "version:", "licence version '2.1' is not one of apache-2.0's versions"),
    ("maker", "maker: mistral", "maker: mistral-ai", "maker:", "maker 'mistral-ai' has no record in models/makers.yml"),
    ("restriction_repeats_the_licence", "components:", "restrictions:\n  - kind: attribution\n    text: Keep the notices with "
     "every copy.\n    evidence: https://www.apache.org/licenses/LICENSE-2.0\ncomponents:", "kind: attribution",
     "restriction 'attribution' is a clause of the licence"),
    ("use_repeats_the_licence", "components:", "uses:\n  attribution: {answer: \"yes\", condition: Keep the copyright and"
     " permission notices with every copy, evidence: https://www.apache.org/licenses/LICENSE-2.0}\ncomponents:",
     "  attribution:", "uses/attribution repeats the licence's answer"),
    ("own_base_model", "modality: [text]", "modality: [text]\nbase_model: mistral-7b", "base_model",
     "an entry cannot be its own base model"),

    ("base_model", "modality: [text]", "modality: [text]\nbase_model: llama-9", "base_model",
     "base_model 'llama-9' names no catalogue entry"),
    ("id", "id: mistral-7b", "id: mistral", "id: mistral", "differs from the file name"),
    ("status", "status: open\n    evidence: https://arxiv.org", "status: public\n    evidence: https://arxiv.org",
     "status: public", "'public' is not one of"),
]


def _entry_edit(name, old, new, marker, message):
    def breaker(p):
        edit(_entry(p), old, new)
        return "models/mistral-7b.yml", line_of(_entry(p), marker), message

    breaker.__name__ = f"bad_{name}"
    return breaker


def bad_missing_key(p):
    text = _entry(p).read_text()
    _entry(p).write_text(re.sub(r"^verdict:.*\n", "", text, flags=re.M))
    return "models/mistral-7b.yml", 1, "'verdict' is a required property"


def bad_status_without_evidence(p):
    text = _entry(p).read_text()
    _entry(p).write_text(text.replace("    status: open\n    evidence: https://arxiv.org/abs/2310.06825\n", "    status: open\n", 1))
    return "models/mistral-7b.yml", line_of(_entry(p), "paper:"), "'evidence' is a required property"


def bad_role_id(p):
    edit(p / "topics" / "beta.md", "## Sources", "Compare {model}`mistral-8b`.\n\n## Sources")
    return "topics/beta.md", line_of(p / "topics" / "beta.md", "mistral-8b"), "{model} 'mistral-8b' names no catalogue entry"


def bad_plain_mention(p):
    edit(p / "topics" / "beta.md", "## Sources", "Attackers also fine-tuned Mistral 7B.\n\n## Sources")
    return "topics/beta.md", line_of(p / "topics" / "beta.md", "Mistral 7B"), "catalogued model 'Mistral 7B' is mentioned in plain text but never linked"


def bad_one_address_for_most_components(p):
    edit(_entry(p), "evidence: https://arxiv.org/abs/2310.06825v1", "evidence: https://arxiv.org/abs/2310.06825")
    return "models/mistral-7b.yml", line_of(_entry(p), "2310.06825v1") if "v1" in _entry(p).read_text() else \
        len(_entry(p).read_text().splitlines()) - 2, "one address backs 5 components"


def bad_orphan_entry(p):
    edit(p / "topics" / "alpha.md", "Alpha mentions {model}`mistral-7b`. ", "")
    return "models/mistral-7b.yml", 1, "no page links to this catalogue entry"


def bad_not_yaml(p):
    _entry(p).write_text("id: mistral-7b\nname: [Mistral\n")
    return "models/mistral-7b.yml", 3, "not valid YAML"


def _licence(project: Path) -> Path:
    return project / "licences" / "apache-2.0.yml"


# Edits of the licence file: (name, text replaced, its replacement, text on the line warned about, message)
LICENCE_EDITS = [
    ("unknown_clause", "  pass-through:", "  viral:\n    present: false\n  pass-through:", "viral:", "'viral' was unexpected"),
    ("present_clause_without_section", "    section: paragraph 3 (unnumbered)\n", "", "  attribution:",
     "'section' is a required property"),
    ("answer_on_an_absent_clause", "derivative-name: {answer: \"yes\", clause: grant}",
     "derivative-name: {answer: \"yes\", clause: derivative-naming}", "derivative-name:", "which this file marks absent"),
    ("answer_contradicts_clauses", 'commercial: {answer: "yes", clause: grant}', 'commercial: {answer: "no", clause: grant}',
     "  commercial:", "commercial use is 'no' but no non-commercial clause"),
    ("clause_without_its_answer", "  attribution: {answer: \"yes\"", "  attribution: {answer: \"no\"", "  attribution: {answer",
     "an attribution clause is present"),
    ("conditional_without_condition", 'modify: {answer: "yes", clause: grant}', 'modify: {answer: "conditional", clause: grant}',
     "modify:", "'condition' is a required property"),
    ("unknown_spdx", "spdx: Apache-2.0", "spdx: Apache-2", "spdx:", "unknown SPDX identifier 'Apache-2'"),
    ("version_in_future", '  - version: "2.0"\n', '  - version: "2.0"\n    date: 2999-01\n', "date: 2999", "lies in the future"),
    ("impossible_date", "reviewed: 2026-12-07", "reviewed: 2026-02-30", "reviewed:", "is not a 'date'"),
    ("id", "id: apache-2.0", "id: apache", "id: apache", "differs from the file name"),
]


def _licence_edit(name, old, new, marker, message):
    def breaker(p):
        edit(_licence(p), old, new)
        return "licences/apache-2.0.yml", line_of(_licence(p), marker), message

    breaker.__name__ = f"bad_licence_{name}"
    return breaker


BAD = [*(_entry_edit(*item) for item in ENTRY_EDITS), *(_licence_edit(*item) for item in LICENCE_EDITS),
       bad_missing_key, bad_status_without_evidence, bad_role_id, bad_plain_mention, bad_orphan_entry, bad_not_yaml,
       bad_one_address_for_most_components]


@pytest.mark.parametrize("breaker", BAD, ids=[b.__name__.removeprefix("bad_") for b in BAD])
def test_a_bad_entry_is_a_warning_with_file_and_line(tmp_path, breaker):
    project = catalogue_fixture(tmp_path)
    path, line, message = breaker(project)
    result = sphinx_build(project, tmp_path / "html")
    assert result.returncode != 0, "the strict build should fail"
    warnings = [w for w in result.stderr.splitlines() if "WARNING" in w]
    hits = [w for w in warnings if f"{path}:{line}: WARNING: " in w and message in w]
    assert hits, f"no warning at {path}:{line} saying {message!r} in:\n" + "\n".join(warnings)


def test_the_unbroken_catalogue_fixture_builds_cleanly(catalogue):
    _, html = catalogue
    page = soup(html / "models" / "mistral-7b.html")
    assert page.h1.get_text(strip=True).startswith("Mistral 7B")
    rows = page.select("table.kb-model-components tbody tr")
    assert len(rows) == 9
    weights = rows[0].find_all("td")
    assert weights[0].get_text(strip=True) == "Weights" and weights[1].get_text(strip=True) == "● open"
    assert weights[2].a["href"] == "https://huggingface.co/mistralai/Mistral-7B-v0.1"
    assert "Apache-2.0; an OSI-approved licence" in page.select_one(".kb-model-facts").get_text()
    # "Mentioned in" quotes the sentence of the page that links here
    mentions = page.select_one("#mentioned-in")
    assert "Alpha mentions" in mentions.get_text() and mentions.select_one("li a")["href"] == "../topics/alpha.html"
    # the link in the topic previews the entry's verdict
    alpha = soup(html / "topics" / "alpha.html")
    data = json.loads(alpha.select_one("script#kb-previews-data").string)
    assert data["pages"]["models/mistral-7b.html"][0] == "Mistral 7B"
    # the sidebar does not list the catalogue's entries
    assert not page.select('.sidebar-tree a[href$="mistral-7b.html"]')


def test_derived_models_list_each_other(tmp_path):
    project = catalogue_fixture(tmp_path)
    derived = (project / "models" / "mistral-7b.yml").read_text().replace("id: mistral-7b", "id: zephyr-7b")
    derived = derived.replace("name: Mistral 7B", "name: Zephyr 7B").replace("modality: [text]", "modality: [text]\nbase_model: mistral-7b")
    (project / "models" / "zephyr-7b.yml").write_text(derived)
    (project / "pages.txt").write_text((project / "pages.txt").read_text() + "models/zephyr-7b\n")
    edit(project / "topics" / "gamma.md", "Gamma is about harms.", "Gamma is about harms, and {model}`zephyr-7b`.")
    result = sphinx_build(project, tmp_path / "html")
    assert result.returncode == 0, result.stderr
    base = soup(tmp_path / "html" / "models" / "mistral-7b.html").select_one("#base-and-derived-models")
    assert [a.get_text() for a in base.select("p a")] == ["Zephyr 7B"]
    child = soup(tmp_path / "html" / "models" / "zephyr-7b.html").select_one("#base-and-derived-models")
    assert "Trained from" in child.get_text() and child.select_one("p a")["href"] == "mistral-7b.html"


def test_exports_match_their_schema(catalogue):
    _, html = catalogue
    document = json.loads((html / "models.json").read_text())
    schema = json.loads((html / "models.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert not list(validator.iter_errors(document))
    entry = document["models"][0]
    assert entry["id"] == "mistral-7b" and entry["licence"] == "Apache-2.0" and entry["osi_approved_licence"] is True
    assert entry["components"]["weights"] == {"status": "open", "evidence": "https://huggingface.co/mistralai/Mistral-7B-v0.1"}
    assert entry["url"] == "https://kb.example.org/models/mistral-7b.html"
    rows = list(csv.DictReader(io.StringIO((html / "models.csv").read_text())))
    assert [r["id"] for r in rows] == ["mistral-7b"] and rows[0]["weights_status"] == "open"
    assert (html / "model.schema.json").read_bytes() == (ROOT / "_ext/kb/schemas/model.schema.json").read_bytes()
    # the check can fail: a record without its licence is rejected
    del entry["licence"]
    assert list(validator.iter_errors(document))


def test_new_model_scaffolds_an_entry_the_schema_accepts(tmp_path):
    project = catalogue_fixture(tmp_path)
    command = [sys.executable, str(ROOT / "tools" / "new-model"), "--root", str(project), "--id", "qwen3",
               "--name", "Qwen3", "--maker", "mistral", "--released", "2025-04", "--licence", "apache-2.0",
               "--licence-evidence", "https://www.apache.org/licenses/LICENSE-2.0"]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "models/qwen3" in (project / "pages.txt").read_text()
    build = sphinx_build(project, tmp_path / "html")
    # what is left is reported: no page links to the new entry yet
    assert "models/qwen3.yml:1: WARNING: no page links to this catalogue entry" in build.stderr
    assert "models/qwen3.yml" not in build.stderr.replace("models/qwen3.yml:1: WARNING: no page links", "")
    assert 'version: "2.0"' in (project / "models" / "qwen3.yml").read_text()
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 2 and "exists already" in again.stderr
    unknown = subprocess.run([*command[:8], "--maker", "nobody", *command[10:]], capture_output=True, text=True)
    assert unknown.returncode == 2 and "MAKER 'nobody' has no record" in unknown.stderr


# -- The real site ---------------------------------------------------------------------------------


def test_the_site_catalogues_at_least_forty_models(site):
    rows = site.soup("models/index.html").select("table.kb-model-table tbody tr")
    entries = sorted(p.stem for p in (ROOT / "models").glob("*.yml") if p.name != "makers.yml")
    assert len(entries) >= 40
    assert len(rows) == len(entries)
    document = json.loads((site.root / "models.json").read_text())
    assert sorted(m["id"] for m in document["models"]) == entries
    schema = json.loads((site.root / "models.schema.json").read_text())
    jsonschema.validate(document, schema)


def test_every_entry_has_evidence_for_every_known_status(site):
    document = json.loads((site.root / "models.json").read_text())
    for model in document["models"]:
        for name, component in model["components"].items():
            if component["status"] != "unknown":
                assert component["evidence"].startswith("https://"), (model["id"], name)


# -- In the browser --------------------------------------------------------------------------------


def _rows(page) -> list[str]:
    return page.locator("table.kb-model-table tbody tr:not([hidden]) th[scope=row]").all_inner_texts()


@pytest.mark.browser
def test_the_table_sorts_and_filters_by_mouse_and_keyboard(page):
    page.goto("models/index.html")
    total = len(_rows(page))
    assert page.locator(".kb-model-count").inner_text() == f"{total} of {total} models shown"
    # sort by name with the mouse, then reverse it with the keyboard
    page.get_by_role("button", name="Model", exact=True).click()
    names = _rows(page)
    assert names == sorted(names, key=str.lower) or names == sorted(names, key=lambda n: n.casefold())
    assert page.locator("table.kb-model-table thead th").first.get_attribute("aria-sort") == "ascending"
    # the arrow CSS draws after the sorted column's name is part of its name now: find it by place
    page.locator("table.kb-model-table thead th button").first.focus()
    page.keyboard.press("Enter")
    assert _rows(page) == list(reversed(names))
    # filter: training data released, by keyboard (Space on the checkbox)
    page.locator("#kb-filter-data").focus()
    page.keyboard.press("Space")
    shown = _rows(page)
    assert 0 < len(shown) < total
    column = page.locator("table.kb-model-table thead th").all_inner_texts().index("Training data")
    statuses = page.locator(f"table.kb-model-table tbody tr:not([hidden]) td:nth-child({column + 1})").all_inner_texts()
    assert statuses and all("open" in s and "not" not in s for s in statuses)
    assert page.locator(".kb-model-count").inner_text() == f"{len(shown)} of {total} models shown"
    # the mouse clears it again (a click on the checkbox's label)
    page.locator("label[for=kb-filter-data]").click()
    assert not page.locator("#kb-filter-data").is_checked()
    assert len(_rows(page)) == total
    # and a developer, chosen with the mouse from the select: only that developer's rows remain
    maker = page.locator("#kb-filter-developer option").nth(1).inner_text().strip()
    page.locator("#kb-filter-developer").click()
    page.select_option("#kb-filter-developer", label=maker)
    developers = page.locator("table.kb-model-table tbody tr:not([hidden]) td:nth-child(2)").all_inner_texts()
    assert developers and set(developers) == {maker}
    assert len(developers) < total


@pytest.mark.browser
def test_the_table_works_without_javascript(browser, server):
    context = browser.new_context(base_url=server, java_script_enabled=False)
    page = context.new_page()
    page.goto("models/index.html")
    rows = page.locator("table.kb-model-table tbody tr")
    assert rows.count() >= 40
    assert page.locator("table.kb-model-table tbody tr[hidden]").count() == 0
    assert page.locator(".kb-model-filters").count() == 0  # no controls that would do nothing
    assert page.locator("table.kb-model-table thead th").first.inner_text().strip() == "Model"
    context.close()


@pytest.mark.browser
def test_searching_a_models_name_finds_its_page_first(browser, published):
    """For every entry: its name, and its name with "licence", put its page first."""
    import yaml  # noqa: PLC0415

    from .searching import install_probe, run_query  # noqa: PLC0415

    context = published.new_context(browser)
    install_probe(context)
    page = context.new_page()
    base = published.url.rstrip("/")
    misses = []
    for path in sorted(p for p in (ROOT / "models").glob("*.yml") if p.name != "makers.yml"):
        name = yaml.safe_load(path.read_text(encoding="utf-8"))["name"]
        for query in (name, f"{name} licence"):
            targets, _ = run_query(page, base, query)
            if not targets or not targets[0].startswith(f"models/{path.stem}.html"):
                misses.append((query, targets[:3]))
    context.close()
    assert not misses, misses


def test_two_entries_cannot_share_an_id(tmp_path):
    """An id is its file's name, so a second file claiming an id that exists is reported."""
    project = catalogue_fixture(tmp_path)
    shutil.copy(project / "models" / "mistral-7b.yml", project / "models" / "mistral-7b-copy.yml")
    (project / "pages.txt").write_text((project / "pages.txt").read_text() + "models/mistral-7b-copy\n")
    result = sphinx_build(project, tmp_path / "html")
    assert result.returncode != 0
    line = line_of(project / "models" / "mistral-7b-copy.yml", "id: mistral-7b")
    assert f"models/mistral-7b-copy.yml:{line}: WARNING: id 'mistral-7b' differs from the file name" in result.stderr


def test_incremental_builds_report_model_mentions_like_a_clean_build(tmp_path):
    """The mentions are kept per page between builds; a page read again, or a new name for a
    model, is searched again."""
    project = catalogue_fixture(tmp_path)
    out = tmp_path / "html"
    edit(project / "topics" / "gamma.md", "Gamma is about harms.", "Gamma is about harms, as Le Chat showed.")
    assert sphinx_build(project, out).returncode == 0
    # a new alias: gamma, not read again, now names the model without linking it
    edit(_entry(project), "name: Mistral 7B", "name: Mistral 7B\naliases: [Le Chat]")
    second = sphinx_build(project, out)
    line = line_of(project / "topics" / "gamma.md", "Le Chat")
    assert f"topics/gamma.md:{line}: WARNING: catalogued model 'Le Chat' is mentioned in plain text" in second.stderr
    # and a page read again is searched again
    edit(project / "topics" / "beta.md", "## Sources", "Attackers also fine-tuned Mistral 7B.\n\n## Sources")
    third = sphinx_build(project, out)
    assert "topics/beta.md" in third.stderr and "catalogued model 'Mistral 7B'" in third.stderr
