# Everything a fresh machine with Python 3 and make needs: `make test`, `make demo`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install lint typecheck verifytypes stubtest catalogue pytest test test-oldest demo bench docs clean

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

# The run-time suite on the oldest supported Python and Django (3.10, 4.2).
OLDEST_PYTHON ?= python3.10
OLDEST_VENV ?= .venv-oldest
test-oldest:
	$(OLDEST_PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST_VENV)/bin/python -m pip install --quiet -e '.[test]' 'django>=4.2,<5.0'
	$(OLDEST_VENV)/bin/python -m pytest -p no:cacheprovider tests/unit tests/examples tests/e2e \
		--ignore=tests/unit/mypy

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
	rm -rf $(VENV) $(OLDEST_VENV) .mypy_cache .pytest_cache .ruff_cache site
