"""The reader modules' own logic on small inputs: the Content-Security-Policy writer and what the
search index is fed (kb.csp, kb.search)."""

from __future__ import annotations

import base64
import hashlib
import sys

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "_ext"))  # the kb extension, for the unit tests
from kb import csp, search  # noqa: E402

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


def test_each_glossary_entry_becomes_a_record_without_its_usage_list():
    page = """<dl class="simple glossary">
<dt id="term-LoRA">LoRA<a class="headerlink" href="#term-LoRA">#</a></dt>
<dd><p>Low-Rank Adaptation.</p><p class="kb-term-usage no-search">Used on: Security</p></dd>
</dl>"""
    [(anchor, record)] = search.glossary_records(page, "glossary.html")
    assert anchor == "term-LoRA"
    assert "<h1>LoRA</h1>" in record and "Low-Rank Adaptation." in record
    assert "Used on" not in record and "headerlink" not in record
    assert 'data-pagefind-meta="kind:Glossary"' in record
    assert 'data-pagefind-meta="target:/glossary.html#term-LoRA"' in record
    assert search.glossary_records("<p>no glossary here</p>", "x.html") == []


def test_a_description_is_whole_sentences_or_whole_words_within_160_characters():
    from kb.webfiles import shorten  # noqa: PLC0415

    assert shorten("Short.") == "Short."
    long_sentence = "Word " * 50
    cut = shorten(long_sentence.strip())
    assert len(cut) <= 160 and cut.endswith("…") and not cut.endswith(" …")
    text = "A first sentence that is long enough to count as a description of the page. " * 3
    assert shorten(text.strip()).endswith("page.") and len(shorten(text.strip())) <= 160
    assert shorten("Is it hype? " + "More words follow here " * 10).endswith("…")
