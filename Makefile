# The two commands of the README: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
export UV_LINK_MODE ?= copy
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/samordna
REDIS_URL ?= redis://127.0.0.1:6379/0
# Tests get their own Redis database, so a running `make run` worker never takes their tasks.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
export DATABASE_URL

.PHONY: setup run test lint bench

setup:
	@bash scripts/system-deps.sh
	@command -v uv >/dev/null || python3 -m pip install --quiet uv
	@uv sync --frozen --quiet

run: setup
	@uv run --frozen python scripts/ensure_db.py
	@uv run --frozen python manage.py migrate --no-input
	@uv run --frozen python manage.py create_dev_certificate
	@uv run --frozen python manage.py load_demo
	@REDIS_URL=$(REDIS_URL) bin/dev

lint:
	@uv run --frozen ruff check .
	@uv run --frozen ruff format --check . >/dev/null || echo "ruff format: some files would be reformatted (not enforced)"
	@uv run --frozen python manage.py makemigrations --check --dry-run >/dev/null || (echo "Missing migrations: run manage.py makemigrations" && exit 1)

test: setup lint
	@REDIS_URL=$(TEST_REDIS_URL) FAST_PASSWORD_HASHER=true DJANGO_ALLOW_ASYNC_UNSAFE=true \
		uv run --frozen pytest $(PYTEST_ARGS)
