"""The reader modules' own logic on small inputs: the Content-Security-Policy writer and what the
search index is fed (kb.csp, kb.search)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import sys

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "_ext"))  # the kb extension, for the unit tests
from kb import csp, search, store  # noqa: E402

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<style>body{color:red}</style></head><body>
<script>document.body.dataset.theme = "auto";</script>
<script type="application/json" id="data">{"a": 1}</script>
<script src="_static/x.js"></script>
<svg><path style="opacity: 50%"/></svg>
<article role="main"><h1>T</h1></article></body></html>"""


def digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_policy_hashes_inline_code_and_nothing_else():
    policy = csp.policy_for(PAGE)
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert digest('document.body.dataset.theme = "auto";') in directives["script-src"]
    assert digest('{"a": 1}') not in directives["script-src"], "a JSON data block is never executed"
    assert digest("body{color:red}") in directives["style-src"]
    assert "'unsafe-hashes'" in directives["style-src"] and digest("opacity: 50%") in directives["style-src"]
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "'unsafe-eval'" not in policy


def test_the_policy_tag_follows_the_charset_and_is_replaced_not_repeated():
    once = csp.add_policy(PAGE)
    assert once.index('<meta charset="utf-8">') < once.index("Content-Security-Policy") < once.index("<style>")
    assert csp.add_policy(once) == once
    changed = csp.add_policy(once.replace('"auto"', '"dark"'))
    assert changed.count("Content-Security-Policy") == 1
    assert digest('document.body.dataset.theme = "dark";') in changed
    assert csp.add_policy("<html><head></head></html>") is None


def test_the_summary_is_indexed_with_the_page_at_a_heading_weight():
    page = '<meta content="About &amp; more" name="description" /><article class="x" role="main"><h1>T</h1>'
    indexed = search.indexed_html(page)
    assert f'role="main"><p data-pagefind-weight="{search.SUMMARY_WEIGHT}">About &amp; more</p><h1>' in indexed
    assert search.indexed_html("<article role=\"main\">x") == "<article role=\"main\">x"


def test_each_glossary_entry_becomes_a_record_of_its_own(tmp_path):
    term = store.TermDef("lora & co", "LoRA & co", "term-LoRA-co", 3, "Low-Rank <Adaptation>.")
    record = search.glossary_record("glossary.html", term, "en")
    assert "<h1>LoRA &amp; co</h1>" in record and "Low-Rank &lt;Adaptation&gt;." in record
    assert 'data-pagefind-meta="kind:Glossary"' in record
    assert 'data-pagefind-meta="target:/glossary.html#term-LoRA-co"' in record
    assert '<html lang="en">' in record
    # staged beside the pages, in a folder that is not itself named like a page
    page = tmp_path / "site" / "glossary.html"
    page.parent.mkdir()
    page.write_text("<html></html>")
    staging = tmp_path / "staging"
    staging.mkdir()
    assert search.stage([("glossary.html", page)], [("glossary.html", term.anchor, record)], staging) == 2
    assert (staging / "_glossary" / "glossary" / "term-LoRA-co.html").read_text() == record
    assert (staging / "glossary.html").is_file()
    assert not [p for p in staging.rglob("*.html") if p.is_dir()]


def test_staging_is_kept_between_builds_and_follows_the_pages(tmp_path):
    site, staging = tmp_path / "site", tmp_path / "staging"
    site.mkdir()
    staging.mkdir()
    pages = {}
    for name in ("a", "b"):
        pages[name] = site / f"{name}.html"
        pages[name].write_text(f'<meta content="About {name}" name="description" /><article role="main">{name}')
    listed = [(f"{name}.html", path) for name, path in pages.items()]
    search.stage(listed, [], staging)
    assert "About a" in (staging / "a.html").read_text()
    # an unchanged page is not staged again; a page written since is
    (staging / "a.html").write_text("kept")
    pages["b"].write_text('<article role="main">b, rewritten')
    os.utime(pages["b"], ns=((staging / "b.html").stat().st_mtime_ns + 10**9,) * 2)
    search.stage(listed, [], staging)
    assert (staging / "a.html").read_text() == "kept"
    assert "b, rewritten" in (staging / "b.html").read_text()
    # a page that is gone leaves the index
    assert search.stage(listed[:1], [], staging) == 1
    assert not (staging / "b.html").exists()


def test_a_description_is_whole_sentences_or_whole_words_within_160_characters():
    from kb.webfiles import shorten  # noqa: PLC0415

    assert shorten("Short.") == "Short."
    long_sentence = "Word " * 50
    cut = shorten(long_sentence.strip())
    assert len(cut) <= 160 and cut.endswith("…") and not cut.endswith(" …")
    text = "A first sentence that is long enough to count as a description of the page. " * 3
    assert shorten(text.strip()).endswith("page.") and len(shorten(text.strip())) <= 160
    assert shorten("Is it hype? " + "More words follow here " * 10).endswith("…")


def test_the_policy_pass_reads_only_pages_written_since_the_last_one(tmp_path):
    for rel in ("old.html", "new.html", "topics/new.html", "_static/x.html", "pagefind/y.html",
                ".doctrees/kb-search/z.html", "topics/_static/kept.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("<html></html>")
    since = (tmp_path / "new.html").stat().st_mtime_ns
    os.utime(tmp_path / "old.html", ns=(since - 10**9, since - 10**9))
    found = {str(p.relative_to(tmp_path)) for p in csp.written_pages(tmp_path, since)}
    # assets, the search index and hidden folders are skipped only at the top of the output
    assert found == {"new.html", "topics/new.html", "topics/_static/kept.html"}


def test_an_index_written_in_place_keeps_only_the_files_its_metadata_uses(tmp_path):
    out = tmp_path / "pagefind"
    for rel in ("fragment/en_1111111.pf_fragment", "fragment/en_9999999.pf_fragment", "index/en_2222222.pf_index",
                "index/en_8888888.pf_index", "pagefind.en_0ld0ld0ld0.pf_meta", "wasm.en.pagefind",
                "wasm.unknown.pagefind", "pagefind.js"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(b"x")
    (out / "pagefind-entry.json").write_text(json.dumps(
        {"version": "1.5.2", "languages": {"en": {"hash": "en_cafe0cafe0", "wasm": "en", "page_count": 1}}}))
    (out / "pagefind.en_cafe0cafe0.pf_meta").write_bytes(
        gzip.compress(b"pagefind_dcd\x86e1.5.2jen_1111111\x19jen_2222222"))
    assert search.prune_index(out) == 4
    left = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert left == ["fragment/en_1111111.pf_fragment", "index/en_2222222.pf_index", "pagefind-entry.json",
                    "pagefind.en_cafe0cafe0.pf_meta", "pagefind.js", "wasm.en.pagefind"]


def _synonyms(tmp_path, text: str, caplog):
    """kb.search.load_synonyms on a file holding ``text``: (groups read, warnings logged)."""
    from types import SimpleNamespace  # noqa: PLC0415

    (tmp_path / "synonyms.yml").write_text(text, encoding="utf-8")
    app = SimpleNamespace(confdir=str(tmp_path),
                          config=SimpleNamespace(kb_search=True, kb_search_synonyms="synonyms.yml"))
    caplog.clear()
    search.load_synonyms(app)
    return app.kb_search_synonyms, [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]


def test_search_synonyms_are_read_and_a_malformed_file_is_a_warning(tmp_path, caplog):
    groups, warnings = _synonyms(tmp_path, "- [licence, license]\n- [open weights, open-weight]\n", caplog)
    assert groups == [["licence", "license"], ["open weights", "open-weight"]] and not warnings
    groups, warnings = _synonyms(tmp_path, "- [licence, license\n", caplog)
    assert groups == [] and any("cannot read the search synonyms" in w for w in warnings)
    groups, warnings = _synonyms(tmp_path, "- [licence]\n- plain\n", caplog)
    assert groups == [] and any("two or more" in w for w in warnings)
