# Two commands for a new machine with Python 3.11+ and make:
#   make run   installs into .venv, migrates, seeds the demo and serves on 127.0.0.1:8000
#   make test  installs the test dependencies and runs the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench bench-http bench-public scale-test worker beat deploy-check \
	extraction-eval

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo --if-empty
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The benchmark needs PostgreSQL in a database of its own, e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimdesk_bench make bench
BENCH_CLAIMS ?= 1000000
bench: $(VENV)/.installed
	mkdir -p bench-results
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py bench --claims $(BENCH_CLAIMS) --json bench-results/bench.json

bench-http: $(VENV)/.installed
	mkdir -p bench-results
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python manage.py bench_http --workers 5 --connections 16 --seconds 15 \
		--json bench-results/bench-http.json

# The scale-out stack on this machine (scale/up.sh, README "Production"): Varnish, two app
# servers, two workers, a streaming replica, pgbouncer. Needs root and Debian's varnish,
# varnish-modules, pgbouncer and wrk; brought up, tested and torn down.
scale-test: $(VENV)/.installed-test
	scale/test.sh $(PYTEST_ARGS)

# wrk against a public claim page and a story page, through Varnish and from gunicorn.
bench-public: $(VENV)/.installed-test
	scale/bench.sh

# Precision, recall and F1 of extraction on the annotated corpus, failing below its floors.
extraction-eval: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py extraction_eval --check

# Listens on the default queue and on ingest (extraction); see docs/background-work.md.
worker: $(VENV)/.installed
	$(BIN)/celery -A config worker --queues=celery,ingest --loglevel=info --concurrency=2

beat: $(VENV)/.installed
	$(BIN)/celery -A config beat --loglevel=info

deploy-check: $(VENV)/.installed
	DJANGO_ENV=production SECRET_KEY=$${SECRET_KEY:-check-deploy-$$(date +%s)-a-long-random-enough-key-for-django} \
		ALLOWED_HOSTS=claimdesk.example $(BIN)/python manage.py check --deploy --fail-level WARNING
	# The hashed, compressed static files production serves through whitenoise.
	DJANGO_ENV=production SECRET_KEY=$${SECRET_KEY:-check-deploy-$$(date +%s)-a-long-random-enough-key-for-django} \
		ALLOWED_HOSTS=claimdesk.example $(BIN)/python manage.py collectstatic --noinput --verbosity 0
