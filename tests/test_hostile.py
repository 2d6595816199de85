"""Every contribution is untrusted input: hostile edits of each kind are refused with file and line.

Each case edits a copy of the fixture catalogue (tests/data/catalogue on tests/roots/kb-graph),
builds it strictly and checks that the build fails with a warning at the file and line of the
offending value, within a time budget, without a traceback, and without the payload in the
output (a refused page shows what was refused instead of its content: kb.refusals). A
property-based test then feeds generated YAML, front matter, entries and addresses to the loaders
and checks that each is either accepted or refused with a line, never with another exception.
"""

from __future__ import annotations

import os
import re
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import ROOT
from .kbgraph import edit, sphinx_build
from .test_catalogue import catalogue_fixture, line_of
from .test_currency import add_whats_new

sys.path.insert(0, str(ROOT / "_ext"))

BUDGET_SECONDS = 60
ENTRY = "models/mistral-7b.yml"
LICENCE = "licences/apache-2.0.yml"
TOPIC = "topics/alpha.md"
BOMB = "\n".join([
    "lol1: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
    "lol2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "lol3: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "lol4: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
    "lol5: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
    "lol6: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]",
    "lol7: [*f, *f, *f, *f, *f, *f, *f, *f, *f]",
])


@dataclass
class Case:
    """A hostile edit: ``apply(project)`` changes the copy; the build must warn ``message`` in
    ``file`` at the line holding ``marker`` (1 when None), and no output may contain ``payload``."""

    name: str
    file: str
    message: str
    apply: object
    marker: str | None = None
    payload: list[str] = field(default_factory=list)
    line_offset: int = 0


def replace(file: str, old: str, new: str):
    return lambda p: edit(p / file, old, new)


def append(file: str, text: str):
    return lambda p: (p / file).write_text((p / file).read_text(encoding="utf-8") + text, encoding="utf-8")


def write(file: str, content: str | bytes):
    def apply(p):
        path = p / file
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return apply


def symlink(file: str, target: str):
    return lambda p: (p / file).symlink_to(target)


def both(*steps):
    return lambda p: [step(p) for step in steps]


def add_page(name: str):
    return append("pages.txt", f"{name}\n")


SECOND_ENTRY = "models/zephyr-7b.yml"


def second_entry(base: str):
    def apply(p):
        text = (p / ENTRY).read_text(encoding="utf-8").replace("id: mistral-7b", "id: zephyr-7b")
        text = text.replace("name: Mistral 7B", "name: Zephyr 7B").replace("modality: [text]", f"modality: [text]\nbase_model: {base}")
        (p / SECOND_ENTRY).write_text(text, encoding="utf-8")
        edit(p / "pages.txt", "models/mistral-7b\n", "models/mistral-7b\nmodels/zephyr-7b\n")
        edit(p / "topics" / "gamma.md", "Gamma is about harms.", "Gamma is about harms, and {model}`zephyr-7b`.")
    return apply


CASES = [
    # Off-site redirects and page metadata
    Case("meta refresh in front matter", TOPIC, "front matter key 'myst' is not allowed",
         replace(TOPIC, "reviewed: 2026-11-01\n", "reviewed: 2026-11-01\nmyst:\n  html_meta:\n"
                 '    "http-equiv=refresh": "0; url=https://evil.example/"\n'),
         marker="myst:", payload=["evil.example"]),
    Case("markup in front matter", TOPIC, "markup ('<s') is not allowed in data",
         replace(TOPIC, "summary: What the basic words", "summary: <script>alert(1)</script> What the basic words"),
         marker="summary:", payload=["<script>alert(1)"]),
    Case("unknown front matter key", TOPIC, "front matter key 'layout' is not allowed",
         replace(TOPIC, "reviewed: 2026-11-01\n", "reviewed: 2026-11-01\nlayout: wide\n"), marker="layout:"),
    Case("off-site redirect", "conf.py", "leaves the site and was dropped",
         append("conf.py", '\nextensions.append("sphinx_reredirects")\nredirects = {"old-page": "https://evil.example/"}\n'), marker='"old-page"',
         payload=["evil.example"]),
    Case("javascript redirect", "conf.py", "leaves the site",
         append("conf.py", '\nextensions.append("sphinx_reredirects")\nredirects = {"old-page": "javascript:alert(1)"}\n'), marker='"old-page"'),
    Case("backslash redirect", "conf.py", "leaves the site",
         append("conf.py", '\nextensions.append("sphinx_reredirects")\nredirects = {"old-page": "/\\\\evil.example/x"}\n'), marker='"old-page"'),
    # Reading outside the repository
    Case("model role with a path", "topics/beta.md", "names no catalogue entry",
         replace("topics/beta.md", "## Sources", "See {model}`../../../../../../etc/passwd`.\n\n## Sources"),
         marker="etc/passwd", payload=["root:x:0:0"]),
    Case("symlinked entry", "models/leak.yml", "is a symbolic link",
         symlink("models/leak.yml", "/etc/passwd"), payload=["root:x:0:0"]),
    Case("symlinked page", "topics/leak.md", "is a symbolic link", symlink("topics/leak.md", "/etc/passwd"),
         payload=["root:x:0:0"]),
    Case("symlink to an endless file", "topics/zero.md", "is a symbolic link", symlink("topics/zero.md", "/dev/zero")),
    Case("symlinked folder", "models/more", "is a symbolic link", symlink("models/more", "/etc")),
    # YAML as a weapon
    Case("alias bomb in an entry", ENTRY, "YAML anchors (&a) are not allowed", append(ENTRY, BOMB + "\n"), marker="lol1:"),
    Case("alias bomb in a licence", LICENCE, "YAML anchors (&a) are not allowed", append(LICENCE, BOMB + "\n"), marker="lol1:"),
    Case("alias bomb in front matter", TOPIC, "YAML anchors (&a) are not allowed",
         replace(TOPIC, "related: [beta, gamma]\n", "related: [beta, gamma]\n" + BOMB + "\n"), marker="lol1:"),
    Case("duplicate key", ENTRY, "key 'released' appears twice",
         replace(ENTRY, "modality: [text]", "modality: [text]\nreleased: 2024-01"), marker="released: 2024-01"),
    Case("deep nesting", ENTRY, "nested more than", append(ENTRY, "deep: " + "[" * 40 + "]" * 40 + "\n"), marker="deep:"),
    # Facts the schema let through
    Case("release in the future", ENTRY, "released: 2099-01 lies in the future",
         replace(ENTRY, "released: 2023-09", "released: 2099-01"), marker="released:"),
    Case("assessment seen in the future", ENTRY, "lies in the future",
         replace(ENTRY, "verdict:", "assessments:\n  mot:\n    result: Class III\n    url: https://mistral.ai/x\n"
                 "    seen: 2099-05-01\nverdict:"), marker="seen: 2099"),
    Case("licence history in the future", ENTRY, "lies in the future",
         replace(ENTRY, "components:", "licence_history:\n  - date: 2099-02\n    change: Moved to a new licence later.\n"
                 "    evidence: https://mistral.ai/x\ncomponents:"), marker="date: 2099"),
    Case("two models each the other's base", ENTRY, "a cycle of base models",
         both(second_entry("mistral-7b"), replace(ENTRY, "modality: [text]", "modality: [text]\nbase_model: zephyr-7b")),
         marker="base_model:"),
    # Inputs that used to crash the build
    Case("fullwidth character in a link", "topics/beta.md", "which is not in allowed-domains.txt",
         replace("topics/beta.md", "## Sources", "See [the paper](https://arxiv.org／abs/1).\n\n## Sources"),
         marker="arxiv.org／"),
    Case("fullwidth character in evidence", ENTRY, "contains a character a web address may not hold",
         replace(ENTRY, "evidence: https://github.com/mistralai/mistral-inference",
                 "evidence: https://github.com／mistralai/mistral-inference"), marker="github.com／"),
    Case("entry that is not UTF-8", ENTRY, "not UTF-8 text",
         lambda p: (p / ENTRY).write_bytes((p / ENTRY).read_bytes().replace(b"Mistral 7B", b"Mistral \xe9 7B", 1)),
         marker=None, line_offset=0),
    Case("page that is not UTF-8", "topics/beta.md", "not UTF-8 text",
         lambda p: (p / "topics/beta.md").write_bytes((p / "topics/beta.md").read_bytes() + b"\nCr\xe8me br\xfbl\xe9e.\n")),
    # Leaving the allowlist
    Case("backslash in a host", "topics/beta.md", "that is not a plain domain name",
         replace("topics/beta.md", "## Sources", "See [x](https://arxiv.org\\evil.example/).\n\n## Sources"),
         marker="evil.example", payload=['href="https://arxiv.org\\evil']),
    Case("user information in a host", "topics/beta.md", "contains a user name or password",
         replace("topics/beta.md", "## Sources", "See [x](https://arxiv.org:x@evil.example/).\n\n## Sources"),
         marker="evil.example"),
    # Markup and sizes in data
    Case("markup in a data field", ENTRY, "markup ('<i') is not allowed in data",
         replace(ENTRY, "verdict: ", "verdict: <img src=x onerror=alert(1)> "), marker="verdict:",
         payload=["<img src=x"]),
    Case("oversized data file", ENTRY, "over the limit of 262,144 bytes",
         append(ENTRY, "# " + "x" * 300_000 + "\n")),
    Case("oversized list", ENTRY, "items; the limit is 200",
         replace(ENTRY, "parameters: [7.3B]", "parameters: [" + ", ".join(f"{i}B" for i in range(300)) + "]"),
         marker="parameters:"),
    Case("oversized image", "topics/beta.md", "the limit is 1,048,576 bytes",
         both(write("topics/big.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 1_100_000),
              replace("topics/beta.md", "## Sources", "![A large picture](big.png)\n\n## Sources")), marker="big.png"),
    # Messages with the right line and nothing reported as a consequence
    Case("front matter that is not YAML", TOPIC, "front matter refused: not valid YAML",
         replace(TOPIC, "tags: [foundations]", "tags: [foundations"), marker="related:"),
    Case("oversized front matter", TOPIC, "front matter is over the limit of 8,192 bytes",
         replace(TOPIC, "reviewed: 2026-11-01\n", "reviewed: 2026-11-01\n# " + "x" * 9000 + "\n"), marker="summary:"),
    Case("alias bomb in a What's new file", "changes/2026-11-01-bomb.yml", "YAML anchors (&a) are not allowed",
         both(lambda p: add_whats_new(p), lambda p: (p / "changes").mkdir(), write("changes/2026-11-01-bomb.yml", BOMB + "\n")),
         marker="lol1:"),
    Case("impossible review date", TOPIC, "`reviewed: 2026-02-30` is not a date",
         replace(TOPIC, "reviewed: 2026-11-01", "reviewed: 2026-02-30"), marker="reviewed:"),
]


def _peak_child_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_edit_is_refused_with_file_and_line(tmp_path, case):
    project = catalogue_fixture(tmp_path)
    case.apply(project)
    started = time.monotonic()
    result = sphinx_build(project, tmp_path / "html")
    seconds = time.monotonic() - started
    output = result.stdout + result.stderr
    assert seconds < BUDGET_SECONDS, f"the build took {seconds:.0f} s"
    # the largest child process so far (each build is one): far below the budget of 1 GB
    assert _peak_child_memory_mb() < 1024, f"a build used {_peak_child_memory_mb():.0f} MB"
    assert "Traceback" not in output and "Exception occurred" not in output, output[-3000:]
    assert result.returncode != 0, "the strict build should fail"
    path = project / case.file
    line = 1 if case.marker is None or not path.exists() or path.is_symlink() else line_of(path, case.marker) + case.line_offset
    if case.name == "entry that is not UTF-8":
        line = next(i for i, text in enumerate(path.read_bytes().split(b"\n"), 1) if b"\xe9" in text)
    if case.name == "page that is not UTF-8":
        line = path.read_bytes().split(b"\n").index(b"Cr\xe8me br\xfbl\xe9e.") + 1
    warnings = [w for w in result.stderr.splitlines() if "WARNING" in w]
    hits = [w for w in warnings if f"{case.file}:{line}: WARNING: " in w and case.message in w]
    assert hits, f"no warning at {case.file}:{line} saying {case.message!r} in:\n" + "\n".join(warnings)
    # nothing else is reported as a consequence in that file
    others = [w for w in warnings if f"{case.file}:" in w and w not in hits]
    consequences = ("Malformed YAML", "required property", "has no summary", "has no tags", "has no review date")
    assert not [w for w in others if any(c in w for c in consequences)], others
    for payload in case.payload:
        for page in (tmp_path / "html").rglob("*"):
            if page.is_file() and page.suffix in (".html", ".json", ".csv", ".js"):
                assert payload not in page.read_text(encoding="utf-8", errors="replace"), (payload, page)


def test_a_refused_page_shows_what_was_refused_instead_of_its_content(tmp_path):
    """In a build that goes on past a refusal (--keep-going, make serve), the page is withheld."""
    project = catalogue_fixture(tmp_path)
    edit(project / TOPIC, "reviewed: 2026-11-01\n", "reviewed: 2026-11-01\nmyst:\n  html_meta:\n"
         '    "http-equiv=refresh": "0; url=https://evil.example/"\n')
    edit(project / TOPIC, "Alpha explains", "Alpha secretly explains")
    result = sphinx_build(project, tmp_path / "html", strict=False)
    assert result.returncode == 0
    page = (tmp_path / "html" / "topics" / "alpha.html").read_text(encoding="utf-8")
    assert "This page was refused by the build" in page and "front matter key" in page
    assert "secretly" not in page and "http-equiv" not in page.lower().replace('http-equiv="content-security-policy"', "")
    # and an accepted page is shown as usual
    assert "This page was refused" not in (tmp_path / "html" / "topics" / "beta.html").read_text(encoding="utf-8")


def test_exports_neutralise_spreadsheet_formulas(tmp_path):
    project = catalogue_fixture(tmp_path)
    edit(project / ENTRY, "verdict: ", "verdict: =HYPERLINK(\"https://evil.example\") ")
    result = sphinx_build(project, tmp_path / "html")
    assert result.returncode == 0, result.stderr
    csv_text = (tmp_path / "html" / "models.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in csv_text and ",=HYPERLINK" not in csv_text and '"=HYPERLINK' not in csv_text


# -- Generated input -------------------------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FUZZ = settings(max_examples=int(os.environ.get("KB_FUZZ_EXAMPLES", "300")), deadline=2000, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
YAMLISH = st.text(alphabet=st.sampled_from(list("ab:- &*[]{}!|>'\"#\n\t 0123456789<=@\\é")), max_size=400)
VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=40),
                      lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                      max_leaves=30)


@FUZZ
@given(YAMLISH)
def test_the_loader_accepts_or_refuses_with_a_line(text):
    from kb import data  # noqa: PLC0415

    try:
        value, lines = data.loads(text)
    except data.DataError as error:
        assert isinstance(error.line, int) and error.line >= 1
    else:
        assert all(isinstance(line, int) and line >= 1 for line in lines.values())
        data.text_problems(value, lines)


@FUZZ
@given(YAMLISH)
def test_front_matter_is_accepted_or_refused_with_a_line(text):
    from kb import data, metadata  # noqa: PLC0415

    try:
        values, _lines = metadata._front_matter_values(text)
    except data.DataError as error:
        assert error.line >= 1
    else:
        assert isinstance(values, dict)


@FUZZ
@given(st.text(max_size=120) | st.builds(lambda host, path: f"https://{host}/{path}", st.text(max_size=30), st.text(max_size=30)))
def test_every_address_is_judged_without_raising(uri):
    from kb import links  # noqa: PLC0415

    allowlist = links.Allowlist(Path("allowed-domains.txt"), frozenset({"arxiv.org"}), frozenset())
    problem = links._problem(uri, allowlist)
    if problem is None:  # accepted: https, a plain host on the list, nothing a browser would read otherwise
        assert re.match(r"^https://(www\.)?arxiv\.org([/?#:]|$)", uri), uri
        assert "\\" not in uri and "@" not in uri.split("/", 3)[2]


@FUZZ
@given(VALUES)
def test_generated_entries_are_accepted_or_refused_with_lines(tmp_path_factory, value):
    import yaml  # noqa: PLC0415

    from kb.catalogue import entries  # noqa: PLC0415

    text = yaml.safe_dump({"id": "fuzz", "name": "Fuzz", **(value if isinstance(value, dict) else {"extra": value})})
    model, problems = entries.read(Path("models/fuzz.yml"), "models/fuzz", str(ROOT), text)
    assert model is None and problems, "a generated entry is never complete"
    assert all(isinstance(line, int) and line >= 1 and isinstance(message, str) for line, message in problems)


def test_the_loader_refuses_an_alias_bomb_quickly():
    from kb import data  # noqa: PLC0415

    started = time.monotonic()
    with pytest.raises(data.DataError) as refused:
        data.loads(BOMB)
    assert time.monotonic() - started < 1 and refused.value.line == 1
