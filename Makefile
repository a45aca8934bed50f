# The README's two commands (`make demo`, `make test`) plus bench and lint. Each target installs uv with pip
# when it is missing and runs everything through `uv run`, so a fresh machine needs nothing else.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := $(shell python3 -m pip install -q uv >/dev/null 2>&1; command -v uv || echo "python3 -m uv")
endif
PYTEST_ARGS ?=

.PHONY: system-deps sync demo test bench lint format

system-deps:
	@scripts/system-deps.sh

sync: system-deps
	$(UV) sync --frozen

demo: sync
	$(UV) run gongkai demo

# The ledger tests (everything that touches the database) run on SQLite and then again on a throwaway
# PostgreSQL cluster when the Debian package is installed (.ci/run installs it).
LEDGER_TESTS ?= tests/core tests/org tests/workbench tests/publications tests/inforequests tests/appeals tests/engagement tests/responsiveness tests/search tests/reporting tests/portal tests/grid

test: sync
	$(UV) run pytest -q -n 2 -p no:cacheprovider $(PYTEST_ARGS)
	@if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
	  echo "== ledger tests on PostgreSQL =="; \
	  url=$$(GONGKAI_PG_DIR=/tmp/gongkai-pg-test scripts/pg-throwaway.sh start) || exit 1; \
	  DATABASE_URL=$$url $(UV) run pytest -q -n 2 -p no:cacheprovider -m "not browser" $$(ls -d $(LEDGER_TESTS) 2>/dev/null) $(PYTEST_ARGS); \
	  rc=$$?; GONGKAI_PG_DIR=/tmp/gongkai-pg-test scripts/pg-throwaway.sh stop; exit $$rc; \
	else \
	  echo "PostgreSQL not installed: ledger tests ran on SQLite only (apt-get install postgresql)"; \
	fi

bench: sync
	$(UV) run python -m bench

# check_architecture: import directions and app cycles, module/function sizes, statutory labels spelled
# only in annual_report/formats.py (issue 10); its allow-lists are at the top of the script.
lint: sync
	$(UV) run ruff check src tests bench scripts
	$(UV) run ruff format --check src tests bench scripts
	$(UV) run mypy
	$(UV) run python scripts/check_architecture.py

format: sync
	$(UV) run ruff format src tests bench scripts
	$(UV) run ruff check --fix src tests bench scripts
