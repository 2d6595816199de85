"""The model catalogue: every notable open model as a sourced entry, with its data open for reuse.

- :mod:`~kb.catalogue.entries` — an entry (``models/<id>.yml``) read and checked: its JSON
  Schema, SPDX licence identifiers, ids; what each status and restriction means.
- :mod:`~kb.catalogue.pages` — each entry is a page of its own (a source parser), with its
  components, restrictions, outside assessments, derived models and the pages mentioning it.
- :mod:`~kb.catalogue.table` — ``kb-model-table``: all entries in one sortable, filterable table.
- :mod:`~kb.catalogue.role` — ``{model}``: a link from prose to an entry.
- :mod:`~kb.catalogue.exports` — ``models.json``, ``models.csv`` and their schemas in the site.
- :mod:`~kb.catalogue.lint` — a topic naming a catalogued model without linking it.
"""

from sphinx.application import Sphinx

from . import exports, lint, pages, role, table


def setup(app: Sphinx) -> None:
    for module in (pages, table, role, exports, lint):
        module.setup(app)
