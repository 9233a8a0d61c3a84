# Everything runs from a project-local virtual environment, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: install chat run test lint types bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP) $@

install: $(STAMP)

chat: $(STAMP)
	$(BIN)/medfaq chat

run: $(STAMP)
	$(BIN)/medfaq run

lint: $(TEST_STAMP)
	$(BIN)/ruff check bot tests scripts
	$(BIN)/ruff format --check bot tests scripts

types: $(TEST_STAMP)
	$(BIN)/mypy

test: lint types
	$(BIN)/medfaq check knowledge
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/medfaq bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
