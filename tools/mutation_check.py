"""Deliberate breakages: does the test meant to catch each one fail? (run by hand; not a test)

Each mutation below breaks one behaviour the README says a test proves: it replaces one piece of
code in a copy of the repository, then runs the tests named for that behaviour in the copy. The
mutation is *killed* when they fail, and *survives* when they pass, which means the tests do not
prove what they claim. The same tests first run on an unbroken copy (the control): they must pass
there, or the verdict is *invalid*. mutmut and its kind mutate every line at random and would rerun Sphinx builds
thousands of times (hours a run); a scripted set aimed at the claims runs in minutes and its
survivors say which claim is unproven.

    python tools/mutation_check.py [--only NAME ...] [--json _build/mutations.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]  # pytest arguments: node ids, or a file and a -k expression


MUTATIONS = [
    # Safety rails and untrusted input
    Mutation("http links accepted", "_ext/kb/links.py",
             'if parts.scheme.lower() != "https":', 'if parts.scheme.lower() not in ("https", "http"):',
             ("tests/test_safety.py::test_each_bad_edit_is_reported_in_its_file[http link]",)),
    Mutation("YAML aliases and anchors accepted", "_ext/kb/data.py",
             'if getattr(event, "anchor", None):', "if False:",
             ("tests/test_hostile.py", "-k", "alias")),
    Mutation("off-site redirects kept", "_ext/kb/redirects.py",
             "if isinstance(target, str) and redirect_target_docname(str(source), target) is not None:", "if True:",
             ("tests/test_hostile.py", "-k", "redirect")),
    Mutation("orphan front matter accepted", "_ext/kb/metadata.py",
             'FRONT_MATTER_KEYS = ("summary", "tags", "related", "reviewed")',
             'FRONT_MATTER_KEYS = ("summary", "tags", "related", "reviewed", "orphan")',
             ("tests/test_safety.py", "-k", "orphan")),
    Mutation("spreadsheet formulas kept in the CSV", "_ext/kb/catalogue/exports.py",
             """return "'" + value if value.startswith(FORMULA_START) else value""", "return value",
             ("tests/test_hostile.py", "-k", "formulas")),
    # Catalogue and licences
    Mutation("future release dates accepted", "_ext/kb/catalogue/entries.py",
             "if span and span[0] > dates.today():", "if False:",
             ("tests/test_hostile.py", "-k", "future")),
    Mutation("an answer may rest on an absent clause", "_ext/kb/catalogue/licences.py",
             'if not clauses[use["clause"]]:', "if False:",
             ("tests/test_catalogue.py", "-k", "bad_entry")),
    Mutation("the catalogue filter shows every row", "_ext/kb/static/kb/catalogue.js",
             "row.hidden = !ok;", "row.hidden = false;",
             ("tests/test_catalogue.py", "-k", "sorts_and_filters")),
    # Dates and currency
    Mutation("a shallow clone goes unreported", "_ext/kb/currency/dates.py",
             'if shallow is not None and shallow.stdout.strip() == "true":', "if False:",
             ("tests/test_currency.py", "-k", "shallow")),
    Mutation("recheck dates ignored by make review", "_ext/kb/currency/review.py",
             "if item.recheck and dt.date.fromisoformat(item.recheck) <= today:", "if False:",
             ("tests/test_currency.py", "-k", "recheck")),
    Mutation("as-of statements due a month late", "_ext/kb/currency/review.py",
             "elif age >= as_of_months:", "elif age > as_of_months:",
             ("tests/test_currency.py", "-k", "make_review")),
    Mutation("the dated-statements list drops one", "_ext/kb/currency/asof.py",
             "        for source, item in items:\n", "        for source, item in items[1:]:\n",
             ("tests/test_currency.py", "-k", "as_of_renders or dated_statements")),
    # Knowledge graph, glossary and previews
    Mutation("unused glossary terms pass", "_ext/kb/lint.py",
             "        if key not in used:\n            store.warn(\n                \"glossary term %r is defined but never used",
             "        if False:\n            store.warn(\n                \"glossary term %r is defined but never used",
             ("tests/test_kb_graph.py", "-k", "problem_is_a_warning")),
    Mutation("the glossary filter hides nothing", "_ext/kb/static/kb/glossary-filter.js",
             "for (const el of entry.elements) el.hidden = !match;", "for (const el of entry.elements) el.hidden = false;",
             ("tests/test_browser_kb_graph.py", "-k", "glossary_filter")),
    Mutation("no preview on keyboard focus", "_ext/kb/static/kb/previews.js",
             'link.addEventListener("focus", () => lastPointer !== "touch" && show(link, preview));', "",
             ("tests/test_browser_kb_graph.py", "-k", "keyboard_focus")),
    # Search, assets and privacy
    Mutation("no other spellings or forms in search", "_ext/kb/static/kb/forms.js",
             "const options = [typed];", "const options = [typed]; return options;",
             ("tests/test_search.py", "-k", "other_spelling")),
    Mutation("section results dropped", "_ext/kb/static/kb/search.js",
             ".slice(0, MAX_SECTIONS);", ".slice(0, 0);",
             ("tests/test_search.py", "-k", "leads_to_its_heading")),
    Mutation("no 'did you mean'", "_ext/kb/static/kb/forms.js",
             "if (word.length < 3 || !/^\\p{L}+$/u.test(word) || Object.hasOwn(vocabulary, word)) return null;",
             "return null;",
             ("tests/test_search.py", "-k", "misspelling")),
    Mutation("a tap follows the link at once", "_ext/kb/static/kb/previews.js",
             "        event.preventDefault();\n        show(link, preview, true);", "        return;",
             ("tests/test_browser_kb_graph.py", "-k", "tap")),
    Mutation("sphinx-design loaded everywhere", "_ext/kb/assets.py",
             "SPHINX_DESIGN = re.compile(r'class=\"[^\"]*\\bsd-')", "SPHINX_DESIGN = re.compile(r'<html')",
             ("tests/test_assets.py",)),
    Mutation("inline code hashed wrongly in the policy", "_ext/kb/csp.py",
             'hashlib.sha256(text.encode("utf-8"))', 'hashlib.sha256((text + " ").encode("utf-8"))',
             ("tests/test_reader.py", "-k", "strict_policy")),
]


def run(mutation: Mutation, keep: bool = False, control: bool = False) -> dict:
    """Apply one mutation to a fresh copy and run its tests there; killed when they fail. With
    ``control``, the copy is left as it is: its tests must pass, or the mutation's verdict would
    say nothing (a test that fails anyway kills every mutation)."""
    scratch = Path(tempfile.mkdtemp(prefix="kb-mutation-"))
    copy = scratch / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", "_build", ".git", ".pytest_cache", "__pycache__", "node_modules"))
    (copy / ".venv").symlink_to(ROOT / ".venv")
    modules = ROOT / "tools" / "webchecks" / "node_modules"
    if modules.exists():
        (copy / "tools" / "webchecks" / "node_modules").symlink_to(modules)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=copy, check=True)
    subprocess.run(["git", "add", "-A"], cwd=copy, check=True)
    subprocess.run(["git", "-c", "user.name=kb", "-c", "user.email=kb@example.org", "commit", "-q", "-m", "copy"],
                   cwd=copy, check=True)
    target = copy / mutation.file
    text = target.read_text(encoding="utf-8")
    if text.count(mutation.old) != 1:
        raise SystemExit(f"{mutation.name}: the code to break is not in {mutation.file} exactly once")
    if not control:
        target.write_text(text.replace(mutation.old, mutation.new), encoding="utf-8")
    start = time.monotonic()
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                             *mutation.tests], cwd=copy, capture_output=True, text=True)
    seconds = time.monotonic() - start
    ran = "no tests ran" not in result.stdout and result.returncode != 5
    if not keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return {"name": mutation.name, "file": mutation.file, "tests": " ".join(mutation.tests), "seconds": round(seconds),
            "killed": ran and result.returncode != 0, "ran": ran, "summary": result.stdout.strip().splitlines()[-1:]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="names (or parts of names) of the mutations to run")
    parser.add_argument("--json", type=Path, default=ROOT / "_build" / "mutations.json")
    args = parser.parse_args()
    chosen = [m for m in MUTATIONS if not args.only or any(part in m.name for part in args.only)]
    outcomes = []
    for mutation in chosen:
        baseline = run(mutation, control=True)
        outcome = run(mutation)
        outcome["control_passed"] = baseline["ran"] and not baseline["killed"]
        outcomes.append(outcome)
        verdict = "killed" if outcome["killed"] else ("SURVIVED" if outcome["ran"] else "NO TESTS RAN")
        if not outcome["control_passed"]:
            verdict = "INVALID"  # its tests fail without the mutation too
            outcome["killed"] = False
        print(f"{verdict:12} {mutation.name} ({outcome['seconds']} s; {outcome['tests']})", flush=True)
    survivors = [o for o in outcomes if not o["killed"]]
    print(f"{len(outcomes) - len(survivors)} of {len(outcomes)} mutations killed; survivors: "
          + (", ".join(o["name"] for o in survivors) or "none"))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(outcomes, indent=2) + "\n", encoding="utf-8")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
