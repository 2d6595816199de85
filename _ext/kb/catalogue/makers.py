"""Makers: one record per company, lab or project (``models/makers.yml``), named by id in entries.

An entry says ``maker: meta`` and, where a lab or team is credited, ``team: Meta AI (FAIR)``; the
catalogue filters and groups by the maker record, so one company is one filter value whatever its
teams are called. The file is checked against ``schemas/makers.schema.json`` with file and line;
an entry naming no record is a warning on the entry's ``maker:`` line (:mod:`kb.catalogue.pages`).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

from .. import data

FILE = "models/makers.yml"
SCHEMA = "makers.schema.json"
logger = logging.getLogger(__name__)
_CACHE: dict[tuple, tuple[dict, list[tuple[int, str]]]] = {}


def read(srcdir: str) -> tuple[dict, list[tuple[int, str]]]:
    """(records by id, problems as (line, message)), read once per version of the file."""
    path = Path(srcdir, FILE)
    if not data.regular_file(path, srcdir):
        return {}, [(1, f"{FILE} is missing (or a link): it holds the maker records entries name")]
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        try:
            values, lines = data.load(path)
        except data.DataError as error:
            _CACHE[key] = {}, [(error.line, str(error))]
        else:
            problems = data.problems(values, lines, SCHEMA)
            _CACHE[key] = ({} if problems or not isinstance(values, dict) else values), problems
    return _CACHE[key]


def records(srcdir: str) -> dict:
    return read(srcdir)[0]


def check(app, env) -> None:
    """env-check-consistency: the makers file's own problems, each with its line (a site without
    the file has no catalogue, or each entry naming a maker says it has no record)."""
    path = Path(env.srcdir, FILE)
    if not path.exists() and not path.is_symlink():
        return
    for line, message in read(env.srcdir)[1]:
        logger.warning(message, location=f"{Path(env.srcdir, FILE)}:{line}", type="kb", subtype="model")


def setup(app) -> None:
    app.connect("env-check-consistency", check)
