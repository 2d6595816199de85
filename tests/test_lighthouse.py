"""Lighthouse on the landing page, a topic page and the glossary, once each: the deterministic
categories (accessibility, best practices, SEO). The performance score is a timing measure taken on
a loaded machine, so it is benchmarked by `make bench` (tools/bench_lighthouse.py), not tested.

Lighthouse 12.2.3 (tools/webchecks, installed by `make test` with `npm ci`) drives Debian's
Chromium against the built site served as a static host serves it (tests/publishing.py). Its
default configuration applies: a mid-range phone on a throttled mobile network, simulated.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from .conftest import CHROMIUM_ARGS, ROOT, chromium_path

pytestmark = pytest.mark.browser

CLI = ROOT / "tools" / "webchecks" / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = {"landing page": "index.html", "topic page": "topics/security.html", "glossary": "glossary.html"}
REQUIRED = {"accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}


@pytest.fixture(scope="module")
def reports(published, tmp_path_factory):
    if not CLI.exists():
        pytest.fail("Lighthouse is not installed: run `make webchecks` (make test does)", pytrace=False)
    node = shutil.which("node")
    assert node, "Node.js is needed for Lighthouse"
    out = tmp_path_factory.mktemp("lighthouse")
    env = {**os.environ, "CHROME_PATH": chromium_path() or "/usr/bin/chromium"}
    results = {}
    for name, relpath in PAGES.items():
        target = out / (relpath.replace("/", "-") + ".json")
        run = subprocess.run(
            [node, str(CLI), published.page_url(relpath), "--quiet", "--output=json",
             f"--output-path={target}", "--only-categories=" + ",".join(REQUIRED),
             "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_ARGS])],
            env=env, capture_output=True, text=True, timeout=300,
        )
        assert run.returncode == 0, f"Lighthouse failed on {relpath}:\n{run.stderr[-3000:]}"
        results[name] = json.loads(target.read_text(encoding="utf-8"))
    return results


def failing_audits(report: dict, category: str) -> list[str]:
    ids = [ref["id"] for ref in report["categories"][category]["auditRefs"] if ref["weight"] > 0]
    audits = [report["audits"][i] for i in ids]
    return [f"{a['id']} ({a['score']}): {a.get('displayValue') or a['title']}"
            for a in audits if a["score"] is not None and a["score"] < 1]


@pytest.mark.parametrize("name", PAGES)
def test_lighthouse_scores(reports, name, record_property):
    report = reports[name]
    scores = {c: report["categories"][c]["score"] for c in REQUIRED}
    record_property(f"lighthouse_{name.replace(' ', '_')}", scores)
    print(f"Lighthouse, {name}: " + ", ".join(f"{c} {round(s * 100)}" for c, s in scores.items()))
    low = {c: s for c, s in scores.items() if s is None or s < REQUIRED[c]}
    assert not low, f"{name} ({PAGES[name]}): {low}; failing audits: " + "; ".join(
        a for c in low for a in failing_audits(report, c))
