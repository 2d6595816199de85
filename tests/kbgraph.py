"""Building the knowledge-graph fixture project (tests/roots/kb-graph) and reading what it shows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "roots" / "kb-graph"
STRICT = ["-W", "-n", "--keep-going"]


def copy_fixture(tmp_path: Path, name: str = "kb") -> Path:
    project = tmp_path / name
    shutil.copytree(FIXTURE, project)
    return project


def sphinx_build(
    project: Path, out: Path, *args: str, strict: bool = True, env: dict | None = None
) -> subprocess.CompletedProcess:
    """sphinx-build -b html (strict by default) with the repository's _ext on the path."""
    env = dict(os.environ, **(env or {}), PYTHONPATH=str(ROOT / "_ext"))
    command = [sys.executable, "-m", "sphinx", "-b", "html", *(STRICT if strict else []), *args, str(project), str(out)]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=project)


def built_once(tmp_path_factory, name: str, prepare) -> tuple[Path, Path]:
    """For a module-scoped fixture: ``prepare(folder)`` makes a project, which is built strictly
    once; returns (project, html folder)."""
    tmp = tmp_path_factory.mktemp(name)
    project = prepare(tmp)
    result = sphinx_build(project, tmp / "html")
    assert result.returncode == 0, result.stderr
    return project, tmp / "html"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def section_html(page: BeautifulSoup, ident: str) -> str:
    node = page.find(id=ident)
    return str(node) if node is not None else ""


def shown_data(html_dir: Path) -> dict[str, str]:
    """Everything the knowledge-graph features render from other pages, page by page: backlinks,
    "See also", glossary usage lists, tag pages and index, cards, topic map, references, previews."""
    shown = {}
    for path in sorted(html_dir.rglob("*.html")):
        rel = str(path.relative_to(html_dir))
        if rel.startswith(("_", ".")):
            continue
        page = soup(path)
        parts = [section_html(page, "referenced-by"), section_html(page, "see-also")]
        parts += [str(p) for p in page.select("p.kb-term-usage, p.kb-tags")]
        parts += [str(n) for n in page.select(".kb-tag-index, .kb-topic-list, .sd-container-fluid")]
        parts += [str(n) for n in page.select(".kb-topic-map-figure, .kb-map-text, ol.kb-references")]
        parts += [str(n) for n in page.select("script#kb-previews-data")]
        if any(parts):
            shown[rel] = "\n".join(parts)
    return shown
