"""Safe defaults: content cannot inject markup or read files outside the repository."""

from __future__ import annotations

import subprocess

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT, run_make_html
from .test_site import TOPICS

PAGE = f"topics/{TOPICS[0]}.md"


def append_and_build(project, tmp_path, text: str):
    page = project / PAGE
    page.write_text(page.read_text() + "\n" + text + "\n")
    return run_make_html(project, tmp_path / "out")


@pytest.mark.parametrize(
    "snippet, message",
    [
        ("```{raw} html\n<script>alert(1)</script>\n```", "raw directive is disabled"),
        ("```{include} ../../../../../../../../etc/hostname\n```", "outside the repository"),
        ("```{literalinclude} ../../../../../../../../etc/hostname\n```", "outside the repository"),
    ],
    ids=["raw", "include", "literalinclude"],
)
def test_unsafe_directive_fails_the_build_naming_the_file(scratch_project, tmp_path, snippet, message):
    result = append_and_build(scratch_project, tmp_path, snippet)
    assert result.returncode != 0
    assert PAGE in result.stderr
    assert message in result.stderr


def test_raw_html_in_markdown_is_never_rendered_as_html(site):
    # MyST's html_block and html_inline syntax are disabled in conf.py ...
    import conf  # noqa: PLC0415

    assert {"html_block", "html_inline"} <= set(conf.myst_disable_syntax)


def test_raw_html_in_markdown_comes_out_escaped(scratch_project, tmp_path):
    result = append_and_build(scratch_project, tmp_path, 'Text <script>alert("x")</script> text.')
    html = (tmp_path / "out" / "html" / PAGE.replace(".md", ".html")).read_text()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html or result.returncode != 0


def test_include_inside_the_repository_still_works(scratch_project, tmp_path):
    (scratch_project / "topics" / "_snippet.txt").write_text("A harmless included sentence.\n")
    result = append_and_build(scratch_project, tmp_path, "```{literalinclude} _snippet.txt\n```")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "html" / PAGE.replace(".md", ".html")).read_text()
    assert "A harmless included sentence." in BeautifulSoup(html, "html.parser").get_text()


def test_second_make_html_reuses_the_venv():
    dry = subprocess.run(
        ["make", "--dry-run", "html"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "sphinx-build" in dry.stdout
    assert "pip install" not in dry.stdout
    assert "-m venv" not in dry.stdout
