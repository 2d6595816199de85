"""The contributor path works: following CONTRIBUTING.md, a newcomer adds a topic, a term, a source
and a redirect, and the strict build passes. Also: the contributing pages are part of the site, and
the files people expect in a repository are there and well formed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from .conftest import ROOT, copy_project, run_make_html

NAME = "kb-newcomer-topic"
TITLE = "Open model registries"


def make(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=project, capture_output=True, text=True)


def unused_term(project: Path) -> str:
    """A term no page mentions (so no page must start linking it), whatever the content says today."""
    text = " ".join(p.read_text(encoding="utf-8").lower() for p in project.rglob("*.md") if ".venv" not in p.parts)
    return next(term for n in range(1, 1000) if (term := f"registry mirror {n}") not in text)


def add_term(project: Path, term: str, definition: str) -> None:
    """What CONTRIBUTING.md says: the term on one line, its definition indented by two spaces."""
    glossary = project / "glossary.md"
    text = glossary.read_text(encoding="utf-8")
    match = re.search(r"^```\{glossary\}\n(:\w+:.*\n)*\n", text, re.M)
    assert match, "glossary.md has no glossary directive"
    glossary.write_text(text[: match.end()] + f"{term}\n  {definition}\n\n" + text[match.end() :], encoding="utf-8")


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory):
    """A scratch copy edited as CONTRIBUTING.md describes, then built with `make html`."""
    project = copy_project(tmp_path_factory.mktemp("newcomer") / "project")

    created = make(project, "new-topic", f"NAME={NAME}", f"TITLE={TITLE}")
    assert created.returncode == 0, created.stdout + created.stderr

    term = unused_term(project)
    add_term(project, term, "Combining the weights of models; a definition written for this test.")
    page = project / "topics" / f"{NAME}.md"
    text = page.read_text(encoding="utf-8")
    text = text.replace(
        "## Background\n",
        f"## Background\n\nWriters explain {{term}}`{term}` here, cite a paper "
        "([Bommasani et al.](https://arxiv.org/abs/2108.07258)), show a tag as code (`<div>`) "
        "and include a file from the repository:\n\n```{literalinclude} snippet.txt\n```\n\n"
        '```html\n<p class="example">HTML in a code block is fine.</p>\n```\n',
    )
    page.write_text(text, encoding="utf-8")
    (project / "topics" / "snippet.txt").write_text("A harmless included sentence.\n", encoding="utf-8")

    # A page that was published once and has since moved: kept in pages.txt, redirected in conf.py.
    with (project / "pages.txt").open("a", encoding="utf-8") as manifest:
        manifest.write("topics/an-old-name\n")
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f'\nredirects["topics/an-old-name"] = "/topics/{NAME}.html"\n')

    out = project.parent / "out"
    result = run_make_html(project, out)
    return project, out / "html", created, result, term


def test_new_topic_reports_what_it_changed(newcomer):
    project, _html, created, _result, _term = newcomer
    assert (project / "topics" / f"{NAME}.md").exists()
    assert f"topics/{NAME}\n" in (project / "index.md").read_text(encoding="utf-8")
    assert f"topics/{NAME}\n" in (project / "pages.txt").read_text(encoding="utf-8")
    linked_from = [p for p in (project / "topics").glob("*.md") if f"]({NAME}.md)" in p.read_text(encoding="utf-8")]
    assert linked_from, "no topic links to the new one"
    for word in ("created", "index.md", "pages.txt", linked_from[0].name):
        assert word in created.stdout, created.stdout


def test_the_newcomers_edits_pass_the_strict_build(newcomer):
    _project, _html, _created, result, _term = newcomer
    assert result.returncode == 0, result.stderr[-6000:]


def test_the_new_topic_is_published_with_its_term_source_and_include(newcomer):
    _project, html, _created, result, term = newcomer
    assert result.returncode == 0, result.stderr[-3000:]
    soup = BeautifulSoup((html / "topics" / f"{NAME}.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("h1").get_text().startswith(TITLE)
    assert any(a.get_text() == term for a in soup.select("a.reference.internal"))
    source = soup.select_one('a[href="https://arxiv.org/abs/2108.07258"]')
    assert source is not None and source["rel"] == ["noopener"]
    assert "A harmless included sentence." in soup.get_text()
    assert "HTML in a code block is fine." in soup.get_text()
    index = BeautifulSoup((html / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.select_one(f'a[href="topics/{NAME}.html"]') is not None


def test_the_old_address_redirects_to_the_new_page(newcomer):
    _project, html, _created, result, _term = newcomer
    assert result.returncode == 0, result.stderr[-3000:]
    redirect = (html / "topics" / "an-old-name.html").read_text(encoding="utf-8")
    assert f"{NAME}.html" in redirect and 'http-equiv="refresh"' in redirect and "<title>" in redirect


@pytest.mark.parametrize(
    "args, message",
    [
        (["NAME=Not Valid", "TITLE=x"], "is not valid"),
        (["NAME=licences", "TITLE=Licences"], "already exists"),
        (["NAME=fresh-page", "TITLE="], "TITLE is missing"),
    ],
    ids=["bad name", "existing page", "no title"],
)
def test_new_topic_refuses_bad_input_and_changes_nothing(scratch_project, args, message):
    if args[0] == "NAME=licences" and not (scratch_project / "topics" / "licences.md").exists():
        pytest.skip("no licences topic to collide with")
    index_before = (scratch_project / "index.md").read_text(encoding="utf-8")
    result = make(scratch_project, "new-topic", *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert (scratch_project / "index.md").read_text(encoding="utf-8") == index_before


def test_unknown_tag_is_refused(scratch_project):
    result = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "tools/new-topic", "--name", "x-y", "--title", "X", "--tags", "nonsense"],
        cwd=scratch_project,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "unknown tag" in result.stderr


# -- the contributing pages on the site -------------------------------------------------------------


def test_contributing_guide_and_style_guide_are_pages(site):
    guide = site.soup("contributing/index.html")
    assert guide.find("h1").get_text().startswith("Contributing")
    text = guide.get_text()
    for command in ("make html", "make test", "make serve", "make new-topic", "make pages", "make lint"):
        assert command in text, command
    # CONTRIBUTING.md's relative links work on the site: to the style guide, and to repository files.
    hrefs = [a["href"] for a in guide.select("article a[href]")]
    assert "style-guide.html" in hrefs
    from conf import repository_url  # noqa: PLC0415

    if repository_url:  # a link into the repository the site is built from
        assert any(h == f"{repository_url}/blob/main/CODE_OF_CONDUCT.md" for h in hrefs)
    else:  # no repository known (see conf.py): the file's name as text, and no dead link
        assert not any("CODE_OF_CONDUCT" in h for h in hrefs)
        assert "Code of Conduct" in guide.select_one("article").get_text()
    assert not (site.root / "CONTRIBUTING.html").exists(), "CONTRIBUTING.md is built twice"
    style = site.soup("contributing/style-guide.html").get_text()
    for topic in ("Voice and tone", "Balance", "Sources", "Front matter", "Glossary terms", "alt text", "kb_tags"):
        assert topic in style, topic


def test_contributing_mentions_every_make_target_it_uses():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"`make ([a-z-]+)", text)):
        assert re.search(rf"^{target}:", makefile, re.M), f"CONTRIBUTING.md uses `make {target}`, which does not exist"


# -- repository files ---------------------------------------------------------------------------------


def test_issue_forms_are_valid():
    forms = {p.stem: yaml.safe_load(p.read_text()) for p in (ROOT / ".github/ISSUE_TEMPLATE").glob("*.yml")}
    assert {"correction", "new-topic", "new-term"} <= forms.keys()
    for name, form in forms.items():
        if name == "config":
            assert isinstance(form["blank_issues_enabled"], bool)
            continue
        assert form["name"] and form["description"] and form["body"], name
        ids = [item["id"] for item in form["body"] if "id" in item]
        assert len(ids) == len(set(ids)), f"{name}: duplicate ids"
        for item in form["body"]:
            assert item["type"] in {"markdown", "textarea", "input", "dropdown", "checkboxes"}, (name, item)
            assert item["attributes"].get("label") or item["type"] == "markdown", (name, item)
        assert any(item.get("validations", {}).get("required") for item in form["body"]), name


def test_pull_request_template_asks_the_three_questions():
    text = (ROOT / ".github/PULL_REQUEST_TEMPLATE.md").read_text().lower()
    for heading in ("## what changed", "## sources checked", "## preview looked at"):
        assert heading in text


def test_codeowners_lines_have_a_pattern_and_an_owner():
    for line in (ROOT / ".github/CODEOWNERS").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            assert owners and all(o.startswith("@") for o in owners), line


def test_licences_are_stated():
    mit = (ROOT / "LICENSE").read_text()
    assert mit.startswith("MIT License") and "Permission is hereby granted, free of charge" in mit
    content = (ROOT / "LICENSE-CONTENT.md").read_text()
    assert "https://creativecommons.org/licenses/by/4.0/" in content and "CC BY 4.0" in content


def test_code_of_conduct_adopts_contributor_covenant_with_attribution():
    text = (ROOT / "CODE_OF_CONDUCT.md").read_text()
    assert "Contributor Covenant" in text and "version 2.1" in text
    assert "https://www.contributor-covenant.org/version/2/1/code_of_conduct.html" in text
    assert re.search(r"^## Enforcement\n.*?(CONTACT ADDRESS|@|https://)", text, re.S | re.M), "no way to report is named"


def test_citation_file_is_cff_1_2_0():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):
        assert cff[key], key
    for author in cff["authors"]:
        assert author.get("name") or author.get("family-names"), author
    assert set(cff["license"]) == {"CC-BY-4.0", "MIT"}
    assert cff.get("type", "software") in {"software", "dataset"}
    allowed = {
        "abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi", "identifiers",
        "keywords", "license", "license-url", "message", "preferred-citation", "references", "repository",
        "repository-artifact", "repository-code", "title", "type", "url", "version",
    }  # fmt: skip
    assert set(cff) <= allowed, set(cff) - allowed


def test_editorconfig_is_the_root_and_keeps_tabs_in_the_makefile():
    text = (ROOT / ".editorconfig").read_text()
    assert "root = true" in text
    assert re.search(r"\[Makefile\]\s*\nindent_style = tab", text)


def test_readme_names_only_tests_that_exist():
    """Every claim in README's "What the tests prove" names tests, and each one it names exists."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What the tests prove", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(test_\w+)`", section))
    files = set(re.findall(r"`tests/(test_\w+\.py)`", section))
    defined = {m for p in (ROOT / "tests").glob("test_*.py") for m in re.findall(r"^def (test_\w+)", p.read_text(), re.M)}
    assert len(named) >= 30
    assert not named - defined, f"README names tests that do not exist: {sorted(named - defined)}"
    assert all((ROOT / "tests" / f).is_file() for f in files), files
    claims = [line for line in section.splitlines() if line.startswith("- **")]
    assert claims
    for claim in section.split("\n- **")[1:]:
        assert "`test_" in claim or "`tests/test_" in claim, f"a claim names no test: {claim[:80]}"
