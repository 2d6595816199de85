"""Data files: YAML read with the line of every value, checked against a JSON Schema.

The knowledge base keeps some content as data (``changes/*.yml``; more to come). Every problem in
such a file must be a build warning that names the file and the line, like problems in pages.
:func:`load` parses a file once into plain values and a map from each value's path (keys and
list indexes) to its line; :func:`problems` validates the values with ``jsonschema`` (the
maintained validator of the JSON Schema specification, format checks included) and places each
error on the line of the value it is about.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import yaml

from .metadata import YAML_LOADER

SCHEMAS = Path(__file__).parent / "schemas"
# The ids of catalogue entries, licences and makers: lower-case words joined by single hyphens or
# dots, so an id can never be a path ("/", "..") whatever a role or a data file says.
ID = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*\Z")
Path_ = tuple  # a value's place in the document: keys and list indexes


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


def load(path: Path) -> tuple[object, dict[Path_, int]]:
    """(values, line of each value's place); raises DataError for text that is not YAML."""
    return loads(path.read_text(encoding="utf-8"))


def loads(text: str) -> tuple[object, dict[Path_, int]]:
    """:func:`load` for text already read."""
    try:
        root = yaml.compose(text, Loader=Loader)
        value = yaml.load(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise DataError(f"not valid YAML: {error.problem or error}", (mark.line + 1) if mark else 1) from None
    except yaml.YAMLError as error:
        raise DataError(f"not valid YAML: {error}", 1) from None
    lines: dict[Path_, int] = {}
    if root is not None:
        _lines(root, (), lines)
    return value, lines


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
    found = []
    for error in validator.iter_errors(value):
        place = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
            place = (*place, extra[0]) if extra else place
        while place not in lines and place:
            place = place[:-1]
        found.append((lines.get(place, 1) if place else 1, _message(error)))
    return sorted(found)
