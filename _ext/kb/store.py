"""The shared store: what the kb modules collect from each page, and when pages must be rewritten.

Every module collects on ``doctree-read`` into one :class:`KBData` object kept on the build
environment as ``env.kb_data`` (pickled with it, so incremental builds keep it). Everything in it
is keyed by the docname it was collected from, which makes two events enough to keep it right:

- ``env-purge-doc`` drops a page's entries before the page is read again (or when it is deleted);
- ``env-merge-info`` copies the entries that parallel reader processes collected into the main
  environment (``sphinx-build -j``).

Pages that *show* data collected from other pages (backlinks, glossary usage lists, "See also",
topic cards, the topic map, the references list) render it late, on ``doctree-resolved``. After
reading, ``env-updated`` asks every module what each page shows (a "view" function per module),
hashes it, compares the hash with the one stored at the previous build and returns the pages whose
data changed: Sphinx then writes those pages again although their own source did not change. So an
incremental build writes the same pages a clean build would.

Generated content goes into the doctree as :class:`placeholder` nodes (kind + options), which the
owning module replaces on ``doctree-resolved``; links inside them are therefore never collected as
links between pages.

Also ships ``static/kb/`` (``config-inited`` adds it to ``html_static_path``) with ``kb.css``,
the styles of everything the knowledge-graph modules generate.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"


# -- What is collected ---------------------------------------------------------------------------


@dataclass
class TopicMeta:
    """A topic page's front matter, with the source line of every value (for warnings)."""

    summary: str = ""
    tags: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    key_lines: dict[str, int] = field(default_factory=dict)  # key -> line of "key:"
    tag_lines: list[int] = field(default_factory=list)  # line of each tag
    related_lines: list[int] = field(default_factory=list)  # line of each related entry
    title_line: int = 1  # line of the page's first heading
    reviewed: str = ""  # YYYY-MM-DD: when the page was last reviewed in full ("" if not given)


@dataclass(frozen=True)
class Link:
    """A link from one page to another page, with the sentence it stands in."""

    target: str  # docname, or "label:<name>" for {ref}-style links resolved after reading
    anchor: str  # fragment on the target page ("" for the page itself)
    line: int
    sentence: str  # the sentence around the link
    start: int  # the link text is sentence[start:end]
    end: int
    section: str = ""  # id of the section the link stands in ("" for the page's top)


@dataclass(frozen=True)
class TermDef:
    """A glossary entry."""

    key: str  # normalized term name (lower case, single spaces), as {term} resolves it
    name: str  # the term as written
    anchor: str  # its HTML id, e.g. "term-open-weights"
    line: int
    definition: str  # plain text of the definition


@dataclass(frozen=True)
class Source:
    """An external https link on a topic page."""

    url: str
    text: str  # link text
    label: str  # the Sources list item it stands in, without the URL ("" elsewhere)
    line: int


@dataclass(frozen=True)
class Dated:
    """A time-sensitive statement: an ``{as-of}`` date and the sentence it dates."""

    date: str  # YYYY, YYYY-MM or YYYY-MM-DD, as written
    line: int
    sentence: str
    anchor: str = ""  # the id of the date in the page (as-of-1, as-of-2, ...)
    recheck: str = ""  # YYYY-MM-DD: the day the statement is known to expire ("" when none is known)


@dataclass
class KBData:
    topics: dict[str, TopicMeta] = field(default_factory=dict)
    links: dict[str, list[Link]] = field(default_factory=dict)
    term_defs: dict[str, list[TermDef]] = field(default_factory=dict)
    term_uses: dict[str, dict[str, int]] = field(default_factory=dict)  # key -> first line
    prose: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # (line, text) per paragraph
    sources: dict[str, list[Source]] = field(default_factory=dict)
    features: dict[str, list[str]] = field(default_factory=dict)  # placeholder kinds on the page
    mentions: dict[str, tuple[str, dict[str, int]]] = field(default_factory=dict)  # kb.lint's cache
    dated: dict[str, list[Dated]] = field(default_factory=dict)  # {as-of} statements (kb.currency.asof)
    changes: dict[str, list] = field(default_factory=dict)  # kb.currency.changes.Change list, per listing page
    models: dict[str, object] = field(default_factory=dict)  # kb.catalogue.entries.Model, per entry page
    licences: dict[str, object] = field(default_factory=dict)  # kb.catalogue.licences.Licence, per licence page
    refusals: dict[str, list[str]] = field(default_factory=dict)  # kb.refusals: warnings raised reading the page
    model_mentions: dict[str, tuple[str, dict]] = field(default_factory=dict)  # kb.catalogue.lint's cache
    fingerprints: dict[str, str] = field(default_factory=dict)  # computed after reading
    cache: dict | None = None  # see cached(); never pickled

    PER_DOC = (
        "topics", "links", "term_defs", "term_uses", "prose", "sources", "features", "mentions", "dated",
        "changes", "models", "licences", "refusals", "model_mentions", "fingerprints",
    )

    def __getstate__(self) -> dict:
        return {**self.__dict__, "cache": None}

    def __setstate__(self, state: dict) -> None:
        # an environment pickled by an older version lacks newer fields: start them empty
        self.__dict__.update({**KBData().__dict__, **state})

    def purge(self, docname: str) -> None:
        self.cache = None
        for name in self.PER_DOC:
            getattr(self, name).pop(docname, None)

    def merge(self, docnames: Iterable[str], other: KBData) -> None:
        self.cache = None
        for docname in docnames:
            for name in self.PER_DOC:
                mine, theirs = getattr(self, name), getattr(other, name)
                if docname in theirs:
                    mine[docname] = theirs[docname]


def get(env: BuildEnvironment) -> KBData:
    data = getattr(env, "kb_data", None)
    if data is None:
        data = env.kb_data = KBData()
    return data


# -- Placeholders for generated content ----------------------------------------------------------


class placeholder(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """Stands for content a module generates on doctree-resolved (attribute ``kind``)."""


def find_placeholders(doctree: nodes.Node, kind: str) -> list[placeholder]:
    return [n for n in doctree.findall(placeholder) if n["kind"] == kind]


def note_features(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: remember which generated content the page holds."""
    kinds = sorted({n["kind"] for n in doctree.findall(placeholder)})
    if kinds:
        get(app.env).features[app.env.docname] = kinds


def drop_leftover_placeholders(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved, last: no placeholder may reach a writer."""
    for node in list(doctree.findall(placeholder)):
        node.parent.remove(node)


# -- Helpers shared by the modules ----------------------------------------------------------------


def is_topic(app: Sphinx, docname: str) -> bool:
    return docname.startswith(app.config.kb_topic_prefix)


def topic_name(app: Sphinx, docname: str) -> str:
    """``topics/licences`` -> ``licences`` (the form used in ``related:``)."""
    return docname[len(app.config.kb_topic_prefix) :]


def normalize_term(text: str) -> str:
    return " ".join(text.split()).lower()


def title(env: BuildEnvironment, docname: str) -> str:
    node = env.titles.get(docname)
    return node.astext() if node is not None else docname


def cached(env: BuildEnvironment, name: str, compute: Callable[[], object]):
    """``compute()``, computed once per build after reading (the data no longer changes then)."""
    cache = get(env).cache
    if cache is None:
        return compute()
    if name not in cache:
        cache[name] = compute()
    return cache[name]


def doc_order(env: BuildEnvironment) -> dict[str, int]:
    """Position of every page in the navigation (depth first from the root), others after."""
    return cached(env, "doc_order", lambda: _doc_order(env))


def _doc_order(env: BuildEnvironment) -> dict[str, int]:
    order: dict[str, int] = {}
    stack = [env.config.root_doc]
    while stack:
        docname = stack.pop()
        if docname in order or docname not in env.found_docs:
            continue
        order[docname] = len(order)
        stack.extend(reversed(env.toctree_includes.get(docname, [])))
    for docname in sorted(env.found_docs):
        order.setdefault(docname, len(order))
    return order


def ordered(env: BuildEnvironment, docnames: Iterable[str]) -> list[str]:
    order = doc_order(env)
    return sorted(set(docnames), key=lambda d: (order.get(d, len(order)), d))


def topics(app: Sphinx) -> list[str]:
    """Every topic page that was read, in navigation order."""
    return ordered(app.env, get(app.env).topics)


def resolve_target(env: BuildEnvironment, link: Link) -> tuple[str, str] | None:
    """(docname, anchor) a link points at, or None if it points nowhere known."""
    if not link.target.startswith("label:"):
        return (link.target, link.anchor) if link.target in env.found_docs else None
    label = link.target[len("label:") :]
    std = env.domains.standard_domain
    if label in std.labels:
        docname, labelid, _ = std.labels[label]
        return docname, labelid
    if label in std.anonlabels:
        docname, labelid = std.anonlabels[label]
        return docname, labelid
    return None


def links_between(app: Sphinx) -> dict[str, dict[str, list[Link]]]:
    """target docname -> source docname -> links (self-links left out)."""
    return cached(app.env, "links_between", lambda: _links_between(app.env))


def _links_between(env: BuildEnvironment) -> dict[str, dict[str, list[Link]]]:
    result: dict[str, dict[str, list[Link]]] = {}
    for source, links in get(env).links.items():
        for link in links:
            resolved = resolve_target(env, link)
            if resolved is None or resolved[0] == source:
                continue
            result.setdefault(resolved[0], {}).setdefault(source, []).append(link)
    return result


def make_link(app: Sphinx, fromdoc: str, todoc: str, text: str | nodes.Node, anchor: str = "") -> nodes.reference:
    uri = app.builder.get_relative_uri(fromdoc, todoc)
    if anchor:
        uri = f"{uri}#{anchor}"
    child = nodes.Text(text) if isinstance(text, str) else text
    return nodes.reference("", "", child, internal=True, refuri=uri)


def script_json(value, sort_keys: bool = False) -> str:
    """JSON for a ``<script type="application/json">`` data block: compact, and every "<" escaped,
    so no text in the data can close the element it sits in."""
    return json.dumps(value, sort_keys=sort_keys, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def warn(message: str, location, subtype: str, *args) -> None:
    logger.warning(message, *args, location=location, type="kb", subtype=subtype)


# -- Which pages must be written again ------------------------------------------------------------

View = Callable[[Sphinx, str], object]
_VIEWS: list[View] = []


def register_view(view: View) -> None:
    """Register ``view(app, docname)``: the data a page shows from other pages (None: nothing)."""
    if view not in _VIEWS:
        _VIEWS.append(view)


def _jsonable(value):
    if is_dataclass(value):
        return asdict(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(type(value))


def digest(value) -> str:
    """A stable hash of JSON-able data (dataclasses and sets included)."""
    text = json.dumps(value, default=_jsonable, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(app: Sphinx, docname: str) -> str:
    return digest([view(app, docname) for view in _VIEWS])


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-updated: pages whose shown data changed since the last build."""
    data = get(env)
    data.cache = {}  # reading is over: what is computed from the store holds until the next build
    changed = []
    for docname in sorted(env.found_docs):
        new = fingerprint(app, docname)
        if data.fingerprints.get(docname) != new:
            data.fingerprints[docname] = new
            changed.append(docname)
    for docname in set(data.fingerprints) - env.found_docs:
        del data.fingerprints[docname]
    return changed


def add_static_path(app: Sphinx, config) -> None:
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_topic_prefix", "topics/", "env", types=[str])
    app.connect("config-inited", add_static_path)
    app.add_css_file("kb/kb.css")
    app.add_node(placeholder)
    app.connect("env-purge-doc", lambda app, env, docname: get(env).purge(docname))
    app.connect("env-merge-info", lambda app, env, docnames, other: get(env).merge(docnames, get(other)))
    app.connect("doctree-read", note_features)
    app.connect("env-updated", pages_to_rewrite)
    app.connect("doctree-resolved", drop_leftover_placeholders, priority=900)
