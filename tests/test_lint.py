"""The linters pass on the project, and they do catch what they are for (without false positives on
MyST). Each check of tools/lint is one test, so a failure names the tool and shows its findings."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import ROOT

LINT = [str(ROOT / ".venv/bin/python"), str(ROOT / "tools/lint")]
BIN = ROOT / ".venv" / "bin"


@pytest.mark.parametrize("check", ["spelling", "markdown", "python"])
def test_project_passes(check):
    result = subprocess.run([*LINT, check], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"`tools/lint {check}` (also `make lint`) found problems:\n{result.stdout}{result.stderr}"


MYST_PAGE = """---
summary: A page using the MyST syntax the site allows.
tags: [security]
related: [licences, accountability]
---

# A MyST page

(security-example)=

## A section

Text with a {term}`deepfakes <deepfake>` link, a [topic link](licences.md#permissive-licences) and
<https://arxiv.org/abs/2108.07258>.

:::{note}
An admonition with *emphasis*.
:::

::::{tab-set}
:::{tab-item} One
Content one.
:::
::::

```{glossary}
term one
  Definition one.
```

Term
: A definition list entry.

| a | b |
|---|---|
| 1 | 2 |
"""


def markdown_lint(path) -> subprocess.CompletedProcess:
    # Run from the repository root, so the project's settings (pyproject.toml) apply.
    return subprocess.run([str(BIN / "pymarkdown"), "scan", str(path)], cwd=ROOT, capture_output=True, text=True)


def test_markdown_lint_accepts_myst_and_catches_style_errors(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(MYST_PAGE)
    clean = markdown_lint(page)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    page.write_text(MYST_PAGE + "\n#### Skipped two levels\n\n\n\nToo many blank lines.\n")
    dirty = markdown_lint(page)
    assert dirty.returncode != 0
    assert "MD001" in dirty.stdout and "MD012" in dirty.stdout


def test_spelling_check_catches_a_typo(tmp_path):
    page = tmp_path / "page.md"
    typo = "tnemrevog"[::-1]  # a common misspelling, reversed so this file itself passes the check
    page.write_text(f"The {typo} published the report.\n")
    result = subprocess.run([str(BIN / "codespell"), str(page)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and typo in result.stdout


def test_python_lint_catches_an_unused_import(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("import os\n")
    result = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", str(module)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "F401" in result.stdout
