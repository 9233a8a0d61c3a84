# Everything runs from a project-local virtual environment, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: install chat run test test-fast lint types bench clean postgres

# The tests start a throwaway PostgreSQL (tests/support/postgres.py) from Debian's package.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml constraints-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]' -c constraints-dev.txt
	touch $(STAMP) $@

install: $(STAMP)

chat: $(STAMP)
	$(BIN)/medfaq chat

run: $(STAMP)
	$(BIN)/medfaq run

lint: $(TEST_STAMP)
	$(BIN)/ruff check bot bench tests scripts
	$(BIN)/ruff format --check bot bench tests scripts
	$(BIN)/lint-imports

types: $(TEST_STAMP)
	$(BIN)/mypy

postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "installing PostgreSQL for the tests (Debian's postgresql package)"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	fi

test: lint types postgres
	$(BIN)/medfaq check knowledge
	$(BIN)/python -m pytest

# The inner loop: unit tests only (no end-to-end client, no subprocesses of the bot).
test-fast: $(TEST_STAMP) postgres
	$(BIN)/python -m pytest -m "not e2e and not slow" -x

bench: $(STAMP)
	$(BIN)/medfaq bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
