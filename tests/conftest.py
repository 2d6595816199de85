"""Shared fixtures: one strict build of the site per test session, and a real browser.

The build runs `make html` with the Makefile's own strict options into a temporary directory, so
the tests check exactly what `make html` produces; a build with any warning fails every test that
reads the output.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from .helpers import Site
from .publishing import Published, publish

ROOT = Path(__file__).resolve().parent.parent

# The tests read Sphinx's log; CI runners often set FORCE_COLOR, which makes Sphinx wrap its lines
# in escape codes and carriage returns. Plain text keeps the assertions about the log meaningful.
os.environ.pop("FORCE_COLOR", None)
os.environ["NO_COLOR"] = "1"


# Markers set from what a test needs, so that `pytest -m "not slow"` (`make test-fast`) runs the
# quick part alone: units and builds of the small fixture projects, no full site, no browser.
SITE_FIXTURES = {"site", "published", "server", "page"}
FULL_BUILD_FIXTURES = {"rebuilt", "hostile_build", "newcomer", "scratch_project", "big_site", "big_server"}


def pytest_collection_modifyitems(items):
    for item in items:
        needs = set(item.fixturenames)
        if "browser" in needs:
            item.add_marker(pytest.mark.browser)
        if needs & SITE_FIXTURES:
            item.add_marker(pytest.mark.site)
        if needs & FULL_BUILD_FIXTURES:
            item.add_marker(pytest.mark.fullbuild)
        if any(item.get_closest_marker(name) for name in ("browser", "site", "fullbuild")):
            item.add_marker(pytest.mark.slow)


def run_make_html(project: Path, builddir: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the project's own `make html` (strict options from the Makefile) into builddir."""
    env = {k: v for k, v in os.environ.items() if k not in {"SPHINXOPTS", "MAKEFLAGS"}} | (env or {})
    return subprocess.run(
        ["make", "--no-print-directory", "html", f"BUILDDIR={builddir}"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    builddir = tmp_path_factory.mktemp("build")
    result = run_make_html(ROOT, builddir)
    if result.returncode != 0:
        pytest.fail(
            "the strict build failed (warnings are errors):\n" + result.stdout[-4000:] + result.stderr[-8000:],
            pytrace=False,
        )
    return Site(builddir / "html", result.stdout + result.stderr)


GIT_DATE = "2026-11-02T12:00:00+00:00"


def git(project: Path, *args: str, date: str = GIT_DATE) -> str:
    """Run git in ``project`` as a fixed author, with the given author and committer date."""
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="KB Tests", GIT_AUTHOR_EMAIL="tests@example.org", GIT_AUTHOR_DATE=date,
        GIT_COMMITTER_NAME="KB Tests", GIT_COMMITTER_EMAIL="tests@example.org", GIT_COMMITTER_DATE=date,
    )
    result = subprocess.run(["git", *args], cwd=project, env=env, capture_output=True, text=True, check=True)
    return result.stdout


def commit_all(project: Path, message: str = "snapshot", date: str = GIT_DATE) -> None:
    """Make ``project`` a git repository (if it is not one) and commit everything in it."""
    if not (project / ".git").exists():
        git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "--allow-empty", "-m", message, date=date)


def copy_project(copy: Path) -> Path:
    """Copy the repository to ``copy`` (sharing the venv) for a test to edit and rebuild: a git
    repository of one commit, since every page's date comes from git."""
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "_build", ".git", ".pytest_cache", "__pycache__", "node_modules"),
    )
    commit_all(copy)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    return copy


@pytest.fixture()
def scratch_project(tmp_path) -> Path:
    """A throwaway copy of the repository that a test may edit and rebuild."""
    return copy_project(tmp_path / "project")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@contextlib.contextmanager
def serve_directory(directory: Path):
    """Serve a built site on a free localhost port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="session")
def published(site) -> Published:
    """The built site as a static host publishes it: under the path of ``html_baseurl``, gzip, a
    404 page (tests/publishing.py). Every browser test reads the site this way."""
    with publish(site.root) as host:
        yield host


@pytest.fixture(scope="session")
def server(published) -> str:
    """The site's address, ending in "/": pages are opened relative to it (``page.goto("glossary.html")``)."""
    return published.url


def chromium_path() -> str | None:
    """Debian's Chromium (or $CHROMIUM); None lets Playwright use its own download."""
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    return path if Path(path).exists() else None


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server):
    """A fresh page whose relative addresses resolve against the published site."""
    context = browser.new_context(base_url=server)
    pg = context.new_page()
    yield pg
    context.close()
