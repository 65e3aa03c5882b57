# Brobygger: two commands do all the set-up on a fresh machine.
#   make run   install, create the SQLite database, load the demo catalogue and demo logins,
#              build the index, serve with gunicorn (BROBYGGER_DEMO=1: the demo's secret key is fine)
#   make test  install (with the test extras, PostgreSQL, chromium and axe-core), then run the
#              whole test suite, browser tests included

PYTHON ?= python3
PORT   ?= 5000
VENV   ?= .venv
BIN    := $(VENV)/bin
export BROBYGGER_INSTANCE_DIR ?= instance
BROWSER_TESTS := tests/browser
AXE := $(BROWSER_TESTS)/node_modules/axe-core/axe.min.js

.PHONY: run test fuzz payloads install install-test system-test-deps translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@$(BIN)/python -c "import catalogue, sys; sys.exit(0 if getattr(catalogue, 'IS_BROBYGGER_CATALOGUE', False) else 'the PyPI package named catalogue shadows ours: pip uninstall catalogue')"

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[st,test]"

# Debian packages: postgresql (every database test also runs on PostgreSQL), chromium (the
# browser tests drive it through Playwright, which cannot download a browser of its own here)
# and npm; then axe-core from npm, pinned by tests/browser/package-lock.json.
system-test-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages for the test suite:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@if [ ! -f $(AXE) ] || [ $(BROWSER_TESTS)/package-lock.json -nt $(AXE) ]; then \
		echo "Installing axe-core (npm ci in $(BROWSER_TESTS))"; \
		npm ci --prefix $(BROWSER_TESTS) --no-audit --no-fund --loglevel=error && touch $(AXE); \
	fi

run: export BROBYGGER_DEMO = 1
run: install
	$(BIN)/brobygger init-db
	$(BIN)/brobygger load-demo --with-demo-accounts
	$(BIN)/brobygger build-index
	$(BIN)/brobygger serve --workers 2 --port $(PORT)

test: install-test system-test-deps
	$(BIN)/ruff check catalogue ingest matcher evaluation webui casework tests
	$(BIN)/python -m pytest

# A longer fuzzing run of the JSON API than `make test` makes (schemathesis, fixed seed): 300
# generated requests per operation, role and mode; the count and the checks go to docs/fuzz.json,
# each operation's verdict to docs/fuzz.xml.
fuzz: install-test
	BROBYGGER_FUZZ_EXAMPLES=300 BROBYGGER_FUZZ_REPORT=docs/fuzz.json \
		$(BIN)/python -m pytest -q tests/webui/test_fuzz.py --junitxml=docs/fuzz.xml

# The attack tests (tests/security) with their figures written down: payloads tried per surface
# to docs/payloads.json, the access matrix's size to docs/access-matrix.json. make test runs the
# same tests; BROBYGGER_PAYLOADS=all puts every payload in every field (a long run).
payloads: install-test
	BROBYGGER_PAYLOAD_REPORT=docs/payloads.json BROBYGGER_ACCESS_REPORT=docs/access-matrix.json \
		$(BIN)/python -m pytest -q tests/security

# The pages' texts: extract the Danish msgids (babel.cfg), merge them into each language's
# messages.po, then compile the .mo files (committed, so a fresh clone needs no extra step;
# tests/webui/test_i18n.py fails when the .po and the .mo disagree or a msgid lacks English).
TRANSLATIONS := webui/translations
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext --add-comments=Translators: \
		--add-location=file --sort-by-file --project=Brobygger -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --width=100 \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d $(TRANSLATIONS) --statistics

clean:
	rm -rf $(VENV) instance .pytest_cache $(BROWSER_TESTS)/node_modules $(BROWSER_TESTS)/artefacts
