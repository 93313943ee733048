# Partnership Tracker. `make run` serves the demo site; `make test` runs every check.
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-postgres lint format migrations-check chromium audit loadtest clean

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

install: $(VENV)/.installed

# Serve the demo site on http://127.0.0.1:8000 (SQLite, demo data loaded into an empty database).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddemo
	$(PY) manage.py runserver $(HOST):$(PORT)

# Headless Chromium for the browser tests, from the system's packages.
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else echo "The browser tests need Chromium: run 'sudo apt-get install chromium' and try again." >&2; exit 1; fi; \
	fi

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install chromium migrations-check lint
	$(VENV)/bin/pytest

# The same suite against PostgreSQL; DATABASE_URL must point at a role that may create databases.
test-postgres: install chromium
	@if [ -z "$$DATABASE_URL" ]; then echo "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://user:pass@127.0.0.1/partnership" >&2; exit 1; fi
	$(VENV)/bin/pytest

# Known vulnerabilities in the pinned packages (asks PyPI's advisory data).
audit: install
	$(PY) -m pip install --quiet --disable-pip-version-check pip-audit==2.10.1
	$(VENV)/bin/pip-audit --strict --requirement requirements.txt --requirement requirements-dev.txt

# 50 clients for 60 s against the production server on 127.0.0.1 (see README).
loadtest: install
	$(PY) manage.py loadtest --clients 50 --duration 60

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
