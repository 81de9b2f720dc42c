# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data
PORT ?= 8866
OUT ?= snapshot
PUBLISHER ?=
BASE_URL ?=
AXE := tests/js/node_modules/axe-core/axe.min.js
ESLINT := tests/js/node_modules/.bin/eslint

.PHONY: install install-test browser fonts webfonts serve test lint snapshot site validate bench bench-long clean messages screenshots

# Python writes the bytecode of what it imports (.venv and __pycache__/, both ignored by git),
# even where the environment says not to: the install compiles nothing (--no-compile, below), so
# with PYTHONDONTWRITEBYTECODE set every process (each server, kernel and render, hundreds in
# make test) compiled pandas, plotly and Jupyter from source again. Measured on a fresh clone
# (tests/e2e/test_faults_data.py with tests/test_notebooks.py): 89 s and 45 s of CPU with it
# set, 49 s and 17 s without (once the first run had written the bytecode).
unexport PYTHONDONTWRITEBYTECODE

# The venv's own pip (ensurepip's) installs everything: upgrading it first cost ~17 s of a
# fresh clone's set-up and changed nothing.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# postBuild enables the save hook's server extension (an editable install skips pyproject's
# data-files); Binder runs the same file. --no-compile: Python compiles a module when it is
# first imported, so only the modules we use are compiled (pip compiling every installed file,
# plotly's thousands included, was more than half of a fresh clone's install time).
# uv (from PyPI, into the venv) resolves and installs: a fresh clone's `-e '.[test]'` took 5 s with
# uv's cache cold against 25 s with pip's warm (the same versions; uv compiles nothing either).
# Where uv cannot be had or fails (a mirror only pip is configured for), pip does it.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --no-compile
INSTALL = { $(BIN)/python -m pip install --quiet uv && \
  $(BIN)/uv pip install --quiet --python $(BIN)/python $(1); } || $(PIP_INSTALL) $(1)
$(VENV)/.installed: $(BIN)/python pyproject.toml postBuild
	$(call INSTALL,-e .)
	PATH="$(CURDIR)/$(BIN):$$PATH" ./postBuild
	touch $@

# The test set in one pip run (with the package's own dependencies, so a fresh clone resolves once).
$(VENV)/.installed-test: $(BIN)/python pyproject.toml postBuild
	$(call INSTALL,-e '.[test]')
	PATH="$(CURDIR)/$(BIN):$$PATH" ./postBuild
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test browser fonts $(AXE)

# axe-core for the browser tests' accessibility checks and ESLint for the page's script, pinned
# by tests/js/package-lock.json.
$(ESLINT): $(AXE)
$(AXE): tests/js/package.json tests/js/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed for axe-core in the browser tests: install Node.js and npm"; exit 1; }
	npm ci --prefix tests/js --no-audit --no-fund --silent
	touch $@

# Debian's Chromium drives the browser tests (Playwright's own download does not work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium chromium-driver >/dev/null; fi; }

# Debian's fonts for the share cards (timeline/publish/typeset.py FONT_STACK): Latin, Greek,
# Cyrillic, Arabic, Persian, Hebrew and more scripts in Noto; Chinese, Japanese, Korean in
# WenQuanYi Micro Hei; the verdicts' glyphs in DejaVu Sans.
FONT_PACKAGES := fonts-noto-core fonts-wqy-microhei fonts-dejavu-core
fonts:
	@missing=$$(for p in $(FONT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian's fonts for the share cards: $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $$missing >/dev/null; fi; fi

# The pages' Arabic-script font (timeline/views/static/fonts/, declared in timeline.css): Debian's
# Noto Sans Arabic cut to the Arabic-script blocks (views.assets.ARABIC_RANGE) as WOFF2. Run it only to
# update the font; the files are committed. Needs fonts-noto-core and brotli (make install-test).
WEB_FONTS := timeline/views/static/fonts
webfonts: fonts
	for w in Regular Bold; do $(BIN)/pyftsubset /usr/share/fonts/truetype/noto/NotoSansArabic-$$w.ttf \
	  --unicodes="$$($(BIN)/python -c 'from timeline.views.assets import ARABIC_RANGE as r; print(r.replace(" ", ""))')" \
	  --layout-features='*' --name-IDs='*' --name-languages='*' --notdef-outline --flavor=woff2 \
	  --output-file=$(WEB_FONTS)/NotoSansArabic-$$w.woff2; done

validate: install
	$(BIN)/timeline validate $(DATA)

serve: install
	$(BIN)/timeline validate $(DATA)
	$(BIN)/timeline serve $(DATA) --port $(PORT)

# make snapshot [DATA=data] [OUT=snapshot] [PUBLISHER="Name"] [BASE_URL=https://example.org/timeline/]
snapshot: install
	$(BIN)/timeline snapshot $(DATA) -o $(OUT) $(if $(PUBLISHER),--publisher "$(PUBLISHER)") $(if $(BASE_URL),--base-url "$(BASE_URL)")

# make site [DATA=data] [SITE=site] [PUBLISHER="Name"] [BASE_URL=https://example.org/timeline/]
# (DATA="data data-fa": editions of one story in several languages, README: Languages)
SITE ?= site
# The share cards need Debian's fonts (make fonts), as the tests do.
site: install fonts
	$(BIN)/timeline site $(DATA) -o $(SITE) $(if $(PUBLISHER),--publisher "$(PUBLISHER)") $(if $(BASE_URL),--base-url "$(BASE_URL)")

# make screenshots [DATA=data]: the README's screenshots (docs/img/*.png) from the microsite.
screenshots: install-test
	$(BIN)/python docs/screenshots.py --data $(DATA)

# Two pytest workers (pytest-xdist): a test file stays on one worker (its shared browser and
# servers are made once); the heavy files (tests/conftest.py HEAVY_FIRST) are handed out first,
# so none starts last while the other worker idles. TEST_WORKERS=0: one process.
TEST_WORKERS ?= 2
LINT_LOG := $(VENV)/lint.log
NODE_LOG := $(VENV)/node-test.log
# make lint runs beside the tests (the tests mostly wait for servers, kernels and Chromium;
# mypy's cold run takes 7-40 s of one core), and so do the page script's pure parts
# (timeline/views/static/timeline/) under Node's own test runner (~2 s that pytest no longer
# waits for): lint's output is shown when pytest is done, Node's report if it failed (pytest's
# summary stays the last test report), and make test fails if any failed.
test: install-test $(ESLINT)
	@$(MAKE) --no-print-directory lint > $(LINT_LOG) 2>&1 & lint=$$!; \
	node --test tests/js/unit/ > $(NODE_LOG) 2>&1 & node=$$!; \
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder; \
	tests=$$?; wait $$node; noded=$$?; wait $$lint; linted=$$?; \
	if [ $$noded -ne 0 ]; then echo "--- node --test tests/js/unit/ (run beside the tests):"; \
	  cat $(NODE_LOG); echo "Node's tests failed (above)"; \
	else echo "--- node --test tests/js/unit/ (run beside the tests): ok, its report in $(NODE_LOG)"; fi; \
	echo "--- make lint (run beside the tests):"; cat $(LINT_LOG); \
	if [ $$linted -ne 0 ]; then echo "make lint failed (above)"; fi; \
	[ $$tests -eq 0 ] && [ $$noded -eq 0 ] && [ $$linted -eq 0 ]

# ruff (lint and one format for the whole tree: `ruff format` fixes it), the architecture's import contracts (pyproject.toml [tool.importlinter]), mypy,
# strict on timeline/ (pyproject.toml [tool.mypy]), and ESLint on the page's script
# (tests/js/eslint.config.mjs).
lint: install-test $(ESLINT)
	$(BIN)/ruff check timeline tests benchmarks docs
	$(BIN)/ruff format --check timeline tests benchmarks docs
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(ESLINT) --config tests/js/eslint.config.mjs timeline/views/static/timeline tests/js

# make bench: every benchmark that fits in about 9 minutes on 2 busy cores (bench_dashboard starts
# servers and Chromium, about 6 of them); make bench-long: the load, soak and scale runs (an hour or more).
# Each prints its figures and writes them as JSON to $(BENCH_OUT)/<name>.json.
BENCH_OUT ?= bench-results

bench: install-test
	$(BIN)/python benchmarks/bench_load.py --json $(BENCH_OUT)/load.json
	$(BIN)/python benchmarks/bench_story.py --json $(BENCH_OUT)/story.json
	$(BIN)/python benchmarks/bench_snapshot.py --sizes shipped,1000 --runs 1 --json $(BENCH_OUT)/snapshot.json
	$(BIN)/python benchmarks/bench_dashboard.py --runs 3 --skip-culling --json $(BENCH_OUT)/dashboard.json

bench-long: install-test
	$(BIN)/python benchmarks/bench_readers.py --json $(BENCH_OUT)/readers.json
	$(BIN)/python benchmarks/bench_scale.py --json $(BENCH_OUT)/scale.json

# make messages: the kit's words extracted from our Python, templates and JavaScript (babel.cfg) into
# timeline/i18n/locales/timeline.pot, then merged into each language's .po. A new or changed message
# arrives untranslated (no fuzzy guess): tests/i18n/test_catalogues.py fails until every language has it.
LOCALES := timeline/i18n/locales
BABEL_KEYWORDS := -k N_ -k NP_:1c,2 -k NNP_:1c,2,3
messages: install
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --add-location=file --sort-by-file \
	  --add-comments=Translators: --project=timeline --copyright-holder="The timeline authors" \
	  -o $(LOCALES)/timeline.pot .
	$(BIN)/pybabel update -i $(LOCALES)/timeline.pot -d $(LOCALES) -D timeline --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache snapshot site $(BENCH_OUT)
