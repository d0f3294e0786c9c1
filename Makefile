# kessan: two commands do everything on a fresh machine with Python 3.11.
#   make build      build, audit and publish the warehouse (warehouse/kessan.duckdb, parquet/, manifest.json)
#   make test       everything that proves the project: lint, the build, dbt's unit tests, Python tests, docs and report
# After `make build`:
#   make docs       the dbt docs site, one offline file: build/docs/index.html
#   make report     the results report, one offline file: build/report/index.html
#   make rollback   publish the previous generation again (run twice: undone)
# Not a test:
#   make bench      the scale benchmark: 1 to 10,000 synthetic companies x 40 quarters
# Apache Spark (its own venv, .venv-spark; needs Java 17):
#   make build-spark  the same models on a local Spark (dbt-spark, session mode), compared with DuckDB's
#   make test-spark   build-spark, then the test that a wrong figure makes it fail (CI runs it after make test)
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false

# The published warehouse that `make docs` and `make report` read (read-only), as profiles.yml names it.
WAREHOUSE := $(or $(KESSAN_DB_PATH),warehouse/kessan.duckdb)

.PHONY: build test lint pytest unit docs report clean lock venv warehouse-exists rollback bench build-spark venv-spark \
	java chromium lock-spark test-spark

# $(call provide,COMMAND,DEBIAN PACKAGE,WHAT NEEDS IT): a Debian package the tests need, installed when its
# command is missing. As root (CI, a container) it runs `apt-get update` once, then installs the package;
# otherwise it stops at once, before any test, printing the one command to run.
define provide
@command -v $(1) >/dev/null 2>&1 || { \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "$(1) not found ($(3)): installing Debian's $(2)"; \
    mkdir -p /usr/share/man/man1; \
    export DEBIAN_FRONTEND=noninteractive; \
    apt-get update -q >/dev/null && apt-get install -y -q $(2) >/dev/null || \
      { echo "error: apt-get install $(2) failed"; exit 1; }; \
    command -v $(1) >/dev/null || { echo "error: $(2) installed no $(1) command"; exit 1; }; \
  else \
    echo "error: $(1) not found ($(3)). Install it, then run make again:"; \
    echo "  sudo apt-get update && sudo apt-get install -y $(2)"; \
    exit 1; \
  fi; }
endef

# The venv is rebuilt whenever the pinned requirements change. node_modules/ holds the pinned scripts
# the Great Expectations Data Docs load (package-lock.json), so the Data Docs work offline.
$(STAMP): requirements.txt package-lock.json
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (kessan needs Python 3.11)"; exit 1; }
	@echo "venv: $(VENV) from requirements.txt ($$(grep -c '==' requirements.txt) pinned packages; minutes the first time)"
	@started=$$(date +%s); \
	$(PYTHON) -m venv $(VENV); \
	$(BIN)/pip install --progress-bar off --requirement requirements.txt | grep --line-buffered -v '^  '; \
	if command -v npm >/dev/null; then \
	  echo "venv: node_modules/ from package-lock.json (the Data Docs' scripts, offline)"; \
	  npm ci --ignore-scripts --no-audit --no-fund --legacy-peer-deps --loglevel=error; \
	else echo "note: npm not found: the Data Docs will load their scripts from CDNs"; fi; \
	touch $(STAMP); \
	echo "venv: ready in $$(( $$(date +%s) - started )) s"

venv: $(STAMP)

build: $(STAMP)
	$(BIN)/python -m kessan build

rollback: $(STAMP)
	$(BIN)/python -m kessan rollback

lint: $(STAMP)
	$(BIN)/ruff check kessan python_tests lint
	$(BIN)/ruff format --check kessan python_tests lint
	$(BIN)/sqlfluff lint --processes 0 models tests analyses
	$(BIN)/yamllint --strict .

pytest: $(STAMP)
	$(BIN)/python -m pytest --durations=12

# The phases, stopping after the first that fails, then one line per phase with its wall time. Lint runs
# alongside the build (the build's dbt and Great Expectations keep about one core busy); dbt's unit tests, the
# docs and the report read the published warehouse only, so they run alongside pytest (which writes nothing of
# the project's). The build's output is kept in build/build_output.txt: pytest copies this build instead of
# making its own when it is a build of the sources as they are (python_tests/builds.py, reusable_build).
test: chromium $(STAMP)
	@mkdir -p build
	@$(BIN)/python -m kessan phases --label "make test" \
	  build='$(MAKE) --no-print-directory build 2>&1 | tee build/build_output.txt' \
	  +lint='$(MAKE) --no-print-directory lint' \
	  pytest='$(MAKE) --no-print-directory pytest' +unit='$(MAKE) --no-print-directory unit' \
	  +docs='$(MAKE) --no-print-directory docs' +report='$(MAKE) --no-print-directory report'

# dbt's unit tests, on the published warehouse read-only (their inputs are fixed: `make build` leaves them out,
# kessan/build.py; plain `dbt build` runs them). Artifacts in target/unit/, so that target/ keeps the build's.
unit: $(STAMP) warehouse-exists
	DBT_TARGET=readonly $(BIN)/dbt test --select "test_type:unit" --quiet --target-path target/unit

warehouse-exists:
	@test -f $(WAREHOUSE) || { echo "error: no warehouse at $(WAREHOUSE): run make build first"; exit 1; }

# `--static` inlines the manifest and catalog into one HTML file that opens from disk, with no server and
# no network (target/docs/index.html would fetch them, which browsers refuse from file://). The read-only
# target never takes the warehouse's write lock. Its artifacts go to target/docs/, so that target/ keeps the
# build's (its saved parse, the semantic manifest mf reads).
docs: $(STAMP) warehouse-exists
	DBT_TARGET=readonly $(BIN)/dbt docs generate --static --quiet --target-path target/docs
	mkdir -p build/docs && cp target/docs/static_index.html build/docs/index.html
	@echo "docs: build/docs/index.html (open it in a browser; it needs no server and no network)"

report: $(STAMP) warehouse-exists
	$(BIN)/python -m kessan report --db $(WAREHOUSE)

# Not a test: N synthetic companies x 40 quarters for N in 1, 100, 1,000, 10,000; prints the table (kessan/dev/bench.py).
bench: $(STAMP)
	$(BIN)/python -m kessan bench

# The Spark venv (requirements-spark.txt): dbt-spark with a local PySpark, and dbt-duckdb for the comparison.
SPARK_VENV := .venv-spark
SPARK_STAMP := $(SPARK_VENV)/.installed
$(SPARK_STAMP): requirements-spark.txt
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (kessan needs Python 3.11)"; exit 1; }
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --quiet --requirement requirements-spark.txt
	touch $(SPARK_STAMP)

venv-spark: $(SPARK_STAMP)

# PySpark 3.5 runs on Java 17: Debian's openjdk-17-jre-headless, installed when `java` is missing.
java:
	$(call provide,java,openjdk-17-jre-headless,Spark runs on a Java 17 runtime)

# The Data Docs, docs site and report tests render their pages in headless Chromium.
chromium:
	$(call provide,chromium,chromium,the page tests render in headless Chromium)

# dbt build (seeds, models, data and unit tests) on the profile's `spark` target, then every mart compared
# with a DuckDB build of the same seeds (kessan/dev/spark_build.py).
build-spark: java $(SPARK_STAMP)
	$(SPARK_VENV)/bin/python -m kessan spark-build

# build-spark, then the test that a wrong figure makes build-spark fail and name it (python_tests/test_spark_build.py).
# Its two cases at once (`--dist load`: each builds its own copy of the project).
test-spark: $(STAMP) build-spark
	KESSAN_SPARK_TESTS=1 $(BIN)/python -m pytest --dist load python_tests/test_spark_build.py

lock-spark:
	rm -rf /tmp/kessan-lock-spark && $(PYTHON) -m venv /tmp/kessan-lock-spark
	/tmp/kessan-lock-spark/bin/pip install --quiet --requirement requirements-spark.in
	{ echo '# Generated by `make lock-spark` from requirements-spark.in (pip freeze of a fresh venv). Do not edit by hand.'; \
	  /tmp/kessan-lock-spark/bin/pip freeze | grep -v '^pip=='; } > requirements-spark.txt

lock:
	rm -rf /tmp/kessan-lock && $(PYTHON) -m venv /tmp/kessan-lock
	/tmp/kessan-lock/bin/pip install --quiet --requirement requirements.in
	{ echo '# Generated by `make lock` from requirements.in (pip freeze of a fresh venv). Do not edit by hand.'; \
	  /tmp/kessan-lock/bin/pip freeze | grep -v '^pip=='; } > requirements.txt

# Removes every published generation too (there is no rollback after it).
clean:
	rm -rf target logs build warehouse/spark warehouse/kessan.duckdb warehouse/*.wal warehouse/parquet warehouse/manifest.json \
	  warehouse/current warehouse/previous warehouse/releases warehouse/.staging warehouse/.build.lock
