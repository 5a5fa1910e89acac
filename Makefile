# Two commands do all set-up on a fresh Debian machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/fazhi.duckdb
PORT ?= 8501
export BROWSER_PATH ?= /usr/bin/chromium
# The dashboard's memory allocator: jemalloc instead of glibc's malloc, which took ~16 % of
# a page query's time (perf: malloc, free and their consolidation); with jemalloc the pages'
# queries at 300k ran 9–18 % faster, 15 % at the median (bench/RESULTS.md).
# Expanded when a recipe runs, after system-packages has installed it.
JEMALLOC = $(shell ls /usr/lib/*-linux-gnu/libjemalloc.so.2 2>/dev/null | head -n 1)

.PHONY: run run-replica test load-test soak-test setup system-packages db bench bench-quick lock clean

# Debian packages the product needs: chromium renders chart images (Kaleido) and runs
# browser tests, fonts-noto-cjk draws Chinese in them; LibreOffice and poppler-utils let
# the tests open the Word and PowerPoint briefings as a reader would; nginx-light checks the
# deployment example (deploy/nginx-fazhi.conf); libjemalloc2 is the dashboard's allocator
# (JEMALLOC above); npm fetches the browser's Plotly bundle (below). Installed only when missing.
system-packages:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui libreoffice-impress-nogui"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	dpkg -s libjemalloc2 >/dev/null 2>&1 || missing="$$missing libjemalloc2"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade --require-hashes -r requirements.lock
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

# The browser's Plotly bundles, served by Streamlit from static/ (server.enableStaticServing):
# the cartesian one (1.5 MB, at the version package-lock.json pins) draws every chart but the
# map, which needs the full one (4.8 MB) that plotly.py ships. A browser evaluates the smaller
# one in half the time, and that evaluation was the first chart's largest wait (bench/RESULTS.md).
static/plotly-cartesian.min.js: package.json package-lock.json | system-packages
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	mkdir -p static
	cp node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js $@

static/plotly.min.js: $(VENV)/.installed
	mkdir -p static
	cp "$$($(PY) -c 'import pathlib, plotly; print(pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js")')" $@

setup: system-packages $(VENV)/.installed static/plotly-cartesian.min.js static/plotly.min.js

$(DB): | setup
	$(VENV)/bin/fazhi init --db $(DB)

db: $(DB)

# The database is published as a snapshot before the dashboard takes hold of it, so the
# read commands and replicas have one at once (the dashboard publishes after each write).
run: setup db
	$(VENV)/bin/fazhi snapshot --db $(DB)
	LD_PRELOAD=$(JEMALLOC) FAZHI_DB=$(DB) $(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.headless true

# A read-only replica on the newest snapshot of $(DB) (or FAZHI_SNAPSHOT_DIR); no 数据更新.
run-replica: setup
	LD_PRELOAD=$(JEMALLOC) FAZHI_DB=$(DB) FAZHI_REPLICA=1 $(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.headless true

# The layout is kept as the tests are: ruff and the one-way import layers
# (pyproject.toml [tool.importlinter]) fail the build before pytest runs.
test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q

# Operations checks, each bounded in time and on loopback only (README 运维).
load-test: setup
	LD_PRELOAD=$(JEMALLOC) CI=true $(PY) -m pytest -q -s -m load tests/browser/test_replicas_load.py

soak-test: setup
	LD_PRELOAD=$(JEMALLOC) CI=true $(PY) -m pytest -q -s -m soak tests/browser/test_soak.py

# The servers, pages and queries are measured on the allocator `make run` gives them.
bench: setup
	LD_PRELOAD=$(JEMALLOC) $(PY) -m bench --scales 10000,300000,3000000

bench-quick: setup
	LD_PRELOAD=$(JEMALLOC) $(PY) -m bench --scales 300000 --quick --out bench/quick

# Regenerate the lock after changing dependencies in pyproject.toml (needs uv).
lock:
	uv pip compile pyproject.toml --extra dev --extra build --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) $(DB) static node_modules
