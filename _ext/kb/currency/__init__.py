"""How current each page is: what a reader may trust, and what is due for a new check.

- :mod:`~kb.currency.repository` — the repository the site is built from (configuration, GitHub
  Actions or a forge remote), for edit and history links; none known means no such links.
- :mod:`~kb.currency.dates` — each page's last change from git (a shallow clone or a tree outside
  git is a warning), each topic's ``reviewed:`` date, shown under the title and in the footer.
- :mod:`~kb.currency.asof` — the ``{as-of}`` role for time-sensitive statements and the
  ``kb-dated-statements`` list of them all.
- :mod:`~kb.currency.review` — the ``kb-review`` builder behind ``make review``: what is due.
- :mod:`~kb.currency.changes` — the What's new page (``kb-changes``) from ``changes/*.yml``, and
  its Atom feed.
"""

from sphinx.application import Sphinx

from . import asof, changes, dates, review


def setup(app: Sphinx) -> None:
    for module in (dates, asof, review, changes):
        module.setup(app)
