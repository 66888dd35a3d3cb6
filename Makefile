# Everything a fresh machine with Python 3 and make needs: `make test`, `make demo`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install lint typecheck verifytypes stubtest catalogue pytest test test-runtime test-oldest demo bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy
	$(BIN)/pyright

verifytypes: install
	# The venv first on PATH: verifytypes resolves imports with the python it finds there.
	PATH="$(CURDIR)/$(BIN):$$PATH" PYTHONPATH=$(CURDIR) $(BIN)/pyright --verifytypes typedchannels --ignoreexternal

# Our stubs for untyped packages must match those packages at run time.
stubtest: install
	MYPYPATH=stubs $(BIN)/python -m mypy.stubtest --ignore-missing-stub \
		--allowlist stubs/stubtest-allowlist.txt \
		$$(find stubs -mindepth 1 -maxdepth 1 -type d -printf '%f ')

# docs/typing.md's catalogue is generated from the typing tests: it must match.
catalogue: install
	$(BIN)/python scripts/typing_catalogue.py --check

pytest: install
	$(BIN)/pytest

test: lint typecheck verifytypes stubtest catalogue pytest

# The run-time suite (no type checkers) under another Python and Django:
#   make test-runtime RUNTIME_PYTHON=python3.13 RUNTIME_DJANGO=django
# test-oldest is Python 3.10 with Django 4.2, the oldest we support.
RUNTIME_PYTHON ?= python3.10
RUNTIME_DJANGO ?= django>=4.2,<5.0
RUNTIME_VENV ?= .venv-$(notdir $(RUNTIME_PYTHON))
test-runtime:
	$(RUNTIME_PYTHON) -m venv $(RUNTIME_VENV)
	$(RUNTIME_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(RUNTIME_VENV)/bin/python -m pip install --quiet -e '.[test]' '$(RUNTIME_DJANGO)'
	$(RUNTIME_VENV)/bin/python -m pytest -p no:cacheprovider tests/unit tests/examples tests/e2e \
		--ignore=tests/unit/mypy

test-oldest: test-runtime

# The chat demo (examples/chat): migrate its SQLite database, serve on 127.0.0.1:8000.
demo: install
	$(BIN)/python -m examples.chat

# The documentation site (docs/, API reference from docstrings); warnings fail it.
docs: install
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	$(BIN)/python -m mkdocs build --strict

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .venv-python* .mypy_cache .pytest_cache .ruff_cache site
