# The single entry point for building, previewing and testing the knowledge base.
# `make help` lists the targets. Everything runs from a local virtual environment (.venv) that the
# targets create and refresh themselves whenever a requirements file changes.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
BUILDDIR    ?= _build
# Strict by default: every warning is an error (-W), every reference must resolve (-n), and all
# problems are reported in one run (--keep-going) before the build fails.
SPHINXOPTS  ?= -W -n --keep-going
SPHINXBUILD := $(BIN)/sphinx-build
HOST        ?= 127.0.0.1
PORT        ?= 8000

BUILD_STAMP := $(VENV)/.installed-build
TEST_STAMP  := $(VENV)/.installed-test
# Lighthouse and the Nu HTML Checker for the browser tests, from npm, exactly as locked.
WEBCHECKS   := tools/webchecks
WEBCHECKS_STAMP := $(WEBCHECKS)/node_modules/.installed

.DEFAULT_GOAL := help
.PHONY: help html epub serve test test-fast review new-model browser webchecks linkcheck bench clean lint new-topic pages

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The venv is (re)built only when a requirements file is newer than its stamp.
$(BUILD_STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(TEST_STAMP): $(BUILD_STAMP) requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

html: $(BUILD_STAMP) ## Build the site into _build/html (strict: warnings fail the build)
	$(SPHINXBUILD) -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees . $(BUILDDIR)/html
	@echo "Built. Open $(BUILDDIR)/html/index.html in a browser."

epub: $(BUILD_STAMP) ## Build the whole knowledge base as one EPUB e-book into _build/epub (strict)
	$(SPHINXBUILD) -b epub $(SPHINXOPTS) -d $(BUILDDIR)/doctrees-epub . $(BUILDDIR)/epub
	@echo "Built. The e-book is in $(BUILDDIR)/epub/."

# The extension is byte-compiled first: every rebuild is a new Python process, and where
# PYTHONDONTWRITEBYTECODE is set each one would compile _ext/kb again.
serve: $(BUILD_STAMP) ## Live preview on http://127.0.0.1:8000, rebuilt on every save
	$(BIN)/python -m compileall -q _ext
	$(BIN)/sphinx-autobuild --host $(HOST) --port $(PORT) \
		--ignore '$(BUILDDIR)/*' --ignore '$(VENV)/*' --ignore 'tests/*' \
		-d $(BUILDDIR)/doctrees-serve . $(BUILDDIR)/serve -n --keep-going

# What is due for review (topics reviewed over 6 months ago, as-of statements over 12 months old),
# one `file:line: ...` line each, and as Markdown in $(BUILDDIR)/review/review.md. A report, never a
# failure: KB_TODAY=YYYY-MM-DD shows what will be due on another day. The basic theme: Furo refuses
# builders that write no HTML, and nothing is rendered here.
review: $(BUILD_STAMP) ## List the topics and as-of statements due for review, with file and line
	@$(SPHINXBUILD) -b kb-review -q -D html_theme=basic -d $(BUILDDIR)/doctrees-review . $(BUILDDIR)/review

browser: ## Make sure a Chromium for the browser tests exists
	@tools/ensure-chromium

# `npm ci` installs exactly what package-lock.json names; --ignore-scripts: nothing runs or downloads
# at install time. Needs Node (20 or newer) and, for the Nu HTML Checker, Java (11 or newer).
$(WEBCHECKS_STAMP): $(WEBCHECKS)/package-lock.json
	npm ci --prefix $(WEBCHECKS) --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

webchecks: $(WEBCHECKS_STAMP) ## Install Lighthouse and the Nu HTML Checker for the tests (npm ci)

test: $(TEST_STAMP) browser $(WEBCHECKS_STAMP) ## Install what the tests need, then run the whole test suite
	$(BIN)/python -m pytest

# The quick part: units and the small fixture projects, without the full site build, the copies of
# the repository and the browser (the markers are set in tests/conftest.py). `make test` runs all.
test-fast: $(TEST_STAMP) ## Run the quick part of the tests (no full build, no browser): a few minutes
	$(BIN)/python -m pytest -m "not slow"

lint: $(TEST_STAMP) ## Spelling, Markdown style and Python lint (make test runs them too)
	$(BIN)/python tools/lint

new-topic: $(BUILD_STAMP) ## New topic page: make new-topic NAME=open-datasets TITLE="Open datasets"
	$(BIN)/python tools/new-topic --name "$(NAME)" --title "$(TITLE)"

new-model: $(BUILD_STAMP) ## New catalogue entry: make new-model ID=qwen3-5 NAME=Qwen3.5 MAKER=alibaba ... (see CONTRIBUTING.md)
	$(BIN)/python tools/new-model --id "$(ID)" --name "$(NAME)" --maker "$(MAKER)" \
		--released "$(RELEASED)" --licence "$(LICENCE)" --licence-version "$(LICENCE_VERSION)" \
		--licence-evidence "$(LICENCE_EVIDENCE)"

pages: $(BUILD_STAMP) ## Add new pages to pages.txt, the list of published pages (see CONTRIBUTING.md)
	$(BIN)/python tools/update-pages

linkcheck: $(BUILD_STAMP) ## Check external links (needs a network)
	$(SPHINXBUILD) -b linkcheck -n --keep-going . $(BUILDDIR)/linkcheck

bench: $(TEST_STAMP) browser $(WEBCHECKS_STAMP) ## Benchmark builds and pages at +0/100/400/1600 pages (slow; see PERFORMANCE.md)
	$(BIN)/python tools/bench.py $(BENCHOPTS)
	$(BIN)/python tools/bench_catalogue.py $(CATALOGUEBENCHOPTS)
	$(MAKE) --no-print-directory html
	$(BIN)/python tools/bench_lighthouse.py $(LIGHTHOUSEBENCHOPTS)

clean: ## Remove build output (keeps the venv)
	rm -rf $(BUILDDIR)
