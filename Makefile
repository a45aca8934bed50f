# The README's two commands (`make demo`, `make test`) plus bench and lint. Each target installs uv with pip
# when it is missing and runs everything through `uv run`, so a fresh machine needs nothing else.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := $(shell python3 -m pip install -q uv >/dev/null 2>&1; command -v uv || echo "python3 -m uv")
endif
PYTEST_ARGS ?=

.PHONY: sync demo test bench lint format

sync:
	$(UV) sync --frozen

demo: sync
	$(UV) run gongkai demo

test: sync
	$(UV) run pytest -q -n 2 -p no:cacheprovider $(PYTEST_ARGS)

bench: sync
	$(UV) run python -m bench

lint: sync
	$(UV) run ruff check src tests bench
	$(UV) run ruff format --check src tests bench
	$(UV) run mypy

format: sync
	$(UV) run ruff format src tests bench
	$(UV) run ruff check --fix src tests bench
