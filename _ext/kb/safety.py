"""Safety rails: content cannot inject raw markup or read files outside the repository.

- ``raw`` is replaced by a directive that emits a warning (file and line) and renders nothing.
- ``include`` (MyST's and Sphinx's) and ``literalinclude`` refuse files that resolve outside
  ``kb_repository_root`` (default: the source directory). Includes are checked on Sphinx's
  ``include-read`` event, which both parsers emit; the included text is then dropped.

Stores nothing in the environment.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralInclude
from sphinx.util import logging

logger = logging.getLogger(__name__)

INCLUDE_ADVICE = "Only files inside the repository may be included; copy the text in or link to it."


class DisabledRaw(Directive):
    """Stands in for docutils' ``raw``: warns and drops the content."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"file": str, "url": str, "encoding": str}

    def run(self) -> list[nodes.Node]:
        logger.warning(
            "the raw directive is disabled: raw markup could inject scripts into the site. "
            "Use Markdown, a MyST directive or an image file instead.",
            location=self.state_machine.get_source_and_line(self.lineno),
            type="kb",
            subtype="raw",
        )
        return []


def _repository_root(app: Sphinx) -> Path:
    return Path(app.config.kb_repository_root or app.srcdir).resolve()


def _is_inside(path: Path, root: Path) -> bool:
    path = path.resolve()
    return path == root or root in path.parents


class SafeLiteralInclude(LiteralInclude):
    """``literalinclude`` that refuses files outside the repository."""

    def run(self):
        env = self.state.document.settings.env
        _rel, absolute = env.relfn2path(self.arguments[0], env.docname)
        if _is_inside(Path(absolute), _repository_root(env.app)):
            return super().run()
        logger.warning(
            "literalinclude of %r refused: it resolves to %s, outside the repository. %s",
            self.arguments[0],
            Path(absolute).resolve(),
            INCLUDE_ADVICE,
            location=self.state_machine.get_source_and_line(self.lineno),
            type="kb",
            subtype="include",
        )
        return []


def check_include(app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    """``include-read`` handler: blank out, with a warning, any file outside the repository."""
    target = Path(app.srcdir, relative_path)
    if _is_inside(target, _repository_root(app)):
        return
    logger.warning(
        "include of %s refused: it is outside the repository. %s",
        target.resolve(),
        INCLUDE_ADVICE,
        location=app.env.docname,
        type="kb",
        subtype="include",
    )
    content[0] = ""


def setup(app: Sphinx) -> None:
    app.add_config_value("kb_repository_root", "", "env", types=[str])
    app.add_directive("raw", DisabledRaw, override=True)
    app.add_directive("literalinclude", SafeLiteralInclude, override=True)
    app.connect("include-read", check_include)
