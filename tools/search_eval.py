"""Measure the site's search against the reader queries in tests/search_queries.yml.

Serves a built site on localhost, opens ``search.html?q=...`` in Debian's Chromium for every query
and prints the share of queries whose expected page is among the first three results, by kind of
query, every miss, and how long the first result took to appear. `make test` asserts the share
(tests/test_search.py); this tool is for looking closer and for comparing engines.

    python tools/search_eval.py BUILT_HTML_DIR     # one built site, as it is
    python tools/search_eval.py --compare          # build the sources three ways and compare:
        pagefind      the site as configured (kb.search: Pagefind, glossary records, synonyms)
        sphinx        Sphinx's built-in search (kb_search = False), with the kb scorer
        sphinx-tuned  the same, plus tools/search_sphinx_tuned/: heavier title and glossary
                      weights, and the same synonyms and spelling variants as the site's search
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM_ARGS, chromium_path, serve_directory  # noqa: E402
from tests.searching import QUERIES_FILE, install_probe, load_queries, report, run_all  # noqa: E402

TUNED = ROOT / "tools" / "search_sphinx_tuned"
SYNONYMS = ROOT / "_ext" / "kb" / "search_synonyms.yml"
EXPANSION = ROOT / "_ext" / "kb" / "static" / "kb" / "search.js"


def measure(site: Path, queries_file: Path) -> tuple[list, str]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with serve_directory(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context()
        install_probe(context)
        outcomes = run_all(context.new_page(), base, load_queries(queries_file))
        browser.close()
    times = sorted(o.first_result_ms for o in outcomes if not math.isnan(o.first_result_ms))
    timing = f"first result: median {times[len(times) // 2]:.0f} ms, max {times[-1]:.0f} ms" if times else ""
    return outcomes, timing


def build(out: Path, *overrides: str) -> Path:
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-n", *overrides, str(ROOT), str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    return out


def tune_sphinx(site: Path) -> None:
    """Add the tuned scorer and the query expansion to Sphinx's search page of a built site."""
    for name in ("scorer.js", "expand.js"):
        shutil.copy(TUNED / name, site / "_static" / f"tuned-{name}")
    shutil.copy(EXPANSION, site / "_static" / "tuned-alternatives.js")
    synonyms = json.dumps(yaml.safe_load(SYNONYMS.read_text(encoding="utf-8"))).replace("</", "<\\/")
    page = site / "search.html"
    text = page.read_text(encoding="utf-8")
    searchtools = '<script src="_static/searchtools.js'
    assert searchtools in text, "Sphinx's search page has changed"
    text = text.replace(searchtools, '<script src="_static/tuned-scorer.js"></script>\n' + searchtools, 1)
    text = text.replace("</body>", f'<script type="application/json" id="kb-search-synonyms">{synonyms}</script>\n'
                        '<script src="_static/tuned-alternatives.js"></script>\n'
                        '<script src="_static/tuned-expand.js"></script>\n</body>', 1)
    page.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, nargs="?", help="a built HTML folder")
    parser.add_argument("--compare", action="store_true", help="build and compare the three engines")
    parser.add_argument("--queries", type=Path, default=QUERIES_FILE)
    args = parser.parse_args()
    if not args.compare:
        if not args.site:
            parser.error("give a built site, or --compare")
        outcomes, timing = measure(args.site, args.queries)
        print(report(outcomes))
        print(timing)
        return 0
    summary = []
    with tempfile.TemporaryDirectory(prefix="kb-search-eval-") as tmp:
        sites = {
            "pagefind": build(Path(tmp) / "pagefind"),
            "sphinx": build(Path(tmp) / "sphinx", "-D", "kb_search=0"),
        }
        sites["sphinx-tuned"] = Path(tmp) / "sphinx-tuned"
        shutil.copytree(sites["sphinx"], sites["sphinx-tuned"])
        tune_sphinx(sites["sphinx-tuned"])
        for name, site in sites.items():
            outcomes, timing = measure(site, args.queries)
            print(f"== {name}\n{report(outcomes)}\n{timing}\n")
            summary.append((name, sum(o.hit for o in outcomes), len(outcomes), timing))
    print("| engine | top-3 | share | timing |\n|---|---|---|---|")
    for name, hits, total, timing in summary:
        print(f"| {name} | {hits}/{total} | {hits / total:.1%} | {timing.removeprefix('first result: ')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
