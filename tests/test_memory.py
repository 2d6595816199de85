"""kb.memory: the garbage collector skips what lives for the whole build, resumes after the build,
and does not walk the heap when the process exits. (How much time this saves is measured by
``make bench``, not here.)"""

from __future__ import annotations

import json
import subprocess
import sys

from .kbgraph import ROOT, copy_fixture

# Two builds of the fixture in one process, as tests or an editor integration would run them; a
# probe extension records the collector's permanent generation while each build reads its pages.
TWO_BUILDS = """
import gc, json, sys
from sphinx.cmd.build import build_main
import probe
results = []
for run in range(2):
    probe.during.clear()
    code = build_main(["-b", "html", "-q", "-E", sys.argv[1], sys.argv[2]])
    results.append({"code": code, "during": list(probe.during), "after": gc.get_freeze_count()})
print(json.dumps(results))
"""

PROBE = """
import gc
during = []
def record(app, docname, source):
    during.append(gc.get_freeze_count())
def setup(app):
    app.connect("source-read", record)
    return {"parallel_read_safe": True}
"""

# A reference cycle whose finalizer prints; it is garbage when the interpreter exits, so only the
# collector's last pass at exit would finalize it.
EXIT = """
import sys
sys.path.insert(0, {ext!r})
class App:
    def connect(self, *args, **kwargs):
        pass
if sys.argv[1] == "with":
    from kb import memory
    memory.setup(App())
    memory.setup(App())  # a second build in the same process registers nothing more
class Cycle:
    def __del__(self):
        print("finalized")
cycle = Cycle()
cycle.me = cycle
del cycle
"""


def test_the_collector_skips_long_lived_objects_during_a_build_and_resumes_after_it(tmp_path):
    project = copy_fixture(tmp_path)
    (project / "probe.py").write_text(PROBE, encoding="utf-8")
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nimport sys\nsys.path.insert(0, ".")\nextensions.append("probe")\n')
    script = tmp_path / "two_builds.py"
    script.write_text(TWO_BUILDS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script), str(project), str(tmp_path / "html")],
        capture_output=True, text=True, cwd=project,
        env={"PYTHONPATH": f"{ROOT / '_ext'}:{project}", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stderr
    builds = json.loads(result.stdout.strip().splitlines()[-1])
    for build in builds:
        assert build["code"] == 0
        # every page is read with the modules, the configuration and the environment frozen
        assert build["during"] and min(build["during"]) > 10_000, build["during"]
        assert build["after"] == 0, "the collector sees everything again once the build is over"


def test_the_exit_does_not_collect_once_more():
    script = EXIT.format(ext=str(ROOT / "_ext"))
    without = subprocess.run([sys.executable, "-c", script, "without"], capture_output=True, text=True)
    with_kb = subprocess.run([sys.executable, "-c", script, "with"], capture_output=True, text=True)
    assert without.returncode == 0 and with_kb.returncode == 0, without.stderr + with_kb.stderr
    assert without.stdout.strip() == "finalized", "the control: Python's last collection finalizes the cycle"
    assert with_kb.stdout.strip() == "", "with kb.memory set up, the exit skips that collection"
