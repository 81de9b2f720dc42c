# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data
PORT ?= 8866
OUT ?= snapshot

.PHONY: install install-test browser serve test lint snapshot validate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test browser

# Debian's Chromium drives the browser tests (Playwright's own download does not work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium chromium-driver >/dev/null; fi; }

validate: install
	$(BIN)/timeline validate $(DATA)

serve: install
	$(BIN)/timeline validate $(DATA)
	$(BIN)/timeline serve $(DATA) --port $(PORT)

snapshot: install
	$(BIN)/timeline snapshot $(DATA) -o $(OUT)

test: install-test
	$(BIN)/ruff check timeline tests benchmarks
	$(BIN)/python -m pytest -q

lint: install-test
	$(BIN)/ruff check timeline tests benchmarks

bench: install-test
	$(BIN)/python benchmarks/bench_load.py

clean:
	rm -rf $(VENV) .pytest_cache snapshot
