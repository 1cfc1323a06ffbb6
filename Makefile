# The two commands in the README: `make run` and `make test`.
# A virtual environment in .venv is created on first use and reinstalled only when
# pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-rules lint bench package clean translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/draftkeeper $(ARGS)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# the core, store, restore and command-line tests under Windows' and macOS' file rules,
# enforced on this system (tests/fsrules.py)
test-rules: $(STAMP)
	$(PY) -m pytest -q tests/core tests/cli --fs-rules windows $(PYTEST_ARGS)
	$(PY) -m pytest -q tests/core tests/cli --fs-rules macos $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check app tests bench packaging resources dev.py
	$(VENV)/bin/mypy
	$(VENV)/bin/actionlint -shellcheck $(VENV)/bin/shellcheck .github/workflows/*.yml

# extract the window's strings into resources/translations/*.ts (translations kept, new
# strings unfinished: the catalogue test fails until they are translated) and build the .qm
translations: $(STAMP)
	$(PY) packaging/translations.py

bench: $(STAMP)
	$(PY) bench/save.py
	$(PY) bench/cli.py

clean:
	rm -rf $(VENV) build dist *.egg-info bench/out/venv-cli

# A one-folder build for this platform in dist/draftkeeper, then its smoke test.
package: $(STAMP)
	$(PY) -m pip install -q 'pyinstaller>=6.5'
	$(VENV)/bin/pyinstaller packaging/draftkeeper.spec --distpath dist --workpath build -y --log-level WARN
	QT_QPA_PLATFORM=offscreen $(PY) packaging/smoke.py dist/draftkeeper
