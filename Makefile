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

.DEFAULT_GOAL := help
.PHONY: help html serve test browser linkcheck bench clean

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
	$(SPHINXBUILD) -b html $(SPHINXOPTS) . $(BUILDDIR)/html
	@echo "Built. Open $(BUILDDIR)/html/index.html in a browser."

serve: $(BUILD_STAMP) ## Live preview on http://127.0.0.1:8000, rebuilt on every save
	$(BIN)/sphinx-autobuild --host $(HOST) --port $(PORT) \
		--ignore '$(BUILDDIR)/*' --ignore '$(VENV)/*' --ignore 'tests/*' \
		. $(BUILDDIR)/serve -n --keep-going

browser: ## Make sure a Chromium for the browser tests exists
	@tools/ensure-chromium

test: $(TEST_STAMP) browser ## Install what the tests need, then run the whole test suite
	$(BIN)/python -m pytest

linkcheck: $(BUILD_STAMP) ## Check external links (needs a network)
	$(SPHINXBUILD) -b linkcheck -n --keep-going . $(BUILDDIR)/linkcheck

bench: $(BUILD_STAMP) ## Benchmark builds and pages at +0/100/400/1600 pages (slow; see PERFORMANCE.md)
	$(BIN)/python tools/bench.py $(BENCHOPTS)

clean: ## Remove build output (keeps the venv)
	rm -rf $(BUILDDIR)
