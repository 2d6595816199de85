"""What a reader's browser gets beyond the pages' content; wires the modules for it:

- :mod:`kb.search` — search on Pagefind, glossary entries as results, reader synonyms.
- :mod:`kb.csp` — a Content-Security-Policy that allows only the site's own resources.
- :mod:`kb.accessibility` — named landmarks and ARIA fixes to the theme's markup, and the reader
  stylesheet (visible focus, small screens, print).
- :mod:`kb.webfiles` — ``robots.txt``, and a description for pages without a summary.
- :mod:`kb.assets` — each page loads only the stylesheets and scripts it uses.
- :mod:`kb.machine` — a Markdown copy of each page and ``llms.txt``, for machine readers.
- :mod:`kb.contents` — "On this page" at the top of long pages, where the theme hides its panel.
"""

from sphinx.application import Sphinx

from . import accessibility, assets, contents, csp, machine, search, webfiles


def setup(app: Sphinx) -> None:
    search.setup(app)
    csp.setup(app)
    accessibility.setup(app)
    webfiles.setup(app)
    assets.setup(app)
    machine.setup(app)
    contents.setup(app)
