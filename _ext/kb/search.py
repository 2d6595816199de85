"""Site search on Pagefind, with glossary terms as results of their own and reader synonyms.

Sphinx's built-in search ranks by whether a page contains a word, not by how much the page is
about it. On the 75 reader queries of ``tests/search_queries.yml`` it put the right page in the
first three for 79% of them, and for 85% with a tuned scorer and the synonyms below; Pagefind,
configured here, does for all of them (measured with ``tools/search_eval.py --compare``). This
module:

- ``config-inited``: adds this package's templates (``search_templates/search.html``: Furo's
  search page with a level-one heading, a labelled search form, a live status line and the
  results list) and static files (``static/kb/search.js``, the page's script).
- ``builder-inited``: reads the synonym groups (``kb_search_synonyms``, a YAML list of lists);
  a malformed file is a warning naming it.
- ``builder-inited``: Sphinx's own search index is not built (nothing reads it); the search page
  is written as an extra page instead.
- ``html-page-context`` (the search page only): passes the synonyms to the template as JSON.
- ``html-collect-pages`` (HTML builders; by then every page built from a source document is
  written): stages those pages, but the ones named in ``kb_search_excludes``, in ``kb-search/``
  beside the doctrees (kept between builds; only pages written since are staged again) and starts
  Pagefind's binary (the pagefind-bin wheel) on the folder in the background, while Sphinx writes
  its remaining pages; ``build-finished`` (after :mod:`kb.csp`) waits for it. Pagefind writes
  ``pagefind/`` in the output, indexing only the article (``article[role=main]``), without
  permalink marks and ``.no-search`` blocks, with the page's summary (its meta description) added
  to what is indexed at a heading's weight. Each glossary entry becomes a record of its own (made
  from what :mod:`kb.glossary` collected) whose ``target`` is the entry's anchor. Unused Pagefind
  UI bundles are removed. (Pagefind's Python API would do the same, but waits 0.1 s for every
  file it is sent: 50 s at 400 pages, against under a second for one run of the binary.)

Stores nothing in the environment: the index is made again from the written HTML on every build
(about 0.1 s for this site, 2 s at 1,600 extra pages), so incremental and parallel builds need
nothing extra.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from . import data, glossary, store

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
OUTPUT_DIR = "pagefind"
STAGING_DIR = "kb-search"
# A glossary entry is short, and short records rank high on any word they contain: its definition
# counts for less than the text of a page, its term (the record's heading) for as much.
DEFINITION_WEIGHT = 0.5
# A page's summary (front matter, shown as its meta description) says what the page is about in
# one sentence: its words count like a heading's.
SUMMARY_WEIGHT = 3
ROOT_SELECTOR = "article[role=main]"
EXCLUDE_SELECTORS = [".headerlink", ".no-search", "dl.glossary"]
META_TAG = re.compile(r"<meta\s[^>]*>")
CONTENT_ATTRIBUTE = re.compile(r'content="([^"]*)"')
ARTICLE_START = re.compile(r'<article\b[^>]*\brole="main"[^>]*>')
# Pagefind writes several ready-made UIs; the site uses only its search API (pagefind.js).
UNUSED_BUNDLES = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")


def add_paths(app: Sphinx, config) -> None:
    if not config.kb_search:
        return
    for option, path in (("templates_path", HERE / "search_templates"), ("html_static_path", HERE / "static")):
        paths = getattr(config, option)
        if str(path) not in paths:
            paths.append(str(path))


def load_synonyms(app: Sphinx) -> None:
    app.kb_search_synonyms = []
    if not app.config.kb_search or not app.config.kb_search_synonyms:
        return
    path = Path(app.confdir, app.config.kb_search_synonyms)
    try:
        groups = data.load(path)[0] or []
    except data.DataError as error:
        logger.warning("cannot read the search synonyms: %s", error, location=f"{path}:{error.line}",
                       type="kb", subtype="search")
        return
    valid = isinstance(groups, list) and all(
        isinstance(g, list) and len(g) >= 2 and all(isinstance(w, str) and w.strip() for w in g) for g in groups
    )
    if not valid:
        logger.warning("the search synonyms must be a YAML list of groups, each a list of two or more "
                       "words or phrases, e.g. `- [licence, license]`", location=str(path),
                       type="kb", subtype="search")
        return
    app.kb_search_synonyms = groups


def replace_sphinx_search(app: Sphinx) -> None:
    """builder-inited: with Pagefind on, Sphinx's own index (``searchindex.js``) would never be
    read, yet building it stems every written page and loads and rewrites the whole index on every
    build. The HTML builder's ``search`` switch turns it off; the search page is then written by
    :func:`search_page` instead of by Sphinx."""
    if app.config.kb_search and app.builder.name == "html":
        app.builder.search = False
        app.connect("html-collect-pages", search_page)


def search_page(app: Sphinx):
    yield "search", {}, "search.html"


def names(app: Sphinx) -> list[list[str]]:
    """[name, address, kind] for what a reader may name in a query: each catalogue entry (its name,
    its aliases and its id), each licence (its name, its id and its SPDX id), each glossary term,
    and each topic, index and page at the top of the site (its title). The search page recognizes these in a query and puts the page
    named first (static/kb/search.js)."""
    env, found = app.env, []
    data_ = store.get(env)
    for docname, model in sorted(data_.models.items()):
        url = app.builder.get_target_uri(docname)
        values = model.values
        for name in [values.get("name"), *(values.get("aliases") or []), model.id]:
            if isinstance(name, str) and name.strip():
                found.append([name, url, "Model"])
    for docname, licence in sorted(data_.licences.items()):
        url = app.builder.get_target_uri(docname)
        for name in (licence.values.get("name"), licence.id, licence.values.get("spdx")):
            if isinstance(name, str) and name.strip():
                found.append([name, url, "Licence"])
    for docname, term in glossary.all_terms(app).values():
        found.append([term.name, f"{app.builder.get_target_uri(docname)}#{term.anchor}", "Glossary"])
    excluded = set(app.config.kb_search_excludes) | set(data_.models) | set(data_.licences)
    for docname in sorted(env.found_docs - excluded):
        if docname in data_.topics or docname.endswith("index") or "/" not in docname:
            found.append([store.title(env, docname), app.builder.get_target_uri(docname), "Topic"])
    seen, unique = set(), []
    for name, url, kind in found:
        key = (name.lower(), url)
        if key not in seen:
            seen.add(key)
            unique.append([name, url, kind])
    return unique


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.config.kb_search and pagename == "search":
        context["kb_search_synonyms_json"] = store.script_json(app.kb_search_synonyms)
        context["kb_search_names_json"] = store.script_json(names(app))


# The catalogue's answer lists and clause checklists repeat the same words on every model and
# licence page ("commercial use", "copyright", "AI Act"): indexed at a fraction of the weight (:data:`CHECKLIST`), so a
# query about a subject finds the topic about it before seventeen licence pages that list it.
OPENING_TAG = re.compile(r"<(div|ul|section)\b([^>]*)>")
CHECKLIST = re.compile(r'\bclass="[^"]*\b(?:kb-uses|kb-clauses)\b|\bid="(?:eu-ai-act|clauses|is-it-open-source|versions)"')
CHECKLIST_WEIGHT = 0.2


# Sphinx puts a section's id on <section>; Pagefind makes a sub-result (a section a result can
# link to) only for a heading that carries an id. The staged copy gives each h2-h4 its section's
# id, which is also the address of the section on the real page.
SECTION_HEADING = re.compile(r'(<section id="([^"]+)">\s*<h([2-4]))(?=[\s>])')


def indexed_html(text: str) -> str:
    """The page as Pagefind should see it: each section heading carries its section's id (so
    results can lead to the section), its summary (meta description) joins the indexed text, and
    the catalogue's checklists weigh less (:data:`CHECKLIST`). Plain string work, as this runs on
    every page of every build."""
    text = SECTION_HEADING.sub(r'\1 id="\2"', text)
    if "kb-uses" in text or "kb-clauses" in text:
        text = OPENING_TAG.sub(lambda m: f'<{m.group(1)} data-pagefind-weight="{CHECKLIST_WEIGHT}"{m.group(2)}>'
                               if CHECKLIST.search(m.group(2)) else m.group(0), text)
    description = next((m for m in META_TAG.findall(text) if 'name="description"' in m), None)
    content = CONTENT_ATTRIBUTE.search(description) if description else None
    if not content:
        return text
    summary = f'<p data-pagefind-weight="{SUMMARY_WEIGHT}">{content.group(1)}</p>'
    return ARTICLE_START.sub(lambda m: m.group(0) + summary, text, count=1)


def glossary_record(url: str, term: store.TermDef, language: str) -> str:
    """A glossary entry as a document of its own for Pagefind: the term as its heading, the
    definition as its text, and the entry's address (``url#anchor``) in its ``target``
    metadata, which the search page links to."""
    name, target = html.escape(term.name), html.escape(f"/{url}#{term.anchor}")
    return (
        f'<html lang="{html.escape(language)}"><head><title>{name}</title></head><body>'
        f'<article role="main" data-pagefind-meta="kind:Glossary"><h1>{name}</h1>'
        f'<span data-pagefind-meta="target:{target}"></span>'
        f'<div data-pagefind-weight="{DEFINITION_WEIGHT}"><p>{html.escape(term.definition)}</p></div>'
        "</article></body></html>"
    )


def glossary_records(app: Sphinx) -> list[tuple[str, str, str]]:
    """(glossary page URL, anchor, document) for every glossary entry, from what
    :mod:`kb.glossary` collected while reading: no HTML is parsed."""
    language = app.config.language or "en"
    return [
        (url, term.anchor, glossary_record(url, term, language))
        for docname, terms in sorted(store.get(app.env).term_defs.items())
        for url in [app.builder.get_target_uri(docname)]
        for term in terms
    ]


def stage(pages: list[tuple[str, Path]], glossary: list[tuple[str, str, str]], staging: Path) -> int:
    """Bring ``staging`` up to date with what Pagefind should index: each page as it should see it,
    and each glossary entry as a page of its own under ``_glossary/``, with the address it stands
    for in its ``target`` metadata. The folder is kept between builds: a page is staged again only
    when its HTML is newer than its staged copy, and what no longer exists is removed. Returns
    the number of records."""
    wanted = set()
    for url, path in pages:
        target = staging / url
        wanted.add(target)
        if target.is_file() and target.stat().st_mtime_ns >= path.stat().st_mtime_ns:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(indexed_html(path.read_text(encoding="utf-8")), encoding="utf-8")
    for url, anchor, document in glossary:
        # a folder named after the page without ".html": Pagefind reads every "*.html" path as a
        # file, and retries for a while on a folder of that name
        target = staging / "_glossary" / url.removesuffix(".html") / f"{anchor}.html"
        wanted.add(target)
        if target.is_file() and target.read_text(encoding="utf-8") == document:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(document, encoding="utf-8")
    for path in list(staging.rglob("*.html")):
        if path not in wanted and path.is_file():
            path.unlink()
    return len(pages) + len(glossary)


def pagefind_command(staging: Path, output: Path, language: str) -> list[str]:
    """Pagefind's own binary (from the pagefind-bin wheel) indexing the staged pages in one run."""
    from pagefind_bin import get_executable  # noqa: PLC0415 - only when building

    command = [str(get_executable()), "--site", str(staging), "--output-path", str(output),
               "--root-selector", ROOT_SELECTOR, "--keep-index-url", "--silent",
               # every page is in the site's one language: one WebAssembly file, not one per guess
               "--force-language", language]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    return command


@dataclass
class IndexJob:
    process: subprocess.Popen
    output: Path
    staging: Path
    pages: list[tuple[str, Path]]
    records: int


def prune_index(output: Path) -> int:
    """Remove the files of an earlier index that the index Pagefind just wrote no longer uses.
    What it uses: the metadata file of each language named in ``pagefind-entry.json``, that
    language's WebAssembly, and the index chunks and page fragments whose names the metadata
    lists. Returns how many files were removed."""
    entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = entry.get("languages", {}).values()
    metas = {f"pagefind.{language['hash']}.pf_meta" for language in languages}
    wasm = {f"wasm.{language.get('wasm')}.pagefind" for language in languages}
    listed = b"".join(gzip.decompress((output / name).read_bytes()) for name in sorted(metas))
    unused = [p for p in output.glob("pagefind.*.pf_meta") if p.name not in metas]
    unused += [p for p in output.glob("wasm.*.pagefind") if p.name not in wasm]
    for folder in ("index", "fragment", "filter"):
        unused += [p for p in (output / folder).glob("*") if p.stem.encode() not in listed]
    for path in unused:
        path.unlink()
    return len(unused)


VOCABULARY_DIR = "kb-words"
WORD = re.compile(r"[^\W\d_][\w'’.-]*[^\W_]|[^\W\d_]", re.UNICODE)
MIN_WORD = 3
MIN_COUNT = 2


def bucket(word: str) -> str:
    """The file a word is in: the hex codes of its first two letters ("li" -> "6c-69"), the same
    name static/kb/search.js computes."""
    return "-".join(f"{ord(c):x}" for c in word[:2])


def write_vocabulary(output: Path) -> int:
    """The site's own words with how often each occurs, from the index just written (its page
    fragments), those it writes at least twice, one file per first two letters:
    ``pagefind/kb-words/<hex codes of the letters>.json``.
    The search page fetches the file of a query word's first two letters to tell whether the site
    uses the word and, if not, which word it probably meant ("did you mean"): at most a few
    kilobytes, not the whole vocabulary (a slip in the first two letters is not corrected). Words of three or more letters; returns how many."""
    counts: dict[str, int] = {}
    for path in sorted((output / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        record = json.loads(raw[raw.index(b"{"):])
        text = " ".join([record.get("content", ""), *(str(v) for v in record.get("meta", {}).values())])
        for word in WORD.findall(text.lower()):
            for part in re.split(r"[-.’']", word):
                if len(part) >= MIN_WORD and part.isalpha():
                    counts[part] = counts.get(part, 0) + 1
    buckets: dict[str, dict[str, int]] = {}
    # a word written once is as likely a typo or a name as a word to suggest: left out, which also
    # keeps each letter's file small (one search must stay within its download budget)
    for word in sorted(w for w, n in counts.items() if n >= MIN_COUNT):
        buckets.setdefault(bucket(word), {})[word] = counts[word]
    folder = output / VOCABULARY_DIR
    folder.mkdir(exist_ok=True)
    for stale in folder.glob("*.json"):
        if stale.stem not in buckets:
            stale.unlink()
    for name, words in buckets.items():
        text = json.dumps(words, ensure_ascii=False, separators=(",", ":"))
        target = folder / f"{name}.json"
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    return len(counts)


def _indexing(app: Sphinx) -> bool:
    return bool(app.config.kb_search) and app.builder.format == "html" and app.builder.name != "epub"


def start_index(app: Sphinx) -> list:
    """html-collect-pages (first): every page built from a source document is written by now, so
    the pages are staged and Pagefind starts in the background, while Sphinx goes on writing the
    other pages; :func:`finish_index` waits for it. Yields no pages."""
    if _indexing(app) and getattr(app, "_kb_index_job", None) is None:
        outdir = Path(app.outdir)
        pages = []
        excluded = set(app.config.kb_search_excludes)
        for docname in sorted(app.env.found_docs - excluded):
            path = Path(app.builder.get_outfilename(docname))
            if path.is_file():
                pages.append((app.builder.get_target_uri(docname), path))
        # Pagefind writes into the index of the previous build: it skips the files it would write
        # identically (their names are content hashes), which at 1,600 pages halves its time;
        # finish_index removes what the new index no longer uses
        output = outdir / OUTPUT_DIR
        # kept beside the doctrees (not in the published output), for the next build to update
        staging = Path(app.doctreedir, STAGING_DIR)
        staging.mkdir(parents=True, exist_ok=True)
        records = stage(pages, glossary_records(app), staging)
        command = pagefind_command(staging, output, app.config.language or "en")
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        app._kb_index_job = IndexJob(process, output, staging, pages, records)
    return []


def finish_index(app: Sphinx, exception) -> None:
    """build-finished (after kb.csp): wait for Pagefind, remove its unused bundles, and mark the
    staged copies as up to date with the pages (kb.csp has just added its tag to some)."""
    job = getattr(app, "_kb_index_job", None)
    if job is None:
        return
    app._kb_index_job = None
    if exception:
        job.process.kill()
        job.process.wait()
        return
    out, err = job.process.communicate()
    if job.process.returncode != 0:
        raise RuntimeError(f"Pagefind failed: {err or out}")
    for pattern in UNUSED_BUNDLES:
        for path in job.output.glob(pattern):
            path.unlink()
    prune_index(job.output)
    write_vocabulary(job.output)
    for url, path in job.pages:
        staged, written = job.staging / url, path.stat().st_mtime_ns
        if staged.stat().st_mtime_ns < written:
            os.utime(staged, ns=(written, written))
    logger.info("search: indexed %d pages and glossary entries with Pagefind", job.records)


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_search", True, "html", types=[bool])
    app.add_config_value("kb_search_synonyms", str(HERE / "search_synonyms.yml"), "html", types=[str])
    app.add_config_value("kb_search_excludes", [], "html", types=[list])
    app.connect("config-inited", add_paths)
    app.connect("builder-inited", load_synonyms)
    app.connect("builder-inited", replace_sphinx_search)
    app.connect("html-page-context", page_context)
    app.connect("html-collect-pages", start_index, priority=0)
    # after kb.csp (950) has put its tag into the pages, so their staged copies stay current
    app.connect("build-finished", finish_index, priority=960)
