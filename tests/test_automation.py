"""Hosted automation (GitHub Actions, Dependabot, Read the Docs, pre-commit) is valid and safe.

These cannot run here, so their properties are checked: they parse, run `make test` / `make html` /
`make linkcheck`, grant least privilege, and pin every action to a full commit SHA.
"""

from __future__ import annotations

import re

import pytest
import yaml

from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
USES = re.compile(r"^\s*(?:-\s*)?uses:\s*(?P<ref>\S+)(?P<comment>.*)$")


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    return {name: None for name in on} if isinstance(on, list) else dict(on)


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "linkcheck.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_grants_least_privilege(path):
    workflow = load(path)
    assert workflow.get("permissions") == {"contents": "read"}, "top-level permissions must be read-only"
    # deployment writes Pages; the weekly review keeps its one issue up to date
    allowed = {"pages", "id-token"} | ({"issues"} if path.name == "review.yml" else set())
    for name, job in workflow["jobs"].items():
        for scope, level in (job.get("permissions") or {}).items():
            if level == "write":
                assert scope in allowed, f"{name}: {scope}: write"
        for step in steps(job):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, f"{name}: checkout keeps the token"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_full_commit_shas(path):
    found = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = USES.match(line)
        if not match:
            continue
        found += 1
        action, _, ref = match["ref"].partition("@")
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{path.name}:{number}: {action} is not pinned to a commit SHA"
        assert re.search(r"#\s*v\d+(\.\d+)*\s*$", match["comment"]), f"{path.name}:{number}: no `# vX.Y.Z` tag comment"
    assert found


def test_ci_runs_make_test_on_pull_requests_and_pushes():
    workflow = load(ROOT / ".github/workflows/ci.yml")
    on = triggers(workflow)
    assert "pull_request" in on and "push" in on
    assert "pull_request_target" not in on, "pull_request_target would run untrusted code with secrets"
    runs = [s.get("run", "") for s in steps(workflow["jobs"]["test"])]
    assert any(r.strip() == "make test" for r in runs), runs
    uses = [s.get("uses", "") for s in steps(workflow["jobs"]["test"])]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    setup = next(s for s in steps(workflow["jobs"]["test"]) if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11"


def test_deploy_publishes_the_built_site_from_main_only():
    workflow = load(ROOT / ".github/workflows/ci.yml")
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "test"
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    runs = [s.get("run", "") for s in steps(deploy)]
    assert "make html" in runs
    upload = next(s for s in steps(deploy) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in steps(deploy))


def test_link_check_is_scheduled_and_never_blocks():
    workflow = load(ROOT / ".github/workflows/linkcheck.yml")
    on = triggers(workflow)
    assert "schedule" in on and "pull_request" not in on and "push" not in on
    job = workflow["jobs"]["linkcheck"]
    assert job.get("continue-on-error") is True
    assert any(s.get("run", "").strip() == "make linkcheck" for s in steps(job))


def test_dependabot_updates_pip_and_actions_with_a_cooldown():
    config = load(ROOT / ".github/dependabot.yml")
    assert config["version"] == 2
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(ecosystems) >= {"pip", "github-actions"}
    for name, update in ecosystems.items():
        assert update["cooldown"]["default-days"] >= 1, name
        assert update["schedule"]["interval"] in {"daily", "weekly", "monthly"}, name


def test_read_the_docs_builds_strictly_with_python_3_11():
    config = load(ROOT / ".readthedocs.yaml")
    assert config["version"] == 2
    assert str(config["build"]["tools"]["python"]) == "3.11"
    assert config["sphinx"]["configuration"] == "conf.py"
    assert config["sphinx"]["fail_on_warning"] is True
    assert {"requirements": "requirements.txt"} in config["python"]["install"]


def test_pre_commit_runs_the_same_linters_from_the_venv():
    import importlib.machinery
    import importlib.util

    loader = importlib.machinery.SourceFileLoader("kb_lint", str(ROOT / "tools" / "lint"))
    spec = importlib.util.spec_from_loader("kb_lint", loader)
    lint = importlib.util.module_from_spec(spec)
    loader.exec_module(lint)

    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert all(repo["repo"] == "local" for repo in config["repos"])
    covered = set()
    for hook in hooks:
        assert hook["language"] == "system"
        assert hook["entry"].startswith(".venv/bin/python tools/lint "), hook["entry"]
        covered.add(hook["entry"].split()[-1])
    assert covered == set(lint.CHECKS)
