"""`make epub` builds the whole knowledge base as one EPUB, strictly (a warning fails it)."""

from __future__ import annotations

import os
import subprocess
import zipfile

import pytest

from .conftest import ROOT
from .test_site import TOPICS


@pytest.mark.fullbuild
def test_make_epub_builds_every_page_without_warnings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SPHINXOPTS", "MAKEFLAGS"}}
    result = subprocess.run(["make", "--no-print-directory", "epub", f"BUILDDIR={tmp_path}"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, "make epub failed (warnings are errors):\n" + result.stderr[-4000:]
    assert "WARNING" not in result.stderr, result.stderr[-4000:]
    books = list((tmp_path / "epub").glob("*.epub"))
    assert len(books) == 1, books
    with zipfile.ZipFile(books[0]) as book:
        names = set(book.namelist())
        assert book.read("mimetype") == b"application/epub+zip"
        opf = book.read("content.opf").decode("utf-8")
    for doc in [*(f"topics/{t}" for t in TOPICS), "glossary", "about", "index"]:
        assert f"{doc}.xhtml" in names, f"{doc} is missing from the e-book"
        assert f'href="{doc}.xhtml"' in opf, f"{doc} is not in the e-book's reading order"
