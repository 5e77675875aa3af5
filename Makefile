# The two commands of the README: `make run` and `make test`. Each does all of its own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test check build bench bench-tools clean system-packages

# Exact versions from requirements.lock (pyproject.toml declares compatible ranges); the package itself on top.
$(STAMP): pyproject.toml requirements.lock node_modules/.installed
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Front-end libraries from the npm registry, exactly as package-lock.json pins them; served by the app.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

build: $(STAMP)
	$(BIN)/spacegraph build

run: build
	$(BIN)/spacegraph serve --host $(HOST) --port $(PORT)

# From Debian's packages: headless Chromium for the browser tests (Playwright drives the system browser), and
# Virtuoso Open Source for the tests of the store on a SPARQL server; libseccomp for the query process's
# network barrier (present on Debian, as apt needs it).
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="chromium"; \
	command -v virtuoso-t >/dev/null || missing="$$missing virtuoso-opensource-7-bin"; \
	ldconfig -p | grep -q libseccomp.so.2 || missing="$$missing libseccomp2"; \
	if [ -n "$$missing" ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; fi

check: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy src

test: system-packages check
	$(BIN)/pytest -n auto

# The benchmarks' load generator (bench/wrk.py): wrk, from Debian's packages. Not needed by `make run` or `make test`.
bench-tools:
	@command -v wrk >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk)

bench: $(STAMP) bench-tools
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
