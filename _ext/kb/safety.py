"""Safety rails: content cannot inject markup, read files outside the repository or load remote files.

Everything here turns a hostile or careless edit into a warning with file and line, so the strict
build (``-W``) fails and tells the writer what to do instead:

- ``config-inited``: MyST's HTML syntax must stay disabled.
- ``source-read`` and ``include-read``: MyST's ``substitution`` extension renders any ``{{ ... }}``
  that is not a plain defined name with Jinja, outside a sandbox, so a page could run code during
  the build. Only ``{{ name }}`` is allowed; any other expression is reported with its line and
  neutralized (shown as text) before MyST sees it.
- The ``raw`` directive and the ``raw`` role (the base of ``.. role:: x(raw)`` inside ``eval-rst``)
  are replaced by stand-ins that warn and render nothing.
- ``include`` (MyST's and Sphinx's, checked on Sphinx's ``include-read`` event, which both emit),
  ``literalinclude`` and ``csv-table :file:`` refuse files that resolve (symlinks followed)
  outside ``kb_repository_root`` (default: the source directory) or into a hidden folder such as
  ``.git``, where CI keeps credentials; ``csv-table :url:`` is refused outright, because it would
  fetch a remote file during the build.
- ``doctree-read``: raw HTML typed into Markdown (MyST's ``html_block``/``html_inline`` syntax is
  disabled in conf.py, so it arrives as text) is reported where it stands, outside code;
  images must be local files inside the repository and carry alt text; download links must point
  inside the repository. (``orphan`` front matter, which would hide a page from the "not in any
  toctree" check, is refused with every other undocumented key by :mod:`kb.metadata`.)
- ``config-inited``: symbolic links among the sources are excluded and reported; sources are read
  leniently and a file that is not UTF-8 is refused on ``source-read`` with its line.

Stores nothing in the environment.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.parsers.rst.directives.misc import adapt_path
from docutils.parsers.rst.directives.tables import CSVTable
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralInclude
from sphinx.util import logging

logger = logging.getLogger(__name__)

INCLUDE_ADVICE = (
    "Only files inside the repository (outside hidden folders such as .git) may be included; "
    "copy the text in or link to it."
)
IMAGE_MAX_BYTES = 1024 * 1024  # an image on a page: readers on slow connections download it
RAW_ADVICE = "Use Markdown, a MyST directive or an image file instead."

# HTML element names (WHATWG) plus custom elements (a hyphen in the name) and comments. Restricting
# the check to real element names keeps prose such as "a <b and c> d" false-positive free.
HTML_ELEMENTS = (
    "a abbr address area article aside audio b base bdi bdo blockquote body br button canvas "
    "caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed "
    "fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup "
    "hr html i iframe img input ins kbd label legend li link main map mark marquee math menu meta "
    "meter nav noscript object ol optgroup option output p param picture pre progress q rp rt ruby "
    "s samp script search section select slot small source span strong style sub summary sup svg "
    "table tbody td template textarea tfoot th thead time title tr track u ul var video wbr"
).split()
HTML_TAG = re.compile(
    r"<!(?:--|[\u2013\u2014])|<!\[CDATA\[|<\?"  # comments, also after smartquotes made "--" a dash
    r"|</?(?:" + "|".join(HTML_ELEMENTS) + r"|[a-z][a-z0-9]*-[a-z0-9-]*)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
# Text inside these nodes is code or maths, where angle brackets are legitimate.
CODE_NODES = (nodes.literal, nodes.FixedTextElement, nodes.math, nodes.comment, nodes.raw)


def _repository_root(app: Sphinx) -> Path:
    return Path(app.config.kb_repository_root or app.srcdir).resolve()


def _is_inside(path: Path, root: Path) -> bool:
    """Whether content may read ``path``: inside the repository (symlinks resolved) and not in a
    hidden folder such as .git (which holds CI credentials) or .venv."""
    path = path.resolve()
    if not (path == root or root in path.parents):
        return False
    return not any(part.startswith(".") for part in path.relative_to(root).parts[:-1])


def where(source: str | Path, line: int | None = None) -> str:
    """A warning location "file:line" (Sphinx reads a tuple's first item as a docname, not a path)."""
    return f"{source}:{line}" if line else f"{source}:"


def conf_location(app: Sphinx, *needles: str) -> str:
    """"conf.py:line" of the last line that mentions the first needle found (else line 1)."""
    path = Path(app.confdir, "conf.py")
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    for needle in needles:
        numbers = [n for n, line in enumerate(lines, start=1) if needle in line]
        if numbers:
            return where(path, numbers[-1])
    return where(path, 1)


def node_location(node: nodes.Node, docname: str, env) -> str:
    """"file:line" of a node: its own line, or the nearest ancestor's (included files keep their
    own path)."""
    current = node
    while current is not None:
        line = getattr(current, "line", None)
        if line:
            return where(getattr(current, "source", None) or env.doc2path(docname), line)
        current = current.parent
    return where(env.doc2path(docname))


# -- raw directive and role ----------------------------------------------------------------------


class DisabledRaw(Directive):
    """Stands in for docutils' ``raw``: warns and drops the content."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"file": str, "url": str, "encoding": str}

    def run(self) -> list[nodes.Node]:
        logger.warning(
            "the raw directive is disabled: raw markup could inject scripts into the site. %s",
            RAW_ADVICE,
            location=where(*self.state_machine.get_source_and_line(self.lineno)),
            type="kb",
            subtype="raw",
        )
        return []


def disabled_raw_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """Stands in for docutils' ``raw`` role (custom roles derived from it included)."""
    logger.warning(
        "the raw role is disabled: raw markup could inject scripts into the site. %s",
        RAW_ADVICE,
        location=where(*inliner.reporter.get_source_and_line(lineno)),
        type="kb",
        subtype="raw",
    )
    return [nodes.Text(text)], []


disabled_raw_role.options = {"format": str}


# -- files read during the build ----------------------------------------------------------------


class SafeLiteralInclude(LiteralInclude):
    """``literalinclude`` that refuses files outside the repository."""

    def run(self):
        env = self.state.document.settings.env
        _rel, absolute = env.relfn2path(self.arguments[0], env.docname)
        if _is_inside(Path(absolute), _repository_root(env.app)):
            return super().run()
        logger.warning(
            "literalinclude of %r refused: it resolves to %s, outside the repository or in a hidden folder. %s",
            self.arguments[0],
            Path(absolute).resolve(),
            INCLUDE_ADVICE,
            location=where(*self.state_machine.get_source_and_line(self.lineno)),
            type="kb",
            subtype="include",
        )
        return []


class SafeCSVTable(CSVTable):
    """``csv-table`` that reads no remote file and no file outside the repository."""

    def run(self):
        location = where(*self.state_machine.get_source_and_line(self.lineno))
        if "url" in self.options:
            logger.warning(
                "csv-table :url: refused: the build never fetches remote files. "
                "Add the CSV file to the repository and use :file: instead.",
                location=location,
                type="kb",
                subtype="include",
            )
            return []
        if "file" in self.options:
            env = self.state.document.settings.env
            # Exactly the path docutils will open (absolute paths go through root_prefix).
            settings = self.state.document.settings
            path = adapt_path(self.options["file"], self.state.document.current_source, settings.root_prefix)
            if not _is_inside(Path(path), _repository_root(env.app)):
                logger.warning(
                    "csv-table :file: %r refused: it is outside the repository or in a hidden folder. %s",
                    self.options["file"],
                    INCLUDE_ADVICE,
                    location=location,
                    type="kb",
                    subtype="include",
                )
                return []
        return super().run()


def check_include(app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    """``include-read`` handler: blank out, with a warning, any file outside the repository."""
    target = Path(app.srcdir, relative_path)
    if _is_inside(target, _repository_root(app)):
        neutralize_substitutions(app, str(target), content)
        return
    logger.warning(
        "include of %s refused: it is outside the repository or in a hidden folder. %s",
        target.resolve(),
        INCLUDE_ADVICE,
        location=(app.env.docname, _include_line(app, app.env.docname, target)),
        type="kb",
        subtype="include",
    )
    content[0] = ""


INCLUDE_LINE = re.compile(r"(?:\{include\}|\.\.\s+include::)\s*(\S+)")


def _include_line(app: Sphinx, docname: str, target: Path) -> int:
    """The line of the include directive that names ``target`` in the page's source (the event
    does not say), found by resolving each include's argument as Sphinx does; 1 if none matches."""
    source = Path(app.env.doc2path(docname))
    try:
        lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 1
    wanted = target.resolve()
    for number, text in enumerate(lines, start=1):
        match = INCLUDE_LINE.search(text)
        if match and Path(app.env.relfn2path(match.group(1), docname)[1]).resolve() == wanted:
            return number
    return 1


# -- checks of the parsed page ------------------------------------------------------------------


def _line_of_text(text: nodes.Text, offset: int, docname: str, env) -> str:
    """File and line of character ``offset`` in a text node, counting the soft line breaks of the
    enclosing block that come before it."""
    block = text.parent
    while block is not None and not getattr(block, "line", None):
        block = block.parent
    if block is None:
        return node_location(text.parent, docname, env)
    before = 0
    for other in block.findall(nodes.Text):
        if other is text:
            break
        before += other.count("\n")
    source = getattr(block, "source", None) or env.doc2path(docname)
    return where(source, block.line + before + text[:offset].count("\n"))


def check_html_in_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for text in list(doctree.findall(nodes.Text)):
        if any(isinstance(a, CODE_NODES) for a in _ancestors(text)):
            continue
        for match in HTML_TAG.finditer(text):
            logger.warning(
                "raw HTML %r is not allowed in pages (it is shown as text, never as HTML). "
                "Use Markdown or a MyST directive instead; to show a tag, put it in `code`; "
                "for a comment use a line starting with %%.",
                match.group(0)[:40],
                location=_line_of_text(text, match.start(), docname, app.env),
                type="kb",
                subtype="html",
            )


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def remove_raw_nodes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Belt and braces: raw nodes that content produced by any other route are dropped.

    MyST itself emits harmless fixed raw nodes (``<br />`` for hard breaks, ``<s>`` for strikethrough);
    those are recognised and kept."""
    harmless = {"<br />\n", "\\\\\n", "<s>", "</s>"}
    for raw in list(doctree.findall(nodes.raw)):
        if raw.astext() in harmless:
            continue
        logger.warning(
            "raw %s markup is not allowed in pages. %s",
            raw.get("format", ""),
            RAW_ADVICE,
            location=node_location(raw, docname, app.env),
            type="kb",
            subtype="raw",
        )
        raw.parent.remove(raw)


def check_images(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    root = _repository_root(app)
    for image in list(doctree.findall(nodes.image)):
        uri = image.get("uri", "")
        location = node_location(image, docname, app.env)
        if "://" in uri or uri.startswith(("data:", "//")):
            logger.warning(
                "remote image %r refused: the site loads nothing from other hosts. "
                "Add the image file to the repository (with its licence) and link it locally.",
                uri[:80],
                location=location,
                type="kb",
                subtype="image",
            )
            _drop_image(image)
            continue
        _rel, absolute = app.env.relfn2path(uri, docname)
        if not _is_inside(Path(absolute), root):
            logger.warning(
                "image %r refused: it is outside the repository or in a hidden folder. Add the file to the repository.",
                uri,
                location=location,
                type="kb",
                subtype="image",
            )
            _drop_image(image)
            continue
        size = Path(absolute).stat().st_size if Path(absolute).is_file() else 0
        if size > IMAGE_MAX_BYTES:
            logger.warning(
                "image %r refused: it is %s bytes; the limit is %s bytes. Compress or resize it.",
                uri,
                f"{size:,}",
                f"{IMAGE_MAX_BYTES:,}",
                location=location,
                type="kb",
                subtype="image",
            )
            _drop_image(image)
            continue
        if not image.get("alt", "").strip():
            logger.warning(
                "image %r has no alt text: describe what it shows for readers who cannot see it, "
                "e.g. ![A bar chart of model releases per year](%s).",
                uri,
                uri,
                location=location,
                type="kb",
                subtype="image",
            )


def _drop_image(image: nodes.image) -> None:
    """Replace a refused image (and a link that only wraps it) by its alt text."""
    outer = image.parent if isinstance(image.parent, nodes.reference) and len(image.parent) == 1 else image
    outer.replace_self(nodes.inline("", image.get("alt", "")))


def check_downloads(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    root = _repository_root(app)
    for ref in doctree.findall(addnodes.download_reference):
        target = ref.get("reftarget", "")
        if "://" in target:
            continue  # an external link, checked by kb.links
        _rel, absolute = app.env.relfn2path(target, docname)
        if not _is_inside(Path(absolute), root):
            logger.warning(
                "download link to %r refused: it is outside the repository or in a hidden folder. %s",
                target,
                INCLUDE_ADVICE,
                location=node_location(ref, docname, app.env),
                type="kb",
                subtype="include",
            )
            ref.replace_self(nodes.Text(ref.astext()))


def check_doctree(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    remove_raw_nodes(app, doctree, docname)
    check_html_in_text(app, doctree, docname)
    check_images(app, doctree, docname)
    check_downloads(app, doctree, docname)


# A substitution MyST looks up directly (no Jinja): a plain name, as MyST's keys are.
PLAIN_SUBSTITUTION = re.compile(r"^[A-Za-z_][\w-]*$")
SUBSTITUTION = re.compile(r"\{\{(?P<body>.*?)(?:\}\}|$)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
CODE_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def unsafe_substitutions(text: str):
    """Yield (line number, match) for every ``{{ ... }}`` that MyST would hand to Jinja.

    Code fences and inline code are skipped: MyST does not substitute inside them.
    """
    fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        opening = CODE_FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening and "{" not in line[opening.end() : opening.end() + 1]:
            fence = opening.group(1)
            continue
        masked = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        for match in SUBSTITUTION.finditer(masked):
            body = match.group("body").strip()
            if not PLAIN_SUBSTITUTION.match(body) or body == "env":
                yield number, match


def neutralize_substitutions(app: Sphinx, path: str, content: list[str]) -> None:
    """Report and defuse every substitution that is not a plain name, so Jinja never sees it."""
    lines = content[0].splitlines(keepends=True)
    for number, match in reversed(list(unsafe_substitutions(content[0]))):
        logger.warning(
            "substitution %r refused: only {{ name }} with a name defined in myst_substitutions or "
            "the page's `substitutions:` front matter is allowed, because anything else runs as a "
            "template during the build. Write the text out instead.",
            match.group(0)[:60],
            location=where(path, number),
            type="kb",
            subtype="substitution",
        )
        line = lines[number - 1]
        lines[number - 1] = line[: match.start()] + "&#123;&#123;" + line[match.start() + 2 :]
    content[0] = "".join(lines)


# What a refused source file is replaced with before any parser sees it (kb.catalogue's parser
# turns it into a stub page without further warnings; MyST renders the heading).
REFUSED_SOURCE = "# Refused\n"
SOURCE_MAX_BYTES = 2 * 1024 * 1024  # a page or data file; the largest real one is under 100 kB
SOURCE_MAX_CHARACTERS = SOURCE_MAX_BYTES // 4  # below this, no text can exceed the byte limit


LENIENT_UTF8 = "kb-utf-8"


def _lenient_utf8(name: str):
    """A codec for Sphinx's reader: UTF-8 that replaces undecodable bytes instead of raising (Sphinx
    reads sources with ``Path.read_text`` and no error handler, so a byte that is not UTF-8 would
    stop the build with a traceback). :func:`check_source_file` then refuses such a file with
    the line of the first bad byte, before any parser sees it."""
    if name != LENIENT_UTF8.replace("-", "_") and name != LENIENT_UTF8:
        return None
    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(
        name=LENIENT_UTF8,
        encode=utf8.encode,
        decode=lambda data, errors="strict": utf8.decode(data, "replace"),
        incrementalencoder=utf8.incrementalencoder,
        incrementaldecoder=lambda errors="strict": utf8.incrementaldecoder("replace"),
        streamreader=utf8.streamreader,
        streamwriter=utf8.streamwriter,
    )


codecs.register(_lenient_utf8)


def refuse_links_and_bad_encoding(app: Sphinx, config) -> None:
    """config-inited: symbolic links among the sources are reported and excluded, so Sphinx never
    opens them (a link to /dev/zero would never finish reading); sources are read leniently so a
    file that is not UTF-8 is refused with its line instead of a traceback."""
    if str(config.source_encoding).lower().replace("_", "-") in ("utf-8-sig", "utf-8"):
        config.source_encoding = LENIENT_UTF8
    root = Path(app.srcdir)
    skip = {".git", ".venv", "_build", "node_modules", ".pytest_cache", "__pycache__"}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if d not in skip and not d.startswith(".")]
        for name in [*dirs, *files]:
            path = here / name
            if not path.is_symlink():
                continue
            relative = path.relative_to(root).as_posix()
            logger.warning(
                "refused: %s is a symbolic link; content is read only from regular files in the "
                "repository, so the build does not read it",
                relative,
                location=where(path, 1),
                type="kb",
                subtype="include",
            )
            config.exclude_patterns = [*config.exclude_patterns, relative, relative + "/**"]
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]


def check_source_file(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``, first: a page is read only from a regular file inside the source folder,
    reached without a symbolic link, and only as UTF-8 text; anything else is refused with a
    warning and its content is never parsed."""
    from .data import DataError, read_text, regular_file  # noqa: PLC0415 (kb.data imports this module's users)

    path = Path(app.env.doc2path(docname))
    if not regular_file(path, app.env.srcdir):
        logger.warning("refused: %s is a symbolic link or lies outside the repository; content is read only "
                       "from regular files in the repository", path.name, location=(docname, 1), type="kb",
                       subtype="include")
        source[0] = REFUSED_SOURCE
        return
    if "\ufffd" not in source[0] and len(source[0]) <= SOURCE_MAX_CHARACTERS:
        return  # the lenient codec found nothing to replace: the file is UTF-8 (no second read)
    try:
        read_text(path, limit=SOURCE_MAX_BYTES)
    except DataError as error:
        logger.warning("refused: %s", error, location=(docname, error.line), type="kb", subtype="include")
        source[0] = REFUSED_SOURCE


def check_source_substitutions(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``."""
    neutralize_substitutions(app, str(app.env.doc2path(docname)), source)


def check_config(app: Sphinx, config) -> None:
    """``config-inited``: refuse MyST settings that would undo the rails."""
    missing = {"html_block", "html_inline"} - set(getattr(config, "myst_disable_syntax", []) or [])
    if missing:
        logger.warning(
            "myst_disable_syntax must contain %s, so that HTML typed into pages is never parsed as HTML.",
            ", ".join(sorted(missing)),
            location=conf_location(app, "myst_disable_syntax"),
            type="kb",
            subtype="config",
        )


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_repository_root", "", "env", types=[str])
    app.connect("config-inited", check_config)
    # after Sphinx warns about non-UTF-8 encodings (790): the lenient codec is UTF-8, read leniently
    app.connect("config-inited", refuse_links_and_bad_encoding, priority=850)
    app.add_directive("raw", DisabledRaw, override=True)
    app.add_role("raw", disabled_raw_role, override=True)
    app.add_directive("literalinclude", SafeLiteralInclude, override=True)
    app.add_directive("csv-table", SafeCSVTable, override=True)
    app.connect("include-read", check_include)
    app.connect("source-read", check_source_file, priority=50)
    app.connect("source-read", check_source_substitutions)
    # Before Sphinx's own doctree-read collectors (priority 500) copy images and downloads.
    app.connect("doctree-read", check_doctree, priority=400)
