# The portal in two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# DEBUG defaults to off (production); the development targets turn it on unless told otherwise.
DEV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true}

# An interpreter >= 3.12: pyenv's shim honours .python-version; then python3.13, python3.12, python3.
PYTHON_BOOT := $(shell \
  for c in python3.12 python3.13 python3 python; do \
    p=$$(command -v $$c 2>/dev/null) || continue; \
    $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1 && { echo $$p; break; }; \
    if command -v pyenv >/dev/null 2>&1; then \
      for v in $$(pyenv versions --bare 2>/dev/null | sort -rV); do \
        q=$$(pyenv root)/versions/$$v/bin/python; \
        [ -x $$q ] && $$q -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1 && { echo $$q; exit 0; }; \
      done; \
    fi; \
  done)

.PHONY: help venv install migrate demo run serve backup restore web worker test test-fast lint typecheck precommit format check bench stop-db clean messages

help:
	@echo "make run    - cài đặt, tạo CSDL, nạp dữ liệu mẫu, chạy web + worker (set up and start everything)"
	@echo "make serve  - bố cục sản xuất trên một máy: gunicorn, worker theo hàng đợi, beat; DEBUG tắt (production layout)"
	@echo "make backup - sao lưu CSDL + tệp vào var/backups/<ngày> (backup); make restore BACKUP=<thư mục>"
	@echo "make test   - chạy toàn bộ bộ kiểm thử (run the whole test suite)"
	@echo "make lint   - ruff check + ruff format --check"
	@echo "make typecheck - mypy + django-stubs (strict on services and selectors)"
	@echo "make precommit - ruff, ruff-format, djhtml, django-upgrade over every file"
	@echo "make bench  - đo hiệu năng (benchmarks; BENCH_SCALE=small|full)"
	@echo "make stop-db - dừng PostgreSQL nhúng (stop the embedded PostgreSQL)"

$(PY):
	@if [ -z "$(PYTHON_BOOT)" ]; then \
	  echo "Cần Python >= 3.12 (need Python 3.12 or newer): cài python3.12 hoặc dùng pyenv." >&2; exit 1; fi
	@echo "Tạo môi trường ảo bằng $(PYTHON_BOOT)"
	$(PYTHON_BOOT) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PIP) install --disable-pip-version-check -q -r requirements.txt
	@touch $(STAMP)

venv install: $(STAMP)

migrate: $(STAMP)
	$(DEV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV) $(PY) manage.py seed_demo

run: demo
	@$(DEV) $(PY) scripts/run.py --host $(HOST) --port $(PORT)

# The production layout on one machine (deploy/Procfile under honcho), DEBUG off; see deploy/README.md.
serve: $(STAMP)
	@$(PY) scripts/serve.py --host $(HOST) --port $(PORT)

# One dated folder: pg_dump -Fc, the stored files, a manifest (sizes, SHA-256, row counts, money sums).
backup: $(STAMP)
	@$(DEV) $(PY) manage.py backup

# Into an empty database and storage: make restore BACKUP=var/backups/khuyencong-YYYYmmdd-HHMMSS
restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=<thư mục sao lưu>" >&2; exit 2; }
	@$(DEV) $(PY) manage.py restore "$(BACKUP)"

web: $(STAMP)
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

worker: $(STAMP)
	$(DEV) $(VENV)/bin/celery -A khuyencong worker -B -l info --pool solo

test: $(STAMP)
	$(VENV)/bin/pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(VENV)/bin/pytest -n $${PYTEST_WORKERS:-2} -m "not browser and not worker" $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy .

# ruff, ruff-format, djhtml and django-upgrade over the whole tree (.pre-commit-config.yaml).
precommit: $(STAMP)
	$(VENV)/bin/pre-commit run --all-files

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(STAMP)
	$(DEV) $(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore 'var/*'
	$(DEV) $(PY) manage.py compilemessages --ignore '.venv/*'

bench: $(STAMP)
	@# Throughput needs Debian's wrk; as root, install it when missing (else that part is skipped).
	@command -v wrk >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
	  (apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null 2>&1)) || true
	$(PY) benchmarks/run.py --scale $${BENCH_SCALE:-small}

stop-db: $(STAMP)
	$(DEV) $(PY) -c "from pathlib import Path; from core.embedded_postgres import stop_embedded_postgres as s; s(Path('var'))"

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
