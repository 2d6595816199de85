"""Which repository the site is built from, and the addresses of a page's source and history there.

conf.py asks :func:`repository_from_environment` once. The answer is an https URL of a forge
repository, or "" when none is known: a page then shows no edit or history link, rather than one
to an address that may not be this repository (a placeholder, or a fork's upstream).

Hand-written because this is glue between three small conventions: GitHub Actions' variables,
git's remote URL forms (https, ``git@host:owner/name``, ``ssh://``), and each forge's path for a
file's history. No maintained package covers all three without a network or a large dependency.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

# Hosts whose repositories have a web page at https://HOST/OWNER/NAME, and the path of a file's
# history there ({branch} and {path} are filled in).
FORGES = {
    "github.com": "commits/{branch}/{path}",
    "gitlab.com": "-/commits/{branch}/{path}",
    "codeberg.org": "commits/branch/{branch}/{path}",
}
REMOTE = re.compile(
    r"^(?:https://(?:[^@/]+@)?|ssh://(?:[^@/]+@)?|git@)(?P<host>[^/:]+)(?::\d+)?[:/]"
    r"(?P<path>[^/]+/[^/]+?)(?:\.git)?/?$"
)


def forge_url(remote: str) -> str:
    """https://HOST/OWNER/NAME for a remote on a known forge, else ""."""
    match = REMOTE.match(remote.strip())
    if not match or match["host"].lower() not in FORGES:
        return ""
    return f"https://{match['host'].lower()}/{match['path']}"


def _git_remote(root: Path) -> str:
    try:
        result = subprocess.run(
            ["git", "remote", "get-url", "origin"], cwd=root, capture_output=True, text=True, check=False
        )
    except OSError:  # no git on this machine
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def repository_from_environment(root: Path, environ=os.environ) -> str:
    """KB_REPOSITORY_URL, else the GitHub Actions repository, else a forge ``origin``, else ""."""
    configured = environ.get("KB_REPOSITORY_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    if environ.get("GITHUB_REPOSITORY"):
        server = environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
        return f"{server}/{environ['GITHUB_REPOSITORY']}"
    return forge_url(_git_remote(root))


def history_url(repository: str, branch: str, path: str) -> str:
    """The web page listing the commits that changed ``path``, or "" on an unknown forge."""
    host = repository.split("/")[2].lower() if repository.count("/") >= 4 else ""
    pattern = FORGES.get(host)
    if not pattern:
        return ""
    return f"{repository}/{pattern.format(branch=branch, path=path)}"
