"""The Makefile is the one entry point a newcomer needs: its targets exist and work."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

from .conftest import ROOT


def test_make_help_lists_every_target():
    out = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for target in ("html", "serve", "test", "linkcheck", "clean", "bench"):
        assert f"make {target} " in out, out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
