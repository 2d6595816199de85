"""Rebuilding a copy of the real site as a writer does: edit, `make html` again.

One copy is built cleanly once (a full build of the site costs more than anything else in the
suite); each test then edits it and runs an incremental `make html`, in the order a writer would:
a clean edit first, then edits that must fail. A test that breaks the copy puts it back.
"""

from __future__ import annotations

import gzip
import re

import pytest

from .conftest import copy_project, run_make_html
from .helpers import Site
from .kbgraph import edit, shown_data, soup, sphinx_build
from .test_site import TOPICS


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """(project, output folder): a copy of the repository and its clean strict build."""
    base = tmp_path_factory.mktemp("rebuilds")
    project = copy_project(base / "project")
    out = base / "out"
    first = run_make_html(project, out)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-4000:]
    return project, out


def source_pages(project, html):
    """Pages built from a source file (generated pages such as tag lists are written every build)."""
    return [p for p in html.rglob("*.html") if (project / p.relative_to(html)).with_suffix(".md").exists()]


def test_an_edit_rewrites_only_what_shows_it(rebuilt):
    """A second `make html` after editing one topic does not redo the whole site, and the sitemap and
    search index stay whole."""
    project, out = rebuilt
    html = out / "html"
    pages = source_pages(project, html)
    before = {p: p.stat().st_mtime_ns for p in pages}
    sitemap = (html / "sitemap.xml").read_text()
    page = project / "topics" / f"{TOPICS[0]}.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    second = run_make_html(project, out)
    assert second.returncode == 0, second.stderr
    log = second.stdout + second.stderr
    assert "configuration has changed" not in log
    assert "targets for 1 source files that are out of date" in log
    read = [line for line in log.splitlines() if line.startswith("reading sources...")]
    assert len(read) == 1 and read[0].endswith(f"topics/{TOPICS[0]}"), read
    # Judge by the files themselves, not by how the log is printed: the edited page is rewritten,
    # and of the other source pages only the few that show something of it may be.
    rewritten = {str(p.relative_to(html)) for p in pages if p.stat().st_mtime_ns != before[p]}
    assert f"topics/{TOPICS[0]}.html" in rewritten
    assert len(rewritten) <= 5, sorted(rewritten)
    assert "One more sentence." in (html / "topics" / f"{TOPICS[0]}.html").read_text()
    # the sitemap still lists every page, not only the pages this build wrote
    assert (html / "sitemap.xml").read_text() == sitemap
    # the search index, written over the previous one, has the new sentence and every file it lists
    assert "One more sentence." in Site(html).search_index_text()
    pagefind = html / "pagefind"
    meta = gzip.decompress(next(pagefind.glob("pagefind.*.pf_meta")).read_bytes()).decode("utf-8", "replace")
    listed = set(re.findall(r"en_[0-9a-f]{7,}", meta))
    files = {p.stem for p in [*pagefind.glob("fragment/*"), *pagefind.glob("index/*")]}
    assert files == listed
    # pages written again and pages left alone alike keep exactly one Content-Security-Policy
    for p in html.rglob("*.html"):
        if not p.relative_to(html).parts[0].startswith(("_", "pagefind")):
            assert p.read_text().count('http-equiv="Content-Security-Policy"') == 1, p


def test_an_incremental_build_shows_what_a_clean_parallel_build_shows(rebuilt, tmp_path):
    """A link added to one page: the incremental build shows the same backlinks, usage lists,
    tags, map and references as a clean build with -j auto (which must pass too)."""
    project, out = rebuilt
    source, target = TOPICS[0], TOPICS[1]
    sentence = f"A sentence added by the incremental test points to [this other page]({target}.md)."
    edit(project / "topics" / f"{source}.md", "\n## Sources", f"\n{sentence}\n\n## Sources")
    second = run_make_html(project, out)
    assert second.returncode == 0, second.stderr[-3000:]
    parallel = sphinx_build(project, tmp_path / "clean", "-E", "-j", "auto")
    assert parallel.returncode == 0, parallel.stderr[-3000:]
    incremental, fresh = shown_data(out / "html"), shown_data(tmp_path / "clean")
    assert incremental.keys() == fresh.keys()
    for key in fresh:
        assert incremental[key] == fresh[key], key
    backlinks = soup(out / "html" / "topics" / f"{target}.html").find(id="referenced-by").get_text()
    assert "A sentence added by the incremental test points to this other page." in " ".join(backlinks.split())


def test_a_warning_fails_the_next_build_naming_the_file(rebuilt):
    """`make html` fails, naming the file, when an edited page has anything that warns."""
    project, out = rebuilt
    page = project / "topics" / f"{TOPICS[2]}.md"
    text = page.read_text()
    page.write_text(text + "\nSee [a page that does not exist](no-such-page.md).\n")
    try:
        result = run_make_html(project, out)
        assert result.returncode != 0
        assert re.search(rf"topics/{TOPICS[2]}\.md:\d+: WARNING: .*no-such-page", result.stderr), result.stderr[-3000:]
    finally:
        page.write_text(text)


def test_an_edit_of_the_pages_manifest_alone_is_checked_again(rebuilt):
    """Only pages.txt changes: the next incremental build still compares it with the pages."""
    project, out = rebuilt
    manifest = project / "pages.txt"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text + "topics/a-page-that-went-away\n", encoding="utf-8")
    try:
        second = run_make_html(project, out)
        assert second.returncode != 0
        assert "topics/a-page-that-went-away" in second.stderr
    finally:
        manifest.write_text(text, encoding="utf-8")
