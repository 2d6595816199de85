"""How current each page is: dates from git, review dates, as-of statements, make review, What's new.

Dates are checked on the fixture project (tests/roots/kb-graph) made into a scratch git repository
whose commits are back-dated, so the dates a page must show are known; the real site is checked
for what every reader sees (a review date on every topic, the feed announced on every page).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from .conftest import ROOT, commit_all, copy_project, git, run_make_html
from .kbgraph import built_once, copy_fixture, edit, soup, sphinx_build

sys.path.insert(0, str(ROOT / "_ext"))
from kb.currency import dates, repository  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"
GIT_CONF = """
extensions.insert(extensions.index("kb"), "sphinx_last_updated_by_git")
html_last_updated_fmt = "%d %B %Y"
git_last_updated_timezone = "UTC"
kb_repository_url = "https://github.com/example-org/example-kb"
html_theme_options = {"source_repository": kb_repository_url, "source_branch": "main", "source_directory": ""}
"""


def dated_fixture(tmp_path: Path) -> Path:
    """The fixture as a git repository: everything committed on 5 March 2024, then beta changed
    on 9 July 2025 (author and committer dates both back-dated)."""
    project = copy_fixture(tmp_path)
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(GIT_CONF)
    commit_all(project, "first", date="2024-03-05T10:00:00+00:00")
    edit(project / "topics" / "beta.md", "# ", "# ")  # same title; the body changes below
    (project / "topics" / "beta.md").write_text(
        (project / "topics" / "beta.md").read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8"
    )
    commit_all(project, "beta", date="2025-07-09T18:30:00+00:00")
    return project


def footer_date(page) -> str:
    node = page.select_one(".last-updated time")
    return node["datetime"] if node else ""


# -- Page dates from git ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    return built_once(tmp_path_factory, "dated", dated_fixture)


def test_each_page_shows_its_last_commit_date_not_the_build_date(dated):
    _, html = dated
    alpha, beta = soup(html / "topics" / "alpha.html"), soup(html / "topics" / "beta.html")
    assert footer_date(alpha) == "2024-03-05"
    assert "Last changed on" in alpha.select_one(".last-updated").get_text()
    assert "5 March 2024" in alpha.select_one(".last-updated").get_text()
    assert footer_date(beta) == "2025-07-09"
    assert footer_date(soup(html / "glossary.html")) == "2024-03-05"
    # under the title: the review date from the front matter, then the last change
    line = alpha.select_one("p.kb-dates")
    assert [t["datetime"] for t in line.select("time")] == ["2026-11-01", "2024-03-05"]
    assert line.get_text(" ", strip=True).startswith("Reviewed 1 November 2026")


def test_history_and_edit_links_point_at_the_configured_repository(dated):
    _, html = dated
    alpha = soup(html / "topics" / "alpha.html")
    history = "https://github.com/example-org/example-kb/commits/main/topics/alpha.md"
    assert alpha.select_one(".last-updated a.kb-history")["href"] == history
    assert alpha.select_one("p.kb-dates a.kb-history")["href"] == history
    assert alpha.select_one('a[rel="edit"]')["href"] == "https://github.com/example-org/example-kb/edit/main/topics/alpha.md"


def test_a_commit_after_a_build_updates_the_dates_incrementally(tmp_path):
    """Edit, build, then commit: the next build shows the commit's date, rewriting only what changed."""
    project = dated_fixture(tmp_path)
    out = tmp_path / "html"
    assert sphinx_build(project, out).returncode == 0
    edit(project / "topics" / "gamma.md", "Gamma is about harms.", "Gamma is about harms, old and new.")
    assert sphinx_build(project, out).returncode == 0
    assert footer_date(soup(out / "topics" / "gamma.html")) == "2024-03-05"  # not committed yet
    alpha_written = (out / "topics" / "alpha.html").stat().st_mtime_ns
    commit_all(project, "gamma", date="2026-10-12T09:00:00+00:00")
    again = sphinx_build(project, out)
    assert again.returncode == 0, again.stderr
    assert footer_date(soup(out / "topics" / "gamma.html")) == "2026-10-12"
    assert (out / "topics" / "alpha.html").stat().st_mtime_ns == alpha_written


def test_a_shallow_clone_is_reported_not_misdated(dated, tmp_path):
    project, _ = dated
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{project}", str(shallow)], check=True)
    result = sphinx_build(shallow, tmp_path / "html")
    assert result.returncode != 0
    assert "shallow clone" in result.stderr
    # a lenient build shows no change date at all: neither the boundary commit's date for alpha,
    # which changed earlier, nor the build date; only the reviewed date stays
    lenient = sphinx_build(shallow, tmp_path / "lenient", strict=False)
    assert lenient.returncode == 0
    alpha = soup(tmp_path / "lenient" / "topics" / "alpha.html")
    assert footer_date(alpha) == ""
    shown = [t["datetime"] for t in alpha.select("p.kb-dates time, .last-updated time")]
    assert shown == ["2026-11-01"], shown  # the reviewed: date of the fixture page
    assert dates.today().isoformat() not in str(alpha)


def test_sources_outside_git_are_reported(tmp_path):
    project = copy_fixture(tmp_path)
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(GIT_CONF)
    result = sphinx_build(project, tmp_path / "html", env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert result.returncode != 0
    assert "not in a git work tree" in result.stderr and "KB_PAGE_DATES=off" in result.stderr


def test_an_uncommitted_page_says_so_instead_of_showing_a_date(dated, tmp_path):
    project, _ = dated
    new = project / "topics" / "alpha.md"
    copy = tmp_path / "copy"
    subprocess.run(["git", "clone", "-q", str(project), str(copy)], check=True)
    (copy / "topics" / "delta.md").write_text(
        new.read_text(encoding="utf-8").replace("# ", "# Delta ", 1), encoding="utf-8"
    )
    edit(copy / "index.md", "topics/gamma\n```", "topics/gamma\ntopics/delta\n```")
    result = sphinx_build(copy, tmp_path / "html", strict=False)
    assert result.returncode == 0, result.stderr
    delta = soup(tmp_path / "html" / "topics" / "delta.html")
    assert footer_date(delta) == ""
    assert "Not yet in the repository's history" in delta.select_one("p.kb-dates").get_text()


@pytest.mark.fullbuild
def test_the_site_builds_without_dates_where_git_dates_are_off(tmp_path):
    """KB_PAGE_DATES=off (a tarball): no page shows a date, and none shows the build date."""
    project = copy_project(tmp_path / "project")
    subprocess.run(["rm", "-rf", str(project / ".git")], check=True)
    result = run_make_html(project, tmp_path / "out", env={"KB_PAGE_DATES": "off"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    page = soup(tmp_path / "out" / "html" / "topics" / "licences.html")
    assert page.select_one(".last-updated") is None
    assert page.select_one("p.kb-dates").get_text(strip=True).startswith("Reviewed")


# -- The repository the site is built from ----------------------------------------------------------


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        ("https://github.com/acme/kb.git", "https://github.com/acme/kb"),
        ("git@github.com:acme/kb.git", "https://github.com/acme/kb"),
        ("ssh://git@gitlab.com/acme/kb", "https://gitlab.com/acme/kb"),
        ("https://token@codeberg.org/acme/kb/", "https://codeberg.org/acme/kb"),
        ("/srv/git/kb", ""),
        ("https://example.org/acme/kb.git", ""),
    ],
)
def test_forge_url_of_a_remote(remote, url):
    assert repository.forge_url(remote) == url


def test_repository_comes_from_configuration_then_actions_then_the_remote(tmp_path):
    commit_all(tmp_path)
    assert repository.repository_from_environment(tmp_path, {}) == ""
    git(tmp_path, "remote", "add", "origin", "git@github.com:acme/kb.git")
    assert repository.repository_from_environment(tmp_path, {}) == "https://github.com/acme/kb"
    actions = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "fork/kb"}
    assert repository.repository_from_environment(tmp_path, actions) == "https://github.com/fork/kb"
    configured = {**actions, "KB_REPOSITORY_URL": "https://gitlab.com/x/y/"}
    assert repository.repository_from_environment(tmp_path, configured) == "https://gitlab.com/x/y"
    assert repository.history_url("https://gitlab.com/x/y", "main", "a.md") == "https://gitlab.com/x/y/-/commits/main/a.md"


# -- reviewed: and {as-of} --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "line", "message"),
    [
        (None, 1, "topic page has no review date.*[kb.reviewed]"),
        ("2026-1-5", 5, "is not a date.*[kb.reviewed]"),
        ("'2026-11'", 5, "is not a date.*[kb.reviewed]"),
        ("2999-01-01", 5, "lies in the future.*[kb.reviewed]"),
        ("2026-02-30", 5, "is not a date.*[kb.reviewed]"),  # an impossible day, reported at its own line
    ],
)
def test_review_date_is_required_and_checked(tmp_path, value, line, message):
    project = copy_fixture(tmp_path)
    page = project / "topics" / "beta.md"
    edit(page, "reviewed: 2026-11-01\n", "" if value is None else f"reviewed: {value}\n")
    result = sphinx_build(project, tmp_path / "html")
    assert result.returncode != 0
    pattern = ".*".join(re.escape(part) for part in message.split(".*"))
    assert re.search(rf"topics/beta\.md:{line}: WARNING: .*{pattern}", result.stderr), result.stderr


AS_OF = """
{as-of}`2026-11`, the hub held many models. The rules apply
from 2027 {as-of}`2025-06-30` and {as-of}`at the end of 2025 <2025-12>` things differed (see {as-of}`2024`).
"""


def test_as_of_renders_a_machine_readable_date_and_is_collected(tmp_path):
    project = copy_fixture(tmp_path)
    (project / "topics" / "alpha.md").write_text(
        (project / "topics" / "alpha.md").read_text(encoding="utf-8") + AS_OF, encoding="utf-8"
    )
    (project / "dated.md").write_text("# Dated\n\n```{kb-dated-statements}\n```\n", encoding="utf-8")
    edit(project / "index.md", "glossary\n", "glossary\ndated\n")
    (project / "pages.txt").write_text((project / "pages.txt").read_text() + "dated\n")
    result = sphinx_build(project, tmp_path / "html")
    assert result.returncode == 0, result.stderr
    times = soup(tmp_path / "html" / "topics" / "alpha.html").select("time.kb-as-of")
    shown = [(t["datetime"], t.get_text()) for t in times]
    assert shown == [
        ("2026-11", "As of November 2026"),  # starts a sentence
        ("2025-06-30", "as of 30 June 2025"),
        ("2025-12", "at the end of 2025"),
        ("2024", "as of 2024"),
    ]
    listed = soup(tmp_path / "html" / "dated.html").select("ul.kb-dated-statements > li")
    assert [li.time["datetime"] for li in listed] == ["2024", "2025-06-30", "2025-12", "2026-11"]  # oldest first
    assert "the hub held many models" in listed[-1].get_text()
    assert listed[0].a["href"] == "topics/alpha.html#as-of-4"  # the statement's place on its page
    assert [t["id"] for t in times] == ["as-of-1", "as-of-2", "as-of-3", "as-of-4"]


@pytest.mark.parametrize(
    ("role", "message"),
    [("{as-of}`2026-13`", "needs a date as YYYY"), ("{as-of}`soon`", "needs a date"), ("{as-of}`2999-01`", "future"),
     ("{as-of}`2026-11; recheck 2026-11-30`", "recheck date '2026-11-30' must be a YYYY-MM-DD after"),
     ("{as-of}`2026-11; recheck 2027-01`", "recheck date '2027-01' must be"),
     ("{as-of}`2026-11; recheck `", "recheck date '' must be")],
)
def test_a_bad_as_of_date_is_a_warning_with_file_and_line(tmp_path, role, message):
    project = copy_fixture(tmp_path)
    page = project / "topics" / "gamma.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    number = next(i for i, text in enumerate(lines, 1) if text.startswith("# ")) + 2
    lines.insert(number - 1, f"A first line of a paragraph,\nthen the date {role} in its second line.\n")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = sphinx_build(project, tmp_path / "html")
    assert result.returncode != 0
    assert re.search(rf"topics/gamma\.md:{number + 1}: WARNING: .*{message}.*\[kb\.as-of\]", result.stderr), result.stderr


def test_make_review_lists_what_is_due_with_file_and_line(tmp_path):
    project = copy_fixture(tmp_path)
    edit(project / "topics" / "beta.md", "reviewed: 2026-11-01", "reviewed: 2026-01-15")
    (project / "topics" / "alpha.md").write_text(
        (project / "topics" / "alpha.md").read_text(encoding="utf-8") + AS_OF, encoding="utf-8"
    )
    command = [sys.executable, "-m", "sphinx", "-b", "kb-review", "-q", "-D", "html_theme=basic", ".", str(tmp_path / "review")]
    env = {"PYTHONPATH": str(ROOT / "_ext"), "KB_TODAY": "2026-12-01"}
    result = subprocess.run(command, cwd=project, env={**os.environ, **env}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    alpha_line = next(i for i, t in enumerate((project / "topics" / "alpha.md").read_text().splitlines(), 1) if "{as-of}`2024`" in t)
    assert any(line.startswith("topics/beta.md:5: review due: last reviewed 2026-01-15, 10 months ago") for line in lines), lines
    assert f"topics/alpha.md:{alpha_line}: as-of 2024 is 35 months old" in result.stdout
    due = {line.split(" ")[2] for line in lines if ": as-of " in line}
    assert due == {"2024", "2025-06-30", "2025-12"}  # 2026-11 is one month old: not due
    assert not any(line.startswith(("topics/alpha.md:5:", "topics/gamma.md:5:")) for line in lines)
    assert "- [ ] `topics/beta.md:5`" in (tmp_path / "review" / "review.md").read_text()
    # a year later everything is due, and the HTML build still passes: time never fails it
    later = subprocess.run(command, cwd=project, env={**os.environ, **env, "KB_TODAY": "2027-12-01"},
                           capture_output=True, text=True)
    assert "topics/gamma.md:5: review due" in later.stdout
    assert sphinx_build(project, tmp_path / "html", env={"KB_TODAY": "2030-01-01"}).returncode == 0


def test_a_recheck_date_puts_an_expiring_statement_on_the_review_list_that_day_and_not_before(tmp_path):
    project = copy_fixture(tmp_path)
    page = project / "topics" / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nThe ban {as-of}`2026-11; recheck 2026-12-02` is due to apply "
                    "from 2 December. Later {as-of}`in late 2026 <2026-11; recheck 2027-03-01>` a vote is due.\n",
                    encoding="utf-8")
    line = len(page.read_text(encoding="utf-8").splitlines())
    command = [sys.executable, "-m", "sphinx", "-b", "kb-review", "-q", "-D", "html_theme=basic", ".", str(tmp_path / "review")]

    def due(today: str) -> list[str]:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "_ext"), "KB_TODAY": today}
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return [text for text in result.stdout.splitlines() if "recheck due" in text]

    assert due("2026-12-01") == []  # the day before: nothing, although the as-of date is recent
    assert due("2026-12-02") == [f"topics/alpha.md:{line}: recheck due since 2026-12-02 (as-of 2026-11): "
                                 "The ban as of November 2026 is due to apply from 2 December."]
    assert [text.split(": ")[0] for text in due("2027-03-01")] == [f"topics/alpha.md:{line}"] * 2
    result = sphinx_build(project, tmp_path / "html", env={"KB_TODAY": "2030-01-01"})
    assert result.returncode == 0, result.stderr  # a passed recheck date never fails the build
    shown = soup(tmp_path / "html" / "topics" / "alpha.html").select("time.kb-as-of")
    assert [t.get_text() for t in shown][-2:] == ["as of November 2026", "in late 2026"]


def test_make_review_quotes_a_sentence_with_two_due_dates_once(tmp_path):
    project = copy_fixture(tmp_path)
    page = project / "topics" / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA pilot ran {as-of}`2024-09` and the\nfactories opened "
                    "{as-of}`2024-10` in many states.\n", encoding="utf-8")
    command = [sys.executable, "-m", "sphinx", "-b", "kb-review", "-q", "-D", "html_theme=basic", ".", str(tmp_path / "review")]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "_ext"), "KB_TODAY": "2026-12-01"}
    lines = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True).stdout.splitlines()
    quoting = [text for text in lines if "the factories opened" in text]
    assert len(quoting) == 1, lines
    first = int(quoting[0].split(":")[1])
    assert any(text.endswith(f"in the sentence quoted at line {first}") for text in lines), lines


def test_months_between_counts_whole_months():
    assert dates.months_between(dates.dt.date(2026, 1, 15), dates.dt.date(2026, 7, 14)) == 5
    assert dates.months_between(dates.dt.date(2026, 1, 15), dates.dt.date(2026, 7, 15)) == 6
    assert dates.period("2024-02") == (dates.dt.date(2024, 2, 1), dates.dt.date(2024, 2, 29))
    assert dates.period("2024-02-30") is None


# -- What's new and its feed -----------------------------------------------------------------------


def add_whats_new(project: Path) -> None:
    """A What's new page in the fixture's navigation, and changes/ out of the sources."""
    (project / "whats-new.md").write_text("# What's new\n\n```{kb-changes}\n```\n", encoding="utf-8")
    edit(project / "index.md", "glossary\n", "glossary\nwhats-new\n")
    (project / "pages.txt").write_text((project / "pages.txt").read_text() + "whats-new\n")
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nexclude_patterns.append("changes")\n')


def changes_fixture(tmp_path: Path) -> Path:
    project = copy_fixture(tmp_path)
    (project / "changes").mkdir()
    (project / "changes" / "2026-10-01-beta.yml").write_text(
        "date: 2026-10-01\npages: [topics/beta]\ntext: The defences section now covers signed model files.\n"
    )
    (project / "changes" / "2026-11-20-alpha.yml").write_text(
        "date: 2026-11-20\npages: [topics/alpha, glossary]\ntext: Open weights are told apart from open source.\n"
    )
    add_whats_new(project)
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nhtml_baseurl = "https://kb.example.org/"\n')
    return project


@pytest.fixture(scope="module")
def with_changes(tmp_path_factory):
    return built_once(tmp_path_factory, "changes", changes_fixture)


def test_whats_new_lists_changes_newest_first_with_their_pages(with_changes):
    _, html = with_changes
    items = soup(html / "whats-new.html").select("ul.kb-changes > li")
    assert [li["id"] for li in items] == ["change-2026-11-20-alpha", "change-2026-10-01-beta"]
    assert [a["href"] for a in items[0].select("a")] == ["topics/alpha.html", "glossary.html"]
    assert "Open weights are told apart" in items[0].get_text()
    assert items[0].time["datetime"] == "2026-11-20"


def atom_schema() -> etree.RelaxNG:
    import rnc2rng  # noqa: PLC0415

    rng = rnc2rng.dumps(rnc2rng.load(str(ROOT / "tests" / "data" / "atom.rnc")))
    # rnc2rng declares the schema's empty `local` namespace prefix, which XML does not allow
    rng = rng.replace(' xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(rng.encode()))


def test_the_feed_is_valid_atom_and_announced_on_every_page(with_changes):
    _, html = with_changes
    feed = etree.parse(str(html / "whats-new.atom"))
    schema = atom_schema()
    assert schema.validate(feed), schema.error_log
    root = feed.getroot()
    # the two rules RFC 4287's schema states as Schematron (which RELAX NG does not check)
    assert root.find(f"{ATOM}author") is not None or all(e.find(f"{ATOM}author") is not None for e in root.iter(f"{ATOM}entry"))
    for entry in root.iter(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}content") is not None or any(
            link.get("rel", "alternate") == "alternate" for link in entry.iter(f"{ATOM}link")
        )
    assert root.findtext(f"{ATOM}updated").startswith("2026-11-20")
    ids = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    assert ids == ["https://kb.example.org/whats-new.html#change-2026-11-20-alpha",
                   "https://kb.example.org/whats-new.html#change-2026-10-01-beta"]
    self_link = [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link == ["https://kb.example.org/whats-new.atom"]
    for rel in ("index.html", "topics/alpha.html", "glossary.html"):
        link = soup(html / rel).select_one('head link[rel="alternate"][type="application/atom+xml"]')
        assert link is not None, rel
        assert (html / rel).parent.joinpath(link["href"]).resolve() == (html / "whats-new.atom").resolve()


def test_an_invalid_feed_fails_the_schema(with_changes):
    """The check can fail: a feed without its required id is rejected."""
    _, html = with_changes
    feed = etree.parse(str(html / "whats-new.atom"))
    feed.getroot().remove(feed.getroot().find(f"{ATOM}id"))
    assert not atom_schema().validate(feed)


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("date: 2026-11-31\npages: [topics/beta]\ntext: A change with an impossible date in it.\n", 1, "is not a 'date'"),
        ("date: 2999-01-01\npages: [topics/beta]\ntext: A change dated long after today, by mistake.\n", 1, "future"),
        ("date: 2026-11-01\npages: [topics/nothing]\ntext: A change to a page that does not exist.\n", 2, "no page 'topics/nothing'"),
        ("date: 2026-11-01\npages: [topics/beta]\ntext: A change with a key nobody knows.\nauthor: me\n", 4, "'author' was unexpected"),
        ("date: 2026-11-01\npages: []\ntext: A change that names no page at all.\n", 2, "should be non-empty"),
        ("date: 2026-11-01\npages: [topics/beta]\n", 1, "'text' is a required property"),
        ("date: 2026-11-01\npages: [topics/beta\ntext: x\n", 3, "not valid YAML"),
    ],
)
def test_a_bad_change_file_is_a_warning_with_file_and_line(tmp_path, content, line, message):
    project = changes_fixture(tmp_path)
    (project / "changes" / "2026-11-01-bad.yml").write_text(content)
    result = sphinx_build(project, tmp_path / "html")
    assert result.returncode != 0
    assert re.search(rf"changes/2026-11-01-bad\.yml:{line}: WARNING: .*{re.escape(message)}", result.stderr), result.stderr


def test_adding_a_change_file_rewrites_whats_new_incrementally(tmp_path):
    project = changes_fixture(tmp_path)
    out = tmp_path / "html"
    assert sphinx_build(project, out).returncode == 0
    (project / "changes" / "2026-11-25-gamma.yml").write_text(
        "date: 2026-11-25\npages: [topics/gamma]\ntext: Gamma gained a section on liability.\n"
    )
    second = sphinx_build(project, out)
    assert second.returncode == 0, second.stderr
    items = soup(out / "whats-new.html").select("ul.kb-changes > li")
    assert items[0]["id"] == "change-2026-11-25-gamma"
    assert "change-2026-11-25-gamma" in (out / "whats-new.atom").read_text()


def test_two_clean_builds_of_one_commit_are_identical_with_dates_and_feed(tmp_path):
    project = dated_fixture(tmp_path)
    (project / "changes").mkdir()
    (project / "changes" / "2025-07-09-beta.yml").write_text(
        "date: 2025-07-09\npages: [topics/beta]\ntext: Beta gained one more sentence about defences.\n"
    )
    add_whats_new(project)
    commit_all(project, "changes", date="2025-07-10T08:00:00+00:00")
    for name in ("one", "two"):
        assert sphinx_build(project, tmp_path / name).returncode == 0
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert Path("whats-new.atom") in files
    for rel in files:
        if rel.parts[0] == ".doctrees" or rel.name == ".buildinfo":
            continue
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel


# -- The real site ---------------------------------------------------------------------------------


def test_every_topic_shows_its_review_date_and_last_change(site):
    for path in sorted((ROOT / "topics").glob("*.md")):
        page = site.soup(f"topics/{path.stem}.html")
        line = page.select_one("p.kb-dates")
        assert line is not None, path.stem
        stamps = [t["datetime"] for t in line.select("time")]
        assert len(stamps) == 2, (path.stem, line)
        assert re.match(r"\d{4}-\d{2}-\d{2}$", stamps[0]) and re.match(r"\d{4}-\d{2}-\d{2}$", stamps[1])
        assert footer_date(page) == stamps[1]


def test_the_site_announces_and_publishes_its_feed(site):
    for rel in ("index.html", "topics/licences.html", "glossary.html", "whats-new.html"):
        assert site.soup(rel).select_one('head link[rel="alternate"][type="application/atom+xml"]') is not None, rel
    feed = etree.parse(str(site.root / "whats-new.atom"))
    assert atom_schema().validate(feed)
    assert len(site.soup("whats-new.html").select("ul.kb-changes > li")) >= 1


def test_the_sites_dated_statements_are_listed(site):
    """Every as-of date on every page is on the list, once, linked to its place."""
    listed = site.soup("dated-statements.html").select("ul.kb-dated-statements > li")
    marked = {(str(p), t["id"]) for p in site.content_pages() if str(p) != "dated-statements.html"
              for t in site.soup(p).select("time.kb-as-of[id]")}
    assert marked, "no page marks a time-sensitive statement"
    links = [li.select("a")[0]["href"] for li in listed]
    assert sorted(tuple(h.split("#")) for h in links) == sorted(marked)


def test_check_changes_reminds_a_content_change_without_a_whats_new_entry(tmp_path):
    repo = tmp_path / "repo"
    (repo / "topics").mkdir(parents=True)
    (repo / "topics" / "a.md").write_text("# A\n")
    commit_all(repo, "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    tool = [sys.executable, str(ROOT / "tools" / "check-changes"), base]

    def run() -> str:
        result = subprocess.run(tool, cwd=repo, capture_output=True, text=True, env={**os.environ, "GITHUB_ACTIONS": ""})
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "No content page changed" in run()
    (repo / "topics" / "a.md").write_text("# A\n\nA new fact.\n")
    commit_all(repo, "edit")
    assert "topics/a.md changed, but no file was added to changes/" in run()
    (repo / "changes").mkdir()
    (repo / "changes" / "2026-12-01-a.yml").write_text("date: 2026-12-01\n")
    commit_all(repo, "news")
    assert "What's new entries added: changes/2026-12-01-a.yml" in run()


def test_each_as_of_statement_is_placed_on_its_own_line(tmp_path):
    """MyST gives a role its paragraph's first line; the same role twice in a paragraph still gets
    the two lines it stands on."""
    project = copy_fixture(tmp_path)
    page = project / "topics" / "gamma.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("## Sources", "One count, {as-of}`2025-01`, and\nanother, {as-of}`2025-01`, "
                                 "and\na third, {as-of}`2025-01`, differ.\n\n## Sources", 1), encoding="utf-8")
    lines = [i for i, t in enumerate(page.read_text(encoding="utf-8").splitlines(), 1) if "{as-of}`2025-01`" in t]
    command = [sys.executable, "-m", "sphinx", "-b", "kb-review", "-q", "-D", "html_theme=basic", ".", str(tmp_path / "r")]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "_ext"), "KB_TODAY": "2027-01-01"}
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    reported = [int(m) for m in re.findall(r"topics/gamma\.md:(\d+): as-of 2025-01", result.stdout)]
    assert reported == lines and len(lines) == 3
