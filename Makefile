# The two commands in the README: `make run` and `make test`.
# A virtual environment in .venv is created on first use and reinstalled only when
# pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench package clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/draftkeeper $(ARGS)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check app tests bench
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(PY) bench/save.py

clean:
	rm -rf $(VENV) build dist *.egg-info
