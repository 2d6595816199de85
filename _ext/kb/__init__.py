"""The knowledge base's own Sphinx extension.

One module per concern; ``setup`` only wires them together:

- :mod:`kb.safety` — safety rails: the ``raw`` directive is disabled and includes may not read
  files outside the repository.
- :mod:`kb.navigation` — the sidebar renders only the current branch, so build time and page
  size grow linearly with the number of pages.
"""

from sphinx.application import Sphinx

from . import navigation, safety

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict:
    safety.setup(app)
    navigation.setup(app)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
