"""Benchmark of the knowledge base's build and pages (`make bench`; not a test).

For the real site and for copies with 100, 400 and 1,600 extra synthetic pages (tools/synthetic.py),
it measures under our configuration and, alongside, under a bare Sphinx + Furo configuration
(MyST and sphinx-design only, no kb extension, Furo's full navigation tree):

- clean build time, and incremental rebuild time after editing one topic (serial and ``-j auto``);
- bytes of HTML, CSS and JS one topic page loads; bytes one search downloads; peak memory.

Times are medians of ``--runs`` runs (``--site-runs`` for the real site, ``--large-runs`` at
1,600 extra pages); every run's time is kept in the JSON too. Every figure is also a ratio to the
bare configuration, since absolute times vary between machines. The targets are checked at the
end, and the whole result is written as JSON.

    python tools/bench.py [--sizes 0,100,400,1600] [--runs 3] [--site-runs 9] [--large-runs 1]
                          [--json PATH] [--configs kb,bare] [--bare-from EARLIER.json]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).parent))
import synthetic  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from conf import exclude_patterns  # noqa: E402
from tests.conftest import commit_all  # noqa: E402

SPHINX = [sys.executable, "-m", "sphinx"]
OPTIONS = ["-b", "html", "-q", "-n", "--keep-going"]
EDITED_TOPIC = "topics/security.md"
SAMPLE_PAGE = "topics/security.html"
BARE_SERIAL_ONLY = 1600  # from this size on, the bare configuration is built without -j only
IGNORED = shutil.ignore_patterns(".venv", "_build", ".git", ".pytest_cache", "__pycache__", "node_modules")

BARE_CONF = '''
# Bare Sphinx + Furo: the same sources, without the kb extension or any of our tuning.
project = "bare"
extensions = ["myst_parser", "sphinx_design"]
exclude_patterns = {exclude!r}
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "substitution", "attrs_inline"]
myst_heading_anchors = 3
html_theme = "furo"
suppress_warnings = ["myst.directive_unknown", "myst.xref_missing"]
'''


def prepare(size: int, workdir: Path) -> Path:
    copy = workdir / f"site-{size}"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(ROOT, copy, ignore=IGNORED)
    # The extension's bytecode is cached, as after a writer's first build (or `make serve`, which
    # compiles it). Where PYTHONDONTWRITEBYTECODE is set, as on the machine the results come
    # from, every build would otherwise compile _ext/kb again (about 0.05 s a build).
    compileall.compile_dir(copy / "_ext", quiet=1)
    if size:
        synthetic.generate(copy, size)
    commit_all(copy)  # page dates come from git, as in a real clone
    bare = copy / "_bare"
    bare.mkdir()
    (bare / "conf.py").write_text(BARE_CONF.format(exclude=[*exclude_patterns, "_bare"]))
    return copy


def build(copy: Path, config: str, out: Path, jobs: bool) -> tuple[float, int]:
    """One sphinx-build; returns (seconds, peak resident memory in bytes)."""
    cmd = ["/usr/bin/time", "-f", "%M", *SPHINX, *OPTIONS]
    if jobs:
        cmd += ["-j", "auto"]
    if config == "bare":
        cmd += ["-c", str(copy / "_bare")]
    cmd += [str(copy), str(out)]
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed ({config}, {copy.name}):\n{result.stderr[-3000:]}")
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    return seconds, peak_kb * 1024


def edit_one_topic(copy: Path, run: int) -> None:
    page = copy / EDITED_TOPIC
    page.write_text(page.read_text() + f"\nAn edited sentence, number {run}.\n")


def page_assets(out: Path) -> list[Path]:
    """Every local stylesheet and script the sample topic page loads."""
    page = out / SAMPLE_PAGE
    soup = BeautifulSoup(page.read_text(), "html.parser")
    refs = [t["href"] for t in soup.find_all("link", rel="stylesheet", href=True)]
    refs += [t["src"] for t in soup.find_all("script", src=True)]
    return [(page.parent / ref.split("?")[0]).resolve() for ref in refs if "://" not in ref]


def page_bytes(out: Path) -> int:
    """Bytes of the HTML page plus every local stylesheet and script it loads."""
    return (out / SAMPLE_PAGE).stat().st_size + sum(p.stat().st_size for p in page_assets(out))


# Queries whose downloads are measured; the largest is reported. A real topic word, a glossary
# term and the number of a deep synthetic page (which only exists at larger sizes).
SEARCH_QUERIES = ["security", "open weights", "licence obligations", "kbsyn0800"]


def search_bytes(out: Path) -> tuple[int, str]:
    """Bytes a reader downloads to run one search, measured in Debian's Chromium: the search page
    is opened with a query in a fresh browser context (empty cache) and every response is counted
    except the page itself and the stylesheets and scripts a topic page loads too (the reader has
    them already): that leaves the index, the search code and the search page's own script, for
    Pagefind and for Sphinx's search alike. Returns the largest over SEARCH_QUERIES, and how it
    was measured."""
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415

        from tests.conftest import CHROMIUM_ARGS, chromium_path, serve_directory  # noqa: PLC0415
        from tests.searching import FINISHED  # noqa: PLC0415
    except ImportError:
        return search_bytes_estimate(out), "estimate"
    shared = {"/" + str(p.relative_to(out.resolve())) for p in page_assets(out)} | {"/search.html"}
    largest = 0
    with serve_directory(out) as base:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for query in SEARCH_QUERIES:
                context = browser.new_context()
                page = context.new_page()
                sizes: dict[str, int] = {}

                def count(response, sizes=sizes):
                    path = response.url.removeprefix(base).split("?")[0]
                    if path not in shared and response.ok:
                        sizes[path] = len(response.body())

                page.on("response", count)
                page.goto(f"{base}/search.html?q={query}")
                page.locator(FINISHED).first.wait_for(state="attached", timeout=30000)
                page.wait_for_load_state("networkidle")
                largest = max(largest, sum(sizes.values()))
                context.close()
            browser.close()
    return largest, "browser"


def search_bytes_estimate(out: Path) -> int:
    """Without a browser: an upper bound from the files (Pagefind's script, its WebAssembly and
    metadata, the largest index chunk and the ten largest fragments), or Sphinx's index."""
    pagefind = out / "pagefind"
    if pagefind.is_dir():
        code = (pagefind / "pagefind.js").stat().st_size + sum(f.stat().st_size for f in pagefind.glob("wasm.en.*"))
        meta = sum(f.stat().st_size for f in pagefind.glob("*.pf_meta"))
        chunk = max((f.stat().st_size for f in pagefind.glob("index/*")), default=0)
        fragments = sorted((f.stat().st_size for f in pagefind.glob("fragment/*")), reverse=True)
        return code + meta + chunk + sum(fragments[:10])
    files = ["searchindex.js", "_static/searchtools.js", "_static/language_data.js"]
    return sum((out / f).stat().st_size for f in files if (out / f).exists())


def measure(size: int, config: str, runs: int, workdir: Path) -> dict:
    copy = prepare(size, workdir)
    series: dict[str, list[float]] = {"clean": [], "incremental": [], "clean_j": [], "incremental_j": []}
    peak = 0
    modes = ((False, ""), (True, "_j"))
    if config == "bare" and size >= BARE_SERIAL_ONLY:
        modes = modes[:1]  # about 20 minutes a build: the -j figures have no target
        del series["clean_j"], series["incremental_j"]
    for run in range(runs):
        for jobs, suffix in modes:
            out = workdir / f"out-{size}-{config}{suffix}"
            shutil.rmtree(out, ignore_errors=True)
            seconds, memory = build(copy, config, out, jobs)
            series["clean" + suffix].append(seconds)
            peak = max(peak, memory)
            edit_one_topic(copy, run)
            seconds, _ = build(copy, config, out, jobs)
            series["incremental" + suffix].append(seconds)
    out = workdir / f"out-{size}-{config}"
    result = {key: statistics.median(values) for key, values in series.items()}
    result["series"] = {key: [round(v, 3) for v in values] for key, values in series.items()}
    downloaded, method = search_bytes(out)
    result.update(page_bytes=page_bytes(out), search_bytes=downloaded, search_bytes_method=method,
                  peak_memory=peak, runs=runs)
    shutil.rmtree(copy)
    return result


def check_targets(results: dict) -> list[tuple[str, float, str, bool]]:
    """(target, measured value, limit, met) for every target of the performance issue."""
    kb = {int(size): r["kb"] for size, r in results.items() if "kb" in r}
    bare = {int(size): r["bare"] for size, r in results.items() if "bare" in r}
    checks = []
    for size in sorted(kb.keys() & bare.keys()):
        ratio = kb[size]["clean"] / bare[size]["clean"]
        checks.append((f"build overhead vs bare, +{size} pages", ratio, "<= 1.5", ratio <= 1.5))
        checks.append(
            (f"topic page bytes vs bare, +{size} pages", kb[size]["page_bytes"] / bare[size]["page_bytes"],
             "<= 1.0", kb[size]["page_bytes"] <= bare[size]["page_bytes"])
        )
    if {100, 400, 1600} <= kb.keys():
        small = (kb[400]["clean"] - kb[100]["clean"]) / 300
        large = (kb[1600]["clean"] - kb[400]["clean"]) / 1200
        growth = large / small
        checks.append(("per-page cost 400->1600 vs 100->400", growth, "<= 1.3", growth <= 1.3))
    if 0 in kb:
        inc = kb[0]["incremental"] / kb[0]["clean"]
        checks.append(("incremental / clean, real site", inc, "<= 0.4", inc <= 0.4))
    if 1600 in kb:
        inc = kb[1600]["incremental"] / kb[1600]["clean"]
        checks.append(("incremental / clean, +1600 pages", inc, "<= 0.1", inc <= 0.1))
        checks.append(("search download, +1600 pages (kB)", kb[1600]["search_bytes"] / 1000, "< 300",
                       kb[1600]["search_bytes"] < 300_000))
        checks.append(("peak memory, +1600 pages (GB)", kb[1600]["peak_memory"] / 1e9, "< 2",
                       kb[1600]["peak_memory"] < 2e9))
    return checks


def print_table(results: dict, checks) -> None:
    metrics = [
        ("clean", "clean build (s)", "{:.1f}"),
        ("incremental", "incremental (s)", "{:.1f}"),
        ("clean_j", "clean -j auto (s)", "{:.1f}"),
        ("incremental_j", "incremental -j auto (s)", "{:.1f}"),
        ("page_bytes", "topic page HTML+CSS+JS (kB)", "{:.0f}"),
        ("search_bytes", "one search download (kB)", "{:.0f}"),
        ("peak_memory", "peak memory (MB)", "{:.0f}"),
    ]
    scale = {"page_bytes": 1e3, "search_bytes": 1e3, "peak_memory": 1e6}
    print("\n| extra pages | metric | ours | bare | ours / bare |\n|---|---|---|---|---|")
    for size, r in results.items():
        for key, label, fmt in metrics:
            values = [r[c][key] / scale.get(key, 1) if key in r.get(c, {}) else None for c in ("kb", "bare")]
            cells = [fmt.format(v) if v is not None else "-" for v in values]
            ratio = f"{values[0] / values[1]:.2f}" if None not in values else "-"
            print(f"| {size} | {label} | {cells[0]} | {cells[1]} | {ratio} |")
    print("\n| target | measured | limit | met |\n|---|---|---|---|")
    for name, value, limit, met in checks:
        print(f"| {name} | {value:.2f} | {limit} | {'yes' if met else 'NO'} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0,100,400,1600")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--large-runs", type=int, default=1, help="runs at 1,600 pages")
    parser.add_argument("--site-runs", type=int, default=9,
                        help="runs for the real site (+0 pages): its builds take seconds, and a tenth of a "
                             "second of noise moves its ratios most")
    parser.add_argument("--configs", default="kb,bare", help="kb, bare or both (ratios need both)")
    parser.add_argument("--json", default=str(ROOT / "_build" / "bench" / "results.json"))
    parser.add_argument("--bare-from", metavar="JSON",
                        help="take the bare configuration's figures from an earlier run's JSON instead of "
                             "measuring them again (they do not depend on our code; at +1,600 pages one "
                             "bare build takes about 20 minutes)")
    args = parser.parse_args()
    earlier = json.loads(Path(args.bare_from).read_text())["results"] if args.bare_from else {}
    results = {}
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            runs = args.site_runs if size == 0 else args.large_runs if size >= 1600 else args.runs
            results[size] = {}
            for config in args.configs.split(","):
                if config == "bare" and args.bare_from:
                    if "bare" in earlier.get(str(size), {}):
                        results[size]["bare"] = {**earlier[str(size)]["bare"], "from": args.bare_from}
                    continue
                print(f"measuring +{size} pages, {config} configuration, {runs} run(s)...", flush=True)
                results[size][config] = measure(size, config, runs, Path(tmp))
    checks = check_targets(results)
    print_table(results, checks)
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "system": platform.platform()},
        "results": results,
        "targets": [dict(target=n, measured=v, limit=lim, met=m) for n, v, lim, m in checks],
    }, indent=2))
    print(f"\nwritten to {path}")
    return 0 if all(met for *_, met in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
