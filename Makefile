# zone: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: WeasyPrint's rendering stack (Pango, HarfBuzz subsetting for fast, small PDFs), fonts.
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
# For tests: the browser Playwright drives, pdftoppm to read QR codes from rendered certificates, nginx in front
# of the app for the proxy tests (started by the tests themselves on 127.0.0.1), and pg_dump / pg_restore for the
# backup tests on PostgreSQL.
TEST_DEBS := chromium poppler-utils nginx postgresql-client
# npm installs axe-core (package-lock.json), which the browser tests inject into every page they photograph. A
# machine that has Node.js from elsewhere (its own npm bundled, no Debian package) keeps it: Debian's nodejs and
# npm are installed only when the npm command is missing.
NODE_DEBS := nodejs npm
# For benchmarks: wrk measures throughput (a slower Python client is used without it).
BENCH_DEBS := wrk

.PHONY: run test test-fast lock bench load cluster lint system-deps system-deps-test deps deps-dev translations db demo clean

# The address that certificates' QR codes, mails and links point at: the port served, unless set.
ZONE_BASE_URL ?= http://127.0.0.1:$(PORT)
RUN_FLASK := ZONE_BASE_URL=$(ZONE_BASE_URL) $(FLASK)

run: deps translations
	@mkdir -p instance
	$(RUN_FLASK) db upgrade
	$(RUN_FLASK) audit init-key
	$(RUN_FLASK) certificates init-signing
	$(RUN_FLASK) demo seed
	@echo "Serving $(ZONE_BASE_URL)  (Ctrl-C to stop; mail goes to instance/outbox/, the worker logs to instance/worker.log)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(RUN_FLASK) worker >>instance/worker.log 2>&1 & \
	  ZONE_BASE_URL=$(ZONE_BASE_URL) $(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 1 --threads 4 \
	    --access-logfile - wsgi:app

# Both passes always run, so one report shows everything; the target fails if either did. The PostgreSQL pass
# leaves out what does not depend on the database: the browser journeys and the HTML form fuzzing (pages reach
# the database only through the services that the API contract fuzzing drives on PostgreSQL too), the PDF
# sandbox, the generated API client, malformed JSON, the proxy, production and served-observability settings
# (their servers use SQLite files of their own), and the rate limits shared through Redis. It shares its tests out one by one (worksteal), so the long
# contract fuzzing file does not leave one core idle at the end.
# Measured here: SQLite pass 12.5 minutes (the browser journeys at two sizes with axe), PostgreSQL pass 9 minutes,
# `.ci/run` 22 minutes in all (29 Nov 2026).
NOT_DATABASE_BOUND = --ignore=tests/fuzz/test_forms.py --ignore=tests/fuzz/test_claim_forms.py \
	--ignore=tests/pdfcheck --ignore=tests/api/test_generated_client.py --ignore=tests/api/test_malformed_json.py \
	--ignore=tests/web/test_proxy.py --ignore=tests/web/test_production.py --ignore=tests/web/test_shared_limits.py \
	--ignore=tests/web/test_observability.py
test: deps-dev translations
	@status=0; \
	echo "== SQLite pass"; \
	$(BIN)/pytest -n 2 --dist loadfile || status=1; \
	if [ -n "$$ZONE_TEST_DATABASE_URL" ]; then \
	  echo "== PostgreSQL pass: $$ZONE_TEST_DATABASE_URL"; \
	  ZONE_TEST_BACKEND=postgresql $(BIN)/pytest -n 2 --dist worksteal -m "not browser" \
	    $(NOT_DATABASE_BOUND) || status=1; \
	fi; \
	exit $$status

# A quick local loop: SQLite only, without the browser journeys and the slow fuzzing; stops at the first failure.
test-fast: deps-dev translations
	$(BIN)/pytest -n 2 --dist loadfile -x -m "not browser and not slow"

bench: deps-dev translations
	@dpkg -s $(BENCH_DEBS) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BENCH_DEBS); }
	$(BIN)/python -m bench
	$(BIN)/python -m bench.notices
	$(BIN)/python -m bench.metrics
	$(BIN)/python -m bench.cooperation --write
	$(BIN)/python -m bench.sites

# `make load`: one app server; `make load MODE=cluster`: nginx + two app servers + worker + PostgreSQL + Redis + S3
# (bench/cluster.py, the README's production setup), with the checks only several servers can fail.
load: deps-dev translations system-deps-test
	@dpkg -s $(BENCH_DEBS) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BENCH_DEBS); }
	$(BIN)/python -m $(if $(filter cluster,$(MODE)),bench.cluster_load,bench.load)

# The production setup on this machine, serving until Ctrl-C: nginx (TLS) + two app servers + worker, sharing
# PostgreSQL (ZONE_BENCH_DATABASE_URL), Redis (ZONE_CLUSTER_REDIS_URL) and an S3 server.
cluster: deps-dev translations system-deps-test
	$(BIN)/python -m bench.cluster

lint: deps-dev
	$(BIN)/ruff check zone tests bench config.py wsgi.py

system-deps:
	@missing=""; for p in $(RUNTIME_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

system-deps-test: system-deps
	@missing=""; for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing $(NODE_DEBS)"; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The lock files pin every package, transitive ones too, with hashes; pip refuses anything else.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

# Recompile the lock files after changing requirements.in or requirements-dev.in (needs the package index).
lock: | $(BIN)/python
	$(BIN)/pip install -q uv==0.13.9
	$(BIN)/uv pip compile --quiet --python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes \
	  --no-header --output-file requirements.txt requirements.in
	$(BIN)/uv pip compile --quiet --python-version 3.11 --python-platform x86_64-manylinux_2_28 --generate-hashes \
	  --no-header --output-file requirements-dev.txt requirements-dev.in

deps: system-deps $(VENV)/.runtime

deps-dev: system-deps-test $(VENV)/.dev node_modules/axe-core/axe.min.js

# The browser tests' accessibility checker, exactly as package-lock.json pins it (integrity hashes); no install
# scripts run. Only the tests need it: `make run` does not.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

translations:
	@$(FLASK) i18n compile >/dev/null

clean:
	rm -rf $(VENV) instance .pytest_cache build node_modules
