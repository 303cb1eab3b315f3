# The two commands of the README:
#   make run   — install everything, migrate, load demo data, serve on http://127.0.0.1:8000
#   make test  — install everything and run the whole test suite
PY := .venv/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: setup run test lint migrate demo worker beat bench

setup:
	./scripts/setup.sh

migrate: setup
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py runserver $(HOST)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

worker:
	.venv/bin/celery -A presidium worker --loglevel=INFO

beat:
	.venv/bin/celery -A presidium beat --loglevel=INFO
