"""The benchmark's own arithmetic (tools/bench.py): targets are judged from the measured figures.
No timing here: `make bench` measures, this checks that its verdicts follow from its numbers."""

from __future__ import annotations

import sys

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import bench  # noqa: E402


def figures(clean: float, incremental: float = 1.0, page: int = 100_000, search: int = 100_000, memory: int = 10**8):
    return {"clean": clean, "incremental": incremental, "page_bytes": page, "search_bytes": search,
            "peak_memory": memory}


def verdicts(results) -> dict[str, tuple[float, bool]]:
    return {name: (value, met) for name, value, _, met in bench.check_targets(results)}


def test_targets_met_when_the_figures_are_within_their_limits():
    results = {
        0: {"kb": figures(3.0, 1.0, page=150_000), "bare": figures(2.5, page=200_000)},
        100: {"kb": figures(10.0)},
        400: {"kb": figures(25.0)},  # 0.05 s a page from +100 to +400
        1600: {"kb": figures(100.0, 9.0, search=250_000, memory=5 * 10**8)},  # 0.0625 s a page
    }
    checks = verdicts(results)
    assert checks["build overhead vs bare, +0 pages"] == (1.2, True)
    assert checks["topic page bytes vs bare, +0 pages"] == (0.75, True)
    assert checks["per-page cost 400->1600 vs 100->400"] == (1.25, True)
    assert checks["incremental / clean, real site"][1] is True
    assert checks["incremental / clean, +1600 pages"] == (0.09, True)
    assert checks["search download, +1600 pages (kB)"] == (250.0, True)
    assert checks["peak memory, +1600 pages (GB)"] == (0.5, True)


def test_targets_missed_when_any_figure_is_over():
    results = {
        0: {"kb": figures(4.0, 2.0, page=210_000), "bare": figures(2.5, page=200_000)},
        100: {"kb": figures(10.0)},
        400: {"kb": figures(25.0)},
        1600: {"kb": figures(110.0, 12.0, search=300_000, memory=2 * 10**9)},
    }
    checks = verdicts(results)
    assert not any(met for _, met in checks.values())
    assert round(checks["per-page cost 400->1600 vs 100->400"][0], 3) == round((85 / 1200) / (15 / 300), 3)


def test_page_bytes_count_the_page_and_what_it_loads(tmp_path):
    (tmp_path / "topics").mkdir()
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.css").write_text("x" * 100)
    (tmp_path / "_static" / "b.js").write_text("y" * 50)
    page = ('<link rel="stylesheet" href="../_static/a.css?v=1"><script src="../_static/b.js"></script>'
            '<script src="https://elsewhere.example/c.js"></script>')
    (tmp_path / bench.SAMPLE_PAGE).write_text(page)
    assert bench.page_bytes(tmp_path) == len(page) + 150
