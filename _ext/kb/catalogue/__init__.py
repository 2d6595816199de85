"""The model catalogue: every notable open model as a sourced entry, with its data open for reuse.

- :mod:`~kb.catalogue.entries` — an entry (``models/<id>.yml``) read and checked: its JSON
  Schema, SPDX licence identifiers, ids; what each status and restriction means.
- :mod:`~kb.catalogue.licences` — a licence (``licences/<id>.yml``) read and checked: its
  versions, the clause checklist and the answers to the use questions, each on a clause.
- :mod:`~kb.catalogue.makers` — the maker records entries name (``models/makers.yml``).
- :mod:`~kb.catalogue.pages` — each entry and each licence is a page of its own (a source parser), with its
  components, restrictions, outside assessments, derived models and the pages mentioning it.
- :mod:`~kb.catalogue.table` — ``kb-model-table``: all entries in one sortable, filterable table.
- :mod:`~kb.catalogue.uses` — "Can I use it?" (models × use questions, filtered by the uses a
  reader needs) and the side-by-side comparison of two to four models.
- :mod:`~kb.catalogue.role` — ``{model}``: a link from prose to an entry.
- :mod:`~kb.catalogue.exports` — ``models.json``, ``models.csv`` and their schemas in the site.
- :mod:`~kb.catalogue.lint` — a topic naming a catalogued model without linking it.
"""

from sphinx.application import Sphinx

from . import exports, lint, makers, pages, role, table, uses


def setup(app: Sphinx) -> None:
    for module in (makers, pages, table, uses, role, exports, lint):
        module.setup(app)
