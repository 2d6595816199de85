"""Keep incremental builds incremental.

Sphinx compares the configuration with the one pickled in the environment right after
``config-inited``. Two parts of our stack change the configuration later, so without this module
every build would report "The configuration has changed" and rewrite every page:

- Furo registers ``pygments_dark_style`` only when the HTML builder loads the theme; we load the
  theme's extension at ``config-inited`` instead, so the option exists when Sphinx compares.
- sphinx-design appends its static folder to ``html_static_path`` at ``builder-inited``; we add it
  at ``config-inited`` and drop the duplicate after sphinx-design has run.

Every build also compiled each Jinja template again (Furo's page is a dozen templates): the
compiled templates are now kept in ``kb-templates/`` beside the doctrees (Jinja's bytecode cache,
keyed by each template's source, so an edited template is compiled again).

Uses ``config-inited`` and ``builder-inited``; stores nothing in the environment.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from sphinx.application import Sphinx
from sphinx.config import Config

AFTER_EXTENSIONS = 900
TEMPLATE_CACHE = "kb-templates"


def load_theme_early(app: Sphinx, config: Config) -> None:
    if config.html_theme == "furo":
        app.setup_extension("furo")
    try:
        from sphinx_design.extension import STATIC_DIR  # noqa: PLC0415
    except ImportError:
        return
    if str(STATIC_DIR) not in config.html_static_path:
        config.html_static_path.append(str(STATIC_DIR))


def drop_duplicate_static_paths(app: Sphinx) -> None:
    paths = app.config.html_static_path
    paths[:] = list(dict.fromkeys(paths))


def cache_compiled_templates(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None and environment.bytecode_cache is None:
        folder = Path(app.doctreedir, TEMPLATE_CACHE)
        folder.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> None:
    app.connect("config-inited", load_theme_early)
    app.connect("builder-inited", cache_compiled_templates)
    app.connect("builder-inited", drop_duplicate_static_paths, priority=AFTER_EXTENSIONS)
