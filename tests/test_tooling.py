"""The Makefile is the one entry point a newcomer needs: its targets exist and work."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from .conftest import ROOT


def test_make_help_lists_every_target():
    """Every target the Makefile declares phony is listed by `make help` with its description."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.M)[1].split()
    assert {"html", "serve", "test", "review", "bench", "new-model", "new-topic"} <= set(phony)
    out = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    listed = dict(re.findall(r"^  make (\S+)\s+(.+)$", out, re.M))
    assert sorted(listed) == sorted(phony), (sorted(listed), sorted(phony))
    assert all(text.strip() for text in listed.values())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.fullbuild
def test_make_serve_previews_the_site_on_localhost(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "MAKEFLAGS"}
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}", f"BUILDDIR={tmp_path}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        body = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=5) as response:
                    body = response.read().decode()
                break
            except OSError:
                time.sleep(1)
        assert body is not None, proc.stdout.read().decode()[-3000:] if proc.poll() is not None else "no answer"
        assert "Open Source AI Knowledge Base" in body
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_make_review_lists_every_topic_when_asked_about_a_far_future_day(tmp_path):
    """`make review` (the target, as documented) on the real site: in 2099 every topic is due, each
    as a `file:line:` line, and the Markdown list for the weekly issue is written."""
    env = {k: v for k, v in os.environ.items() if k != "MAKEFLAGS"} | {"KB_TODAY": "2099-01-01"}
    run = subprocess.run(["make", "--no-print-directory", "review", f"BUILDDIR={tmp_path}"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    due = {line.split(":")[0] for line in run.stdout.splitlines() if re.match(r"^\S+\.md:\d+: review due", line)}
    topics = {p.relative_to(ROOT).as_posix() for p in (ROOT / "topics").glob("*.md")}
    assert due == topics, due ^ topics
    assert "item(s) due for review as of 2099-01-01" in run.stdout
    assert (tmp_path / "review" / "review.md").read_text(encoding="utf-8").count("- [ ] `topics/") >= len(topics)
