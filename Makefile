# ZI Tracker: one entry point for people and CI.
#   make run     set everything up and run the app (web + Celery worker with beat) on SQLite;
#                HOST=0.0.0.0 PORT=8011 serves the LAN on another port (ZI_SITE_URL follows)
#   make test    the whole test suite (uses DATABASE_URL / REDIS_URL when set)
#   make bench   the benchmarks (print ratios measured in one run)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run install setup test bench lint messages check-deploy clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when the pins change.
$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Database, bundled data (frameworks, survey instruments) and the demo world when empty.
setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_bundled_data
	$(PY) manage.py seed_demo --if-empty

run: setup
	@bin/run-dev "$(PY)" "$(HOST)" "$(PORT)"

# Test processes in parallel (pytest-xdist): one per CPU, at most 4; TEST_JOBS=0 runs in one.
TEST_JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 4 ] && n=4; echo $$n)

test: install
	$(PY) -m pytest -p tests.parallel -n $(TEST_JOBS) --dist worksteal $(PYTEST_ARGS)

bench: install
	$(PY) -m tests.bench

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

messages: install
	$(PY) manage.py makemessages --locale id --locale en --ignore "$(VENV)/*" --ignore "static/vendor/*" --no-obsolete
	$(PY) manage.py compilemessages --ignore "$(VENV)/*"

clean:
	rm -rf var staticfiles .pytest_cache
