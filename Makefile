# Gongjian 共建 — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= county
PG_URL ?= postgres://postgres@127.0.0.1:5432/gongjian
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test setup lint bench system-deps postgres redis messages clean

## make run: set up, migrate the embedded SQLite database, load demo data, serve on 127.0.0.1:8000
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo --scale $(SCALE) --if-empty
	$(PY) manage.py demo_activity --if-empty
	@echo ""
	@echo "共建平台已启动：http://$(HOST):$(PORT)/  （按 Ctrl+C 停止）"
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: set up everything and run the whole suite (PostgreSQL and Chromium included)
test: setup system-deps postgres redis lint
	GONGJIAN_ENV=test DATABASE_URL=$(PG_URL) GONGJIAN_NO_SKIP=1 \
		$(VENV)/bin/pytest -n 2 --dist loadgroup -p no:cacheprovider --ignore=tests/jobs/test_distributed.py $(PYTEST_ARGS)
	# Two app servers and two Celery workers of the test's own: alone, so that the machine is theirs.
	GONGJIAN_ENV=test DATABASE_URL=$(PG_URL) GONGJIAN_NO_SKIP=1 \
		$(VENV)/bin/pytest -n 0 -p no:cacheprovider tests/jobs/test_distributed.py
	# The figures once differed on make run's embedded SQLite: cross-check them there too.
	env -u DATABASE_URL GONGJIAN_ENV=test GONGJIAN_NO_SKIP=1 \
		$(VENV)/bin/pytest -n 0 -p no:cacheprovider tests/portal/test_figures_crosscheck.py tests/portal/test_sqlite_functions.py

setup: $(VENV)/.installed node_modules/.installed messages

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(VENV)/.installed
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

system-deps:
	bash scripts/system-deps.sh

postgres:
	@bash scripts/ensure-postgres.sh

## redis: Redis on 127.0.0.1:6379 (installed from Debian and started where missing)
redis:
	@bash scripts/ensure-redis.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check gongjian tests bench
	$(VENV)/bin/mypy gongjian

bench: setup system-deps postgres redis
	$(PY) bench/bench_allocation.py
	$(PY) bench/bench_import.py
	$(PY) bench/bench_rounds.py
	$(PY) bench/bench_compliance.py
	$(PY) bench/bench_dashboard.py
	$(PY) bench/bench_dispatch.py
	$(PY) bench/bench_jobs.py

clean:
	rm -rf $(VENV) node_modules var staticfiles
