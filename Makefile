# Set-up is automatic: the first target you run creates .venv and installs the project.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# pytest keeps its rewritten test modules as .pyc files only where bytecode may be written:
# with PYTHONDONTWRITEBYTECODE set (as on some machines) every run recompiles ~270 modules.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8080
OUT    ?= var

.PHONY: serve build validate test test-fast lint bench bench-scale docs clean messages

## serve: build the bundled catalogue and serve it on http://localhost:$(PORT)/
serve: build
	$(BIN)/avoinkunta serve --out $(OUT) --host $(HOST) --port $(PORT)

## build: validate data/ and publish it into $(OUT)/ (atomic switch of $(OUT)/current)
build: $(STAMP)
	$(BIN)/avoinkunta build --out $(OUT)

## validate: check data/ and report problems by file, record and field
validate: $(STAMP)
	$(BIN)/avoinkunta validate

## test: lint and run the whole test suite
test: $(STAMP) $(VENV)/.ckan-installed
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(PYTEST) -n auto --dist loadfile

## test-fast: the unit layer only (no builds, servers, browsers or worker processes)
test-fast: $(STAMP)
	$(BIN)/ruff check .
	$(PYTEST) -m "not slow and not e2e and not browser and not ckan"

## lint: ruff, mypy ([tool.mypy]: 0 errors, no new type: ignore) and the layering contracts
## (import-linter, [tool.importlinter] in pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check publisher sparql_endpoint tests bench ontology
	$(BIN)/mypy
	$(BIN)/lint-imports

## docs: regenerate the mapping tables of ontology/README.md from the field tables
docs: $(STAMP)
	$(BIN)/python -m publisher.fields.docs

## bench: the benchmarks (not tests): SPARQL throughput and dereferencing, against peers
## (national scale: make bench BENCH_SPARQL_ARGS="--offerings 30000")
bench: $(STAMP)
	$(BIN)/python bench/bench_sparql.py $(BENCH_SPARQL_ARGS)
	$(BIN)/python bench/bench_deref.py

## bench-scale: the build at 1,000 / 5,000 / 30,000 generated offerings: validate, cold build,
## one-file edit, peak RSS, phases, and the floor (oxigraph load) in the same run
bench-scale: $(STAMP)
	$(BIN)/python bench/bench_scale.py $(BENCH_SCALE_ARGS)

## messages: extract the site's messages and update the fi/sv/en catalogues (publisher/i18n)
I18N := publisher/i18n
messages: $(STAMP)
	$(BIN)/pybabel extract -F $(I18N)/babel.cfg -k _h -k _p:1c,2 -k _hp:1c,2 -k _n:1,2 -k N_ \
	  -k translate --add-location=file --sort-output --no-wrap --project="Avoin kunta" \
	  --copyright-holder="Avoin kunta LOD team" -o $(I18N)/messages.pot .
	$(BIN)/pybabel update -i $(I18N)/messages.pot -d $(I18N)/locale -D messages --no-wrap \
	  --no-fuzzy-matching --ignore-obsolete

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# ckan + ckanext-dcat, imported (never run) by the harvest tests.
$(VENV)/.ckan-installed: $(STAMP) .ci/install-ckan.sh
	bash .ci/install-ckan.sh $(VENV)
	touch $@

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
