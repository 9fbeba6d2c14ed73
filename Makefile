# Two commands do all the set-up: `make run` and `make test`.
# Without DATABASE_URL an embedded PostgreSQL runs under .data/; without CELERY_BROKER_URL
# Celery uses a file-system broker under .data/.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format migrate seed install messages clean-data stop-db bench audit fuzz help

help:
	@echo "make run   - set up, load the demo data and serve the dashboard with a Celery worker"
	@echo "make test  - set up and run the whole test suite against real PostgreSQL"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Compile locale/*.po into .mo files in pure Python (no GNU gettext needed).
messages: install
	$(BIN)/python -m config.catalogues

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed messages
	$(BIN)/python manage.py recompute_readiness --sync
	$(BIN)/python manage.py rebuild_aggregates
	@echo "Serving the dashboard at http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the worker)"
	HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho -f Procfile.dev start

test: install messages
	scripts/ensure-chromium.sh
	$(BIN)/python -m tests.browser.axe
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(MAKE) --no-print-directory audit

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

stop-db: install
	$(BIN)/python -m config.embedded_pg stop

# Benchmarks (see docs/performance.md): `make bench` runs them all in turn at their default
# sizes (10,000 zones: many minutes); `make bench-finder BENCH_ARGS="--zones 200 --fresh"`
# runs one. Each works in its own <database>_bench* database, never in DATABASE_URL's.
BENCHES := readiness import_jobs finder dashboards aggregates delivery allotment plots
BENCH_ARGS ?=
.PHONY: $(BENCHES:%=bench-%)

bench: install
	set -e; for name in $(BENCHES); do echo "== bench/$$name.py"; $(BIN)/python bench/$$name.py; done

$(BENCHES:%=bench-%): bench-%: install
	$(BIN)/python bench/$*.py $(BENCH_ARGS)

# Lighthouse's mobile audit of /, a province, /delivery/ and a zone page in English and Urdu,
# served as in production (docs/performance.md); needs npm and Chromium; not part of `make bench`.
.PHONY: bench-lighthouse
bench-lighthouse: install
	$(BIN)/python bench/lighthouse.py $(BENCH_ARGS)

# plotly.js with only the trace types our charts draw (static/plotly/, built from the npm package
# by scripts/plotly-bundle/ with pinned versions), then its CSS for the Content Security Policy.
# `make plotly-bundle-check` fails unless a fresh build equals the committed file.
.PHONY: plotly-bundle plotly-bundle-check
plotly-bundle: install
	scripts/plotly-bundle/build.sh
	$(BIN)/python scripts/plotly_css.py

plotly-bundle-check:
	scripts/plotly-bundle/build.sh --check

# Known vulnerabilities in the installed packages (pip-audit). Fails on a vulnerability; an
# unreachable vulnerability service is reported as "AUDIT INCOMPLETE" and passes unless
# AUDIT_STRICT=1. See docs/reliability.md.
audit: install
	$(BIN)/python scripts/audit.py

# The long fuzzing run: many more schemathesis cases and hypothesis examples than `make test`,
# drawn at random (hypothesis profile "fuzz"; `make test` runs the deterministic "ci" one).
fuzz: install
	FUZZ_API_EXAMPLES=2000 FUZZ_IMPORT_EXAMPLES=500 HYPOTHESIS_PROFILE=fuzz \
		$(BIN)/python -m pytest tests/fuzz -q $(PYTEST_ARGS)
