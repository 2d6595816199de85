"""Benchmark of the model catalogue at scale (`make bench` runs it after tools/bench.py; not a test).

For the real site and copies with 100, 400 and 1,600 extra synthetic catalogue entries
(tools/synthetic.py), under our configuration:

- clean build time, and the cost of each extra entry (growth 400->1,600 vs 100->400, the target
  of tools/bench.py's per-page growth, <= 1.3);
- what the catalogue page transfers, gzip-compressed: its HTML and the stylesheets and scripts it
  loads (target: at most 300 kB at +1,600);
- how long filtering the table takes in Debian's Chromium: the time from changing the developer
  filter to the table being updated, the median of several changes (target: under 100 ms);
- the bytes of a model page's sidebar, and that it lists no other model.

    python tools/bench_catalogue.py [--sizes 0,100,400,1600] [--runs 1] [--json PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench  # noqa: E402
import synthetic  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ASSET = re.compile(r'(?:href|src)="([^"]+\.(?:css|js))(?:\?[^"]*)?"')
FILTER_PROBE = """async () => {
  const select = document.querySelector('#kb-filter-developer');
  const times = [];
  for (const option of Array.from(select.options).slice(1, 6).concat([select.options[0]])) {
    const start = performance.now();
    select.value = option.value;
    select.dispatchEvent(new Event('change'));
    document.body.getBoundingClientRect();  // the layout the change causes
    times.push(performance.now() - start);
    await new Promise(r => requestAnimationFrame(r));
  }
  return times;
}"""


def catalogue_bytes(out: Path) -> int:
    """The catalogue page and the stylesheets and scripts it loads, each gzip-compressed."""
    page = out / "models" / "index.html"
    html = page.read_text(encoding="utf-8")
    total = len(gzip.compress(page.read_bytes(), mtime=0))
    for href in sorted(set(ASSET.findall(html))):
        if "://" in href:
            continue
        asset = (page.parent / href).resolve()
        if asset.is_file():
            total += len(gzip.compress(asset.read_bytes(), mtime=0))
    return total


def sidebar(out: Path, model: str) -> tuple[int, int]:
    """(bytes of a model page's sidebar tree, links in it to other model pages)."""
    html = (out / "models" / f"{model}.html").read_text(encoding="utf-8")
    match = re.search(r'<div class="sidebar-tree">(.*?)</div>', html, re.S)
    tree = match.group(1) if match else ""
    return len(tree.encode()), len(re.findall(r'href="[^"]*models/(?!index)[^"]+\.html"', tree))


def filter_ms(out: Path) -> float:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    from tests.conftest import CHROMIUM_ARGS, chromium_path, serve_directory  # noqa: PLC0415

    with serve_directory(out) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/models/index.html")
        page.locator("#kb-filter-developer").wait_for()
        times = page.evaluate(FILTER_PROBE)
        browser.close()
    return statistics.median(times)


def measure(size: int, runs: int, workdir: Path) -> dict:
    copy = bench.prepare(0, workdir)
    ids = synthetic.generate_models(copy, size)
    times = []
    for _ in range(runs):
        out = workdir / f"catalogue-{size}"
        shutil.rmtree(out, ignore_errors=True)
        seconds, peak = bench.build(copy, "kb", out, jobs=False)
        times.append(seconds)
    model = ids[-1] if ids else "mistral-7b"
    tree_bytes, model_links = sidebar(out, model)
    result = {"entries": len(list((copy / "models").glob("*.yml"))), "clean": statistics.median(times),
              "series": [round(t, 3) for t in times], "catalogue_bytes_gz": catalogue_bytes(out),
              "filter_ms": filter_ms(out), "sidebar_bytes": tree_bytes, "sidebar_model_links": model_links,
              "peak_memory": peak}
    shutil.rmtree(copy)
    return result


def check_targets(results: dict) -> list[tuple[str, float, str, bool]]:
    checks = []
    r = {int(k): v for k, v in results.items()}
    if {100, 400, 1600} <= r.keys():
        small = (r[400]["clean"] - r[100]["clean"]) / 300
        large = (r[1600]["clean"] - r[400]["clean"]) / 1200
        checks.append(("per-entry cost 400->1600 vs 100->400", large / small, "<= 1.3", large / small <= 1.3))
    if 1600 in r:
        kb = r[1600]["catalogue_bytes_gz"] / 1000
        checks.append(("catalogue page transfer, +1600 entries (kB, gzip)", kb, "<= 300", kb <= 300))
        checks.append(("filter time, +1600 entries (ms)", r[1600]["filter_ms"], "< 100", r[1600]["filter_ms"] < 100))
        checks.append(("other models in a model page's sidebar, +1600", r[1600]["sidebar_model_links"], "0",
                       r[1600]["sidebar_model_links"] == 0))
    return checks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0,100,400,1600")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", default=str(ROOT / "_build" / "bench" / "catalogue.json"))
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="kb-bench-catalogue-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"catalogue +{size} entries ...", flush=True)
            results[size] = measure(size, args.runs, Path(tmp))
    checks = check_targets(results)
    print("\n| extra entries | entries | clean build (s) | catalogue page, gzip (kB) | filter (ms) | model sidebar (kB) |")
    print("|---|---|---|---|---|---|")
    for size, r in results.items():
        print(f"| {size} | {r['entries']} | {r['clean']:.1f} | {r['catalogue_bytes_gz'] / 1000:.0f} | "
              f"{r['filter_ms']:.1f} | {r['sidebar_bytes'] / 1000:.1f} |")
    print("\n| target | measured | limit | met |\n|---|---|---|---|")
    for name, value, limit, met in checks:
        print(f"| {name} | {value:.2f} | {limit} | {'yes' if met else 'NO'} |")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"results": results, "checks": checks}, indent=1))
    return 0 if all(met for *_, met in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
