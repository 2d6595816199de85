"""Data files: YAML read safely with the line of every value, checked against a JSON Schema.

The knowledge base keeps content as data (``models/``, ``licences/``, ``changes/``, front matter,
the search synonyms). Every problem in such a file must be a build warning that names the file and
the line, like problems in pages. :func:`load` parses a file once into plain values and a map from
each value's path (keys and list indexes) to its line; :func:`problems` validates the values with
``jsonschema`` (the maintained validator of the JSON Schema specification, format checks
included) and places each error on the line of the value it is about.

**The one hardened YAML loader.** Every YAML the build reads comes from contributions, so it is
untrusted input. :func:`loads` (and :func:`load`, :func:`read_text` for the bytes) refuses, each
with its line: text that is not UTF-8, a file over :data:`MAX_BYTES`, anchors and aliases (nested
aliases in a few hundred bytes expand to millions of nodes), nesting deeper than
:data:`MAX_DEPTH`, more than :data:`MAX_NODES` nodes, and duplicate keys (which PyYAML would
resolve silently to the last value). PyYAML (libyaml's parser where present) stays the parser:
it is the maintained YAML library the build already uses and it reports each event's line, so the
checks are made on its event stream before anything is built from it. ruamel.yaml refuses
duplicate keys itself but, like PyYAML, needs a check of its own to refuse aliases, and would be a
second YAML library in the build. Dates stay strings, so an impossible date is reported by the
schema at its own line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

SCHEMAS = Path(__file__).parent / "schemas"
# libyaml's safe loader when PyYAML has it (its wheels do): the same result, several times faster
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The ids of catalogue entries, licences and makers: lower-case words joined by single hyphens or
# dots, so an id can never be a path ("/", "..") whatever a role or a data file says.
ID = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*\Z")
Path_ = tuple  # a value's place in the document: keys and list indexes


MAX_BYTES = 256 * 1024  # a data file (the largest real one is a few kB)
MAX_DEPTH = 12  # mappings and lists inside each other (the deepest real file has 4)
MAX_NODES = 20_000  # values in one file
MAX_STRING = 4_000  # characters in one text value
MAX_ITEMS = 200  # items in one list
# markup where plain text is expected: a tag, a comment, a character reference
MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|&#?[a-zA-Z0-9]+;")


class DataError(Exception):
    """A file that is not readable YAML (message and 1-based line)."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


class Loader(YAML_LOADER):
    """The safe loader, but dates stay strings: JSON Schema's ``format: date`` checks them, with
    their line, where YAML would fail on 2026-02-30 without one."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in YAML_LOADER.yaml_implicit_resolvers.items()
}


def _lines(node: yaml.Node, place: Path_, out: dict) -> None:
    out[place] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[(*place, key.value)] = key.start_mark.line + 1
            _lines(value, (*place, key.value), out)
            out[(*place, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*place, index), out)


def read_text(path: Path, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of ``path``; DataError (with the line) for a file too large or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise DataError(f"the file is {size:,} bytes; the limit is {limit:,} bytes", 1)
        raw = path.read_bytes()
    except OSError as error:
        raise DataError(f"cannot read the file: {error.strerror or error}", 1) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(f"not UTF-8 text: byte 0x{raw[error.start]:02x} cannot be decoded; save the file as UTF-8",
                        line) from None


def load(path: Path) -> tuple[object, dict[Path_, int]]:
    """(values, line of each value's place); raises DataError for a file that is refused."""
    return loads(read_text(path))


def _refuse_events(text: str) -> None:
    """Anchors, aliases, depth and size, from the event stream (nothing is built yet)."""
    depth = count = 0
    for event in yaml.parse(text, Loader=Loader):
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent):
            raise DataError(f"YAML aliases (*{event.anchor}) are not allowed: write the value out", line)
        if getattr(event, "anchor", None):
            raise DataError(f"YAML anchors (&{event.anchor}) are not allowed: write each value out", line)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise DataError(f"values are nested more than {MAX_DEPTH} levels deep", line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        count += 1
        if count > MAX_NODES:
            raise DataError(f"the file holds more than {MAX_NODES:,} values", line)


def _refuse_duplicates(node: yaml.Node) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            line = key.start_mark.line + 1
            if name is not None and name in seen:
                raise DataError(f"key {name!r} appears twice (first on line {seen[name]}): keep one", line)
            if name is not None:
                seen[name] = line
            _refuse_duplicates(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _refuse_duplicates(item)


def loads(text: str) -> tuple[object, dict[Path_, int]]:
    """:func:`load` for text already read."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise DataError(f"the text is over the limit of {MAX_BYTES:,} bytes", 1)
    try:
        _refuse_events(text)
        root = yaml.compose(text, Loader=Loader)
        if root is not None:
            _refuse_duplicates(root)
        value = yaml.load(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise DataError(f"not valid YAML: {error.problem or error}", (mark.line + 1) if mark else 1) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        raise DataError(f"not valid YAML: {error}", 1) from None
    lines: dict[Path_, int] = {}
    if root is not None:
        _lines(root, (), lines)
    return value, lines


def text_problems(value, lines: dict[Path_, int], place: Path_ = ()) -> list[tuple[int, str]]:
    """Markup and oversized values anywhere in a data file: text fields are plain text (the pages
    escape them, but the exports hand them on to others), strings and lists have limits."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += text_problems(item, lines, (*place, key))
    elif isinstance(value, list):
        if len(value) > MAX_ITEMS:
            found.append((line_at(lines, place), f"{'/'.join(map(str, place))}: {len(value)} items; the limit is {MAX_ITEMS}"))
        for index, item in enumerate(value[:MAX_ITEMS]):
            found += text_problems(item, lines, (*place, index))
    elif isinstance(value, str):
        where = "/".join(map(str, place))
        if len(value) > MAX_STRING:
            found.append((line_at(lines, place), f"{where}: {len(value):,} characters; the limit is {MAX_STRING:,}"))
        elif MARKUP.search(value):
            found.append((line_at(lines, place), f"{where}: markup ({MARKUP.search(value).group(0)!r}) is not allowed "
                                               "in data: write plain text"))
    return found


def line_at(lines: dict[Path_, int], place: Path_) -> int:
    """The line of ``place``, or of its nearest enclosing value that has one (1 at worst)."""
    while place and place not in lines:
        place = place[:-1]
    return lines.get(place, 1)


def is_id(text: object) -> bool:
    """Whether ``text`` is a well-formed id (checked before any file named by it is touched)."""
    return isinstance(text, str) and len(text) <= 100 and ID.match(text) is not None


def regular_file(path: Path, srcdir: str) -> bool:
    """Whether ``path`` is a regular file inside ``srcdir`` reached without a symbolic link."""
    root = Path(srcdir).resolve()
    try:
        resolved = path.resolve(strict=True)
        relative = Path(path).absolute().relative_to(Path(srcdir).absolute())
        return resolved.is_file() and resolved == root / relative  # no link on the way, no ".."
    except (OSError, ValueError):
        return False


@cache
def schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


@dataclass
class Record:
    """A checked record from a data file (a catalogue entry, a licence), with the line of each
    value for warnings."""

    id: str
    values: dict
    path: str  # relative to the source folder
    lines: dict = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.values["name"]

    def line(self, *place) -> int:
        return line_at(self.lines, place)


def read_record(path: Path, docname: str, text: str | None, schema_name: str, what: str
                ) -> tuple[dict | None, dict[Path_, int], list[tuple[int, str]]]:
    """A data file that is one record with an ``id`` (a catalogue entry, a licence): (values, lines,
    problems). Values are None when the file cannot be read as a mapping at all; otherwise the
    problems are the schema's and an ``id`` that is not the file's name (so ids are unique)."""
    try:
        values, lines = load(path) if text is None else loads(text)
    except DataError as error:
        return None, {}, [(error.line, str(error))]
    if not isinstance(values, dict):
        return None, {}, [(1, f"{what} is a mapping of keys (see CONTRIBUTING.md)")]
    found = problems(values, lines, schema_name)
    stem = Path(docname).name
    if values.get("id") not in (None, stem):
        found.append((lines.get(("id",), 1), f"id {values.get('id')!r} differs from the file name: the id is the file name, {stem!r}"))
    return values, lines, found


def _message(error) -> str:
    where = "/".join(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = ", ".join(error.schema.get("properties", {}))
        return f"{error.message} (allowed keys: {allowed})"
    return f"{where}: {error.message}" if where else error.message


def problems(value, lines: dict[Path_, int], schema_name: str) -> list[tuple[int, str]]:
    """(line, message) for every way ``value`` breaks the schema, in line order."""
    # imported here: loading jsonschema takes about 80 ms, which every build would pay at start-up,
    # while only the builds that read a data file need it
    import jsonschema  # noqa: PLC0415

    validator_class = jsonschema.validators.validator_for(schema(schema_name))
    validator = validator_class(schema(schema_name), format_checker=validator_class.FORMAT_CHECKER)
    found = text_problems(value, lines)
    for error in validator.iter_errors(value):
        place = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
            place = (*place, extra[0]) if extra else place
        while place not in lines and place:
            place = place[:-1]
        found.append((lines.get(place, 1) if place else 1, _message(error)))
    return sorted(found)
