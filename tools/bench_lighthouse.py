"""Lighthouse performance scores of the built site (`make bench` runs it; not a test).

The performance score is a timing measure: Lighthouse simulates a mid-range phone on a throttled
network from timings taken on this machine, so it moves with the machine's load. The tests keep
what is deterministic (accessibility, best practices, SEO: tests/test_lighthouse.py); this script
measures performance on the landing page, a topic and the glossary, several runs each, and judges
the median against the target in PERFORMANCE.md.

    python tools/bench_lighthouse.py [--html _build/html] [--runs 3] [--json PATH]

The site is served as a static host serves it (tests/publishing.py: under the path of
``html_baseurl``, gzip), with the Lighthouse that `make webchecks` installs (tools/webchecks).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from tests.publishing import publish  # noqa: E402

CLI = ROOT / "tools" / "webchecks" / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = {"landing page": "index.html", "topic page": "topics/security.html", "glossary": "glossary.html"}
TARGET = 0.98  # the median performance score of each page, at least


def score(url: str, out: Path) -> float:
    """One Lighthouse run of the performance category; its score from 0 to 1."""
    env = {**os.environ, "CHROME_PATH": chromium_path() or "/usr/bin/chromium"}
    run = subprocess.run(
        [shutil.which("node") or "node", str(CLI), url, "--quiet", "--output=json", f"--output-path={out}",
         "--only-categories=performance", "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_ARGS])],
        env=env, capture_output=True, text=True, timeout=300,
    )
    if run.returncode != 0:
        raise SystemExit(f"Lighthouse failed on {url}:\n{run.stderr[-2000:]}")
    return json.loads(out.read_text(encoding="utf-8"))["categories"]["performance"]["score"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="a built site (make html)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=ROOT / "_build" / "bench" / "lighthouse.json")
    args = parser.parse_args()
    if not (args.html / "index.html").is_file():
        raise SystemExit(f"no built site in {args.html}: run `make html` first")
    if not CLI.exists():
        raise SystemExit("Lighthouse is not installed: run `make webchecks`")
    results, met = {}, True
    with publish(args.html) as host, tempfile.TemporaryDirectory() as scratch:
        for name, relpath in PAGES.items():
            scores = [score(host.page_url(relpath), Path(scratch) / f"{n}.json") for n in range(args.runs)]
            median = statistics.median(scores)
            met &= median >= TARGET
            results[name] = {"page": relpath, "scores": scores, "median": median, "target": TARGET}
            print(f"Lighthouse performance, {name:12} median {median * 100:.0f} of {args.runs} runs "
                  f"({', '.join(f'{s * 100:.0f}' for s in scores)}); target {TARGET * 100:.0f}: "
                  f"{'met' if median >= TARGET else 'MISSED'}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
