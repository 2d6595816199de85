"""Safety rails: broken and hostile edits fail `make html`, each with its own warning naming the file.

One scratch build carries every bad edit at once (the Makefile builds with --keep-going, so each
must produce its own warning); a second scratch build (tests/test_contributing.py) shows that
clean edits still pass. The real site is checked for how external links are rendered.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT, copy_project, run_make_html
from .test_site import TOPICS

sys.path.insert(0, str(ROOT / "_ext"))  # the kb extension, for the unit tests


@dataclass
class Edit:
    """A bad edit: what to write where, and the warning it must cause in that file."""

    case: str
    file: str
    message: str
    text: str = ""  # appended to the file (after a blank line)
    lines: tuple[int, int] | None = None  # filled in: where the appended text starts and ends


def _topic(i: int) -> str:
    return f"topics/{TOPICS[i % len(TOPICS)]}.md"


EVAL_RST_RAW_ROLE = """```{eval-rst}
.. role:: html(raw)
   :format: html

Hidden :html:`<script>alert(1)</script>` markup.
```"""

APPENDED = [
    # Raw markup
    Edit("raw directive", _topic(0), "the raw directive is disabled", "```{raw} html\n<script>alert(1)</script>\n```"),
    Edit("raw role in eval-rst", _topic(0), "the raw role is disabled", EVAL_RST_RAW_ROLE),
    Edit("inline HTML", _topic(0), "raw HTML '<script>'", 'A sentence with <script>alert("x")</script> inside.'),
    Edit("HTML block", _topic(0), "raw HTML '<div", '<div class="box">\nA block of HTML.\n</div>'),
    Edit("HTML comment", _topic(0), "raw HTML '<!", "<!-- a comment that would be shown as text -->"),
    # Files outside the repository
    Edit("include outside", _topic(1), "include of /etc/hostname refused", "```{include} /../../../../../../../etc/hostname\n```"),
    Edit("literalinclude outside", _topic(1), "literalinclude of", "```{literalinclude} ../../../../../../../../etc/hostname\n```"),
    Edit("literalinclude hidden folder", _topic(1), "literalinclude of '../.secrets/token.txt'", "```{literalinclude} ../.secrets/token.txt\n```"),
    Edit("csv-table file", _topic(1), "csv-table :file: '/etc/passwd' refused", "```{csv-table}\n:file: /etc/passwd\n```"),
    Edit("csv-table url", _topic(1), "csv-table :url: refused", "```{csv-table}\n:url: https://example.org/data.csv\n```"),
    Edit("download outside", _topic(1), "download link to", "{download}`the password file </../../../../../../etc/passwd>`"),
    # Links and images
    Edit("http link", _topic(2), "uses http", "See [an old address](http://arxiv.org/abs/2108.07258)."),
    Edit("unlisted domain", _topic(2), "which is not in allowed-domains.txt", "See [a new site](https://unlisted.example.net/page)."),
    Edit("credentials in link", _topic(2), "contains a user name or password", "See [a trick](https://arxiv.org@evil.example.com/)."),
    Edit("remote image", _topic(2), "remote image 'https://arxiv.org/pixel.png' refused", "![A tracking pixel](https://arxiv.org/pixel.png)"),
    Edit("image without alt text", _topic(2), "has no alt text", "![](../_static/logo.svg)"),
    Edit("missing image", _topic(2), "image file not readable", "![A chart](no-such-chart.png)"),
    # Markup Sphinx itself rejects
    Edit("unknown directive", _topic(3), "Unknown directive type", "```{no-such-directive}\nx\n```"),
    Edit("unknown role", _topic(3), "Unknown interpreted text role", "A {no-such-role}`word` here."),
    Edit("broken doc link", _topic(3), "unknown document", "See {doc}`no-such-page`."),
    Edit("broken ref", _topic(3), "undefined label", "See {ref}`no-such-label`."),
    Edit("broken term", _topic(3), "term not in glossary", "A {term}`no such term` here."),
    Edit("broken page link", _topic(3), "no-such-page.md", "See [a missing page](no-such-page.md)."),
    Edit("duplicate label", _topic(5), "duplicate label kb-test-label", "(kb-test-label)=\n## A labelled section"),
    # Repository files that steer the build
    Edit("unknown manifest page", "pages.txt", "page 'topics/removed-page' was removed or renamed", "topics/removed-page"),
    Edit(
        "jinja substitution",
        _topic(7),
        "substitution '{{ cycler.__init__",
        'Ran: {{ cycler.__init__.__globals__.os.popen("echo kb-code-$((6*7))").read() }}',
    ),
    Edit("redirect to nowhere", "conf.py", "leads to no page", 'redirects["topics/old-page"] = "/topics/no-such-page.html"'),
    Edit("bad allowlist entry", "allowed-domains.txt", "is not a domain name", "not a domain!"),
    Edit("external toctree entry", "index.md", "external link http://example.org uses http", "```{toctree}\n:caption: Elsewhere\nhttp://example.org\n```"),
]

# Edits that replace rather than append.
DUPLICATE_TERM = "duplicate term description of open weights"
MALFORMED_FRONT_MATTER = "front matter refused: not valid YAML"
OUTSIDE_TOCTREE = "document isn't included in any toctree"
NOT_IN_MANIFEST = "new page 'topics/not-listed' is not listed in pages.txt"


def apply_edits(project: Path) -> None:
    # The label used by "duplicate label" exists once already, on another page.
    first = project / _topic(4)
    first.write_text(first.read_text(encoding="utf-8") + "\n(kb-test-label)=\n## Labelled first\n\nText.\n")
    (project / ".secrets").mkdir()
    (project / ".secrets" / "token.txt").write_text("ghp_not-a-real-token\n")
    for edit in APPENDED:
        path = project / edit.file
        before = path.read_text(encoding="utf-8")
        start = before.count("\n") + 2
        path.write_text(before + "\n" + edit.text + "\n", encoding="utf-8")
        edit.lines = (start, start + edit.text.count("\n"))
    # A term defined twice.
    glossary = project / "glossary.md"
    text = glossary.read_text(encoding="utf-8")
    assert "\nopen weights\n" in text
    glossary.write_text(text.replace("\nopen weights\n", "\nopen weights\n  A second definition.\n\nopen weights\n", 1))
    # Front matter that is not YAML.
    page = project / _topic(6)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    page.write_text("---\nsummary: [unclosed\n" + text[4:], encoding="utf-8")
    # A page that declares itself an orphan, to escape the toctree check.
    page = project / _topic(8)
    page.write_text("---\norphan: true\n" + page.read_text(encoding="utf-8")[4:], encoding="utf-8")
    # A page outside every toctree and missing from the manifest.
    (project / "topics" / "not-listed.md").write_text(
        "---\nsummary: A page nobody listed.\ntags: [foundations]\nrelated: [licences, security]\n---\n\n"
        "# Not listed\n\nThis page is in no table of contents.\n",
        encoding="utf-8",
    )


# "path:line: WARNING: message", or "path: WARNING: ..." without a line; a progress message may
# stand before it on the same line ("checking consistency... path: WARNING: ...").
WARNING = re.compile(r"(?P<file>/[^\s:]+)(?::(?P<line>\d*))?: (?:WARNING|ERROR|CRITICAL): (?P<message>.*)$")


def warnings_in(stderr: str, project: Path, file: str) -> list[tuple[int | None, str]]:
    """(line, message) of every warning located in `file` of the project."""
    found = []
    target = (project / file).resolve()
    for raw in stderr.splitlines():
        match = WARNING.search(raw)
        if match and Path(match["file"]).resolve() == target:
            found.append((int(match["line"]) if match["line"] else None, match["message"]))
    return found


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """One scratch copy with every bad edit, built once with `make html`."""
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    apply_edits(project)
    result = run_make_html(project, project.parent / "out")
    return project, result


def test_the_hostile_build_fails(hostile_build):
    _project, result = hostile_build
    assert result.returncode != 0, result.stdout[-2000:]


@pytest.mark.parametrize("edit", APPENDED, ids=lambda e: e.case)
def test_each_bad_edit_is_reported_in_its_file(hostile_build, edit):
    project, result = hostile_build
    located = warnings_in(result.stderr, project, edit.file)
    matching = [(line, msg) for line, msg in located if edit.message in msg]
    assert matching, f"no warning {edit.message!r} in {edit.file}:\n" + "\n".join(m for _, m in located)
    start, end = edit.lines
    assert any(line is not None and start <= line <= end for line, _ in matching), (matching, edit.lines)


@pytest.mark.parametrize(
    "file, message",
    [
        ("glossary.md", DUPLICATE_TERM),
        (_topic(6), MALFORMED_FRONT_MATTER),
        (_topic(8), "front matter key 'orphan' is not allowed"),
        ("topics/not-listed.md", OUTSIDE_TOCTREE),
        ("topics/not-listed.md", NOT_IN_MANIFEST),
    ],
    ids=["duplicate term", "malformed front matter", "orphan front matter", "outside every toctree", "missing from pages.txt"],
)
def test_each_broken_file_is_named(hostile_build, file, message):
    project, result = hostile_build
    located = warnings_in(result.stderr, project, file)
    assert any(message in msg for _, msg in located), f"no warning {message!r} in {file}:\n" + "\n".join(
        m for _, m in located
    )


def test_hostile_content_never_reaches_the_html(hostile_build):
    project, _result = hostile_build
    out = project.parent / "out" / "html"
    written = {p.stem for p in (out / "topics").glob("*.html")}
    assert set(TOPICS) <= written, f"pages the build did not write: {set(TOPICS) - written}"
    html = "".join((out / "topics" / f"{stem}.html").read_text(encoding="utf-8") for stem in sorted(written))
    assert "<script>alert(" not in html
    assert "ghp_not-a-real-token" not in html
    assert "root:x:0:0" not in html  # /etc/passwd
    assert not list(out.rglob("passwd")), "a file from outside the repository was copied into the site"
    assert "<div class=\"box\">" not in html
    assert "kb-code-42" not in html, "a page ran a command during the build"


# -- units (no build) ------------------------------------------------------------------------------


def test_html_tag_pattern_finds_tags_but_not_prose():
    from kb.safety import HTML_TAG

    for text in ["<b>", "</span>", '<a href="x">', "<!-- c -->", "<!\u2013 c", "<br/>", "<my-widget>", "<IMG SRC=x>"]:
        assert HTML_TAG.search(text), text
    for text in ["a < b and c > d", "x <= y", "<https://example.org>", "the <model> placeholder", "->"]:
        assert not HTML_TAG.search(text), text


def test_allowlist_matching(tmp_path):
    from kb.links import read_allowlist

    path = tmp_path / "allow.txt"
    path.write_text("# group\narxiv.org\n*.europa.eu\nbad entry\n")
    allowlist, bad = read_allowlist(path)
    assert bad == [(4, "bad entry")]
    assert allowlist.allows("arxiv.org") and allowlist.allows("www.arxiv.org") and allowlist.allows("ARXIV.ORG.")
    assert not allowlist.allows("evilarxiv.org") and not allowlist.allows("export.arxiv.org")
    assert allowlist.allows("eur-lex.europa.eu") and allowlist.allows("europa.eu")
    assert not allowlist.allows("europa.eu.evil.com")


def test_redirect_targets_resolve_like_the_browser():
    from kb.redirects import redirect_target_docname

    assert redirect_target_docname("topics/old", "new.html") == "topics/new"
    assert redirect_target_docname("topics/old", "/about.html#scope") == "about"
    assert redirect_target_docname("topics/old", "../glossary.html") == "glossary"
    assert redirect_target_docname("old", "/") == "index"
    assert redirect_target_docname("old", "https://example.org/") is None


# -- the real site ---------------------------------------------------------------------------------


def test_external_links_open_safely_and_are_marked(site):
    checked = 0
    for page in site.content_pages():
        for a in site.soup(page).select("article a.reference.external"):
            checked += 1
            assert a.get("rel") == ["noopener"], (page, a)
            if a.find("img") is None:
                assert "kb-external" in a["class"], (page, a)
                hint = a.select_one(".kb-visually-hidden")
                assert hint is not None and hint.get_text() == " (external link)", (page, a)
    assert checked > 50
    css = site.root / "_static" / "kb-links.css"
    assert css.exists()
    assert ".kb-external::after" in css.read_text() and ".kb-visually-hidden" in css.read_text()
    assert 'href="_static/kb-links.css' in (site.root / "index.html").read_text()


def test_the_hint_stays_out_of_search(site):
    a = next(a for a in site.soup("topics/security.html").select("a.kb-external"))
    hint = a.select_one(".kb-visually-hidden")
    assert "no-search" in hint["class"] and hint.has_attr("data-pagefind-ignore")
    indexed = site.search_index_text()
    assert "Open Source Initiative" in indexed or "OSI" in indexed, "the index holds the pages' text"
    assert "(external link)" not in indexed


def test_conf_keeps_the_rails_on():
    import conf

    assert {"html_block", "html_inline"} <= set(conf.myst_disable_syntax)
    assert not getattr(conf, "suppress_warnings", []), "suppressed warnings would let problems through"


def test_the_allowlist_is_reviewed_and_grouped():
    lines = (ROOT / "allowed-domains.txt").read_text(encoding="utf-8").splitlines()
    previous = ""
    for number, line in enumerate(lines, start=1):
        if line.strip() and not line.startswith("#"):
            assert previous.strip(), f"allowed-domains.txt:{number}: a group must start with a comment line"
            assert re.fullmatch(r"(\*\.)?[a-z0-9.-]+\.[a-z]{2,}", line), f"allowed-domains.txt:{number}: {line!r}"
        previous = line if line.strip() else ""
    entries = [line for line in lines if line.strip() and not line.startswith("#")]
    assert len(entries) == len(set(entries)), "a domain is listed twice"


def test_second_make_html_reuses_the_venv():
    dry = subprocess.run(["make", "--dry-run", "html"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "sphinx-build" in dry.stdout
    assert "pip install" not in dry.stdout
    assert "-m venv" not in dry.stdout


def test_only_plain_substitutions_reach_myst():
    from kb.safety import unsafe_substitutions

    text = "\n".join(
        [
            "---",
            'substitutions: {evil: "{{ self.__init__ }}"}',  # 2: front matter values are parsed too
            "---",
            "A {{ project_name }} and a {{ key-with-hyphen }} are fine.",  # 4
            "But {{ 6 * 7 }} is an expression.",  # 5
            "`{{ code }}` is inline code and {{env}} is refused.",  # 6
            "```python",
            "print('{{ in a code block }}')",
            "```",
            "```{note}",
            "{{ lipsum.__globals__ }}",  # 11: directive content is Markdown
            "```",
        ]
    )
    assert [line for line, _ in unsafe_substitutions(text)] == [2, 5, 6, 11]
