# Newsroom: `make run` to serve the demo, `make test` to run the suite.
# `make help` lists every target.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The settings read it too: SITE_URL (links in mails, feeds) follows it.
export PORT
STAMP := $(VENV)/.installed
# The PostgreSQL + Redis lane (`make test-postgres`). pytest-django creates and
# drops its own test_<name> database; Redis database 15 keeps test runs (which
# flush their cache database) away from a development cache on database 0.
PG_HOST ?= 127.0.0.1
PG_DATABASE ?= newsroom
PG_DATABASE_URL ?= postgres://postgres@$(PG_HOST):5432/$(PG_DATABASE)
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: help run test test-postgres test-e2e test-standards test-deploy test-edge varnish bench services lint demo migrate install clean

help:
	@echo "make run            install, migrate, load the demo newsroom and serve it on :$(PORT) (with the mail worker)"
	@echo "make test           the whole suite on SQLite and the in-process cache"
	@echo "make test-postgres  the whole suite on PostgreSQL + Redis (starts them if needed)"
	@echo "make test-e2e       real-browser journeys and axe-core checks in headless Chromium"
	@echo "make test-standards every public page type through the W3C Nu HTML Checker (Java)"
	@echo "make test-deploy    nginx + gunicorn from deploy/ on loopback: uploads, readers, probes, logs"
	@echo "make test-edge      Varnish from deploy/varnish/ in front of gunicorn: shared copies, pass-through, purges"
	@echo "make services       start PostgreSQL and Redis on 127.0.0.1 if they are not running"
	@echo "make lint           ruff, the import contracts (lint-imports) and a check for missing migrations"
	@echo "make bench          benchmark 100,000 articles under gunicorn + wrk (ARGS=--quick: 5,000, ~3 min; --proxy-only: Varnish rows)"
	@echo "make clean          remove the virtualenv and var/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall whenever requirements.txt changes.
$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# The task worker (it sends the mail) runs beside the server; Ctrl-C stops both.
run: demo
	@echo "Serving the demo newsroom on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "The task worker (mail) runs alongside: manage.py db_worker"
	@$(BIN)/python manage.py db_worker --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest

# The real-browser journeys (tests/e2e): Debian's Chromium, installed here when
# missing (never a browser download), axe-core from npm at the version the lock
# file names, then pytest starts the project under gunicorn on a free port.
# A failure leaves screenshots and HTML in test-artifacts/e2e/.
test-e2e: install
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	@command -v npm >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	@node -e "const want = require('./package-lock.json').packages['node_modules/axe-core'].version; \
		let have = ''; try { have = require('./node_modules/axe-core/package.json').version; } catch (error) {} \
		process.exit(want === have ? 0 : 1)" || npm ci --no-audit --no-fund
	$(BIN)/python -m pytest -m e2e tests/e2e

# Every public page type through the W3C Nu HTML Checker (tests/standards):
# vnu.jar from npm at the version the lock file names (npm ci when it is
# missing or another version), run on Java. No java or npm: the lane fails.
test-standards: install
	@node -e "const want = require('./package-lock.json').packages['node_modules/vnu-jar'].version; \
		let have = ''; try { have = require('./node_modules/vnu-jar/package.json').version; } catch (error) {} \
		process.exit(want === have ? 0 : 1)" 2>/dev/null \
		|| if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	$(BIN)/python -m pytest -m standards tests/standards

# The deployment recipe itself (tests/deploy): deploy/nginx/newsroom.conf,
# rendered for a temporary folder and a free loopback port, as a foreground
# nginx in front of gunicorn started with deploy/gunicorn.conf.py and the
# production settings. nginx comes from Debian when missing.
test-deploy: install
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update && apt-get install -y nginx)
	$(BIN)/python -m pytest -m deploy tests/deploy

# Varnish and its modules (xkey) from Debian when missing: the edge lane and the
# benchmark run the shipped VCL (started by devtools/varnish.py).
varnish:
	@(command -v varnishd >/dev/null || test -x /usr/sbin/varnishd) \
		&& find /usr/lib -name libvmod_xkey.so 2>/dev/null | grep -q . \
		|| (apt-get update && apt-get install -y varnish varnish-modules)

# The reverse proxy cache (tests/edge): deploy/varnish/newsroom.vcl, its backend
# pointed at the lane's gunicorn socket, as a foreground varnishd with its own
# work folder on a free loopback port, purged by the app.
test-edge: install varnish
	$(BIN)/python -m pytest -m edge tests/edge

services:
	@pg_isready -q -h $(PG_HOST) || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | sort -V | tail -1) main start
	@for attempt in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h $(PG_HOST) && break; sleep 1; done; pg_isready -h $(PG_HOST)
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for attempt in 1 2 3 4 5 6 7 8 9 10; do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done; redis-cli -h 127.0.0.1 ping
	@psql -h $(PG_HOST) -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(PG_DATABASE)'" | grep -q 1 \
		|| psql -h $(PG_HOST) -U postgres -c 'CREATE DATABASE "$(PG_DATABASE)"'

test-postgres: install services
	DATABASE_URL=$(PG_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python -m pytest

# Generates its own databases (var/bench-*.sqlite3, or BENCH_DATABASE_URL), serves
# them with gunicorn and the production settings (some rows through Varnish in
# front), and writes bench/RESULTS.md.
bench: install varnish
	@command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(BIN)/python bench/run.py $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var
