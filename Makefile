# Everything a fresh machine with Python 3 and make needs: `make test`, `make demo`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install lint typecheck verifytypes pytest test demo bench clean

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
	PYTHONPATH=$(CURDIR) $(BIN)/pyright --verifytypes typedchannels --ignoreexternal

pytest: install
	$(BIN)/pytest

test: lint typecheck verifytypes pytest

demo: install
	$(BIN)/python -m examples.hello

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
