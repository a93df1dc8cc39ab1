# The two commands of the README: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
export UV_LINK_MODE ?= copy
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/samordna
REDIS_URL ?= redis://127.0.0.1:6379/0
# The tests start a Redis of their own per process (tests/conftest.py); this one is only
# what the settings read at import.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# Both cores: pytest-xdist, each worker with its own test database, Redis and Celery worker.
PYTEST_WORKERS ?= 2
export DATABASE_URL
# uv from PyPI, run through the interpreter so a fresh PATH (or pyenv shim) does not matter.
UV := python3 -m uv

.PHONY: setup run test test-fast lint bench bench-editor bench-hosts

setup:
	@bash scripts/system-deps.sh
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@# Bytecode written now, for the installed packages and this repository's own modules: with
	@# PYTHONDONTWRITEBYTECODE set (as on these machines and in the Dockerfile) every Python process
	@# would compile Django and the rest from source again (manage.py check 11.5 s -> 4-5 s; two
	@# test files that start Celery, beat and gunicorn processes 88 s -> 60 s).
	@$(UV) sync --frozen --quiet --compile-bytecode
	@$(UV) run --frozen python -m compileall -q -j 0 config board minutes finance interventions bench tests scripts manage.py >/dev/null
	@# Node.js packages (package.json, for the tests' OpenID Provider), from the lockfile, when it changed.
	@[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --silent

run: setup
	@$(UV) run --frozen python scripts/ensure_db.py
	@$(UV) run --frozen python manage.py migrate --no-input
	@$(UV) run --frozen python manage.py create_dev_certificate
	@$(UV) run --frozen python manage.py load_demo
	@REDIS_URL=$(REDIS_URL) bin/dev

lint:
	@$(UV) run --frozen ruff check .
	@$(UV) run --frozen mypy config board minutes finance interventions
	@$(UV) run --frozen lint-imports --no-cache
	@$(UV) run --frozen python manage.py makemigrations --check --dry-run >/dev/null || (echo "Missing migrations: run manage.py makemigrations" && exit 1)

test: setup lint
	@REDIS_URL=$(TEST_REDIS_URL) FAST_PASSWORD_HASHER=true DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(UV) run --frozen pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The suite without the tests that start a Celery worker or a browser (marked in tests/conftest.py).
test-fast: setup lint
	@REDIS_URL=$(TEST_REDIS_URL) FAST_PASSWORD_HASHER=true DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(UV) run --frozen pytest -n $(PYTEST_WORKERS) -m "not browser and not worker" $(PYTEST_ARGS)

# The minutes editor's benchmark (bench/editor_bench.py): editor page, one autosave and the
# preview of a 40-paragraph meeting next to the bare view, in one run, on DATABASE_URL (it adds
# an association of its own there). More: `make bench-editor BENCH_ARGS="--runs 50 --paragraphs 5,40"`.
bench-editor: setup
	@$(UV) run --frozen python scripts/ensure_db.py
	@FAST_PASSWORD_HASHER=true $(UV) run --frozen python bench/editor_bench.py $(BENCH_ARGS)

# Speed (README "Benchmarks"): builds the bench dataset once (72 associations x 10 years, in
# BENCH_DATABASE_URL's database, reused after), then prints in one run every row as a ratio to
# the bare view: the public pages under load through gunicorn with the page cache on and off
# (bench/public_bench.py), the public API's lists at page 1 and page 1,000
# (bench/api_depth.py), the minutes editor at 3 and 40 paragraphs (bench/editor_bench.py)
# and the budget page at 18 and 300 lines (bench/finance_report.py); the public pages in
# process too (bench/public_inprocess.py: a search's server time).
# Each script also leaves its figures in BENCH_RESULTS (bench/results.py), emptied first, and
# bench/targets.py ends the run with every target of issue 18 against them: met or not.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/samordna_bench
BENCH_RESULTS ?= $(CURDIR)/var/bench
bench: export BENCH_RESULTS := $(BENCH_RESULTS)
bench: setup
	@rm -rf $(BENCH_RESULTS)
	@DATABASE_URL=$(BENCH_DATABASE_URL) $(UV) run --frozen python scripts/ensure_db.py
	@DATABASE_URL=$(BENCH_DATABASE_URL) $(UV) run --frozen python manage.py migrate --no-input -v0
	@DATABASE_URL=$(BENCH_DATABASE_URL) $(UV) run --frozen python manage.py bench_data --if-missing
	@DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(REDIS_URL) $(UV) run --frozen python bench/public_bench.py $(BENCH_ARGS)
	@DATABASE_URL=$(BENCH_DATABASE_URL) $(UV) run --frozen python bench/public_inprocess.py --runs 40
	@DATABASE_URL=$(BENCH_DATABASE_URL) $(UV) run --frozen python bench/api_depth.py
	@DATABASE_URL=$(BENCH_DATABASE_URL) FAST_PASSWORD_HASHER=true $(UV) run --frozen python bench/editor_bench.py --paragraphs 3,40 --runs 15
	@DATABASE_URL=$(BENCH_DATABASE_URL) FAST_PASSWORD_HASHER=true $(UV) run --frozen python bench/finance_report.py
	@$(UV) run --frozen python bench/targets.py

# Several hosts (README "One machine or several", bench/multihost.py): the public rows through
# HAProxy with two web nodes and one, reading the standby and the primary, on a copy of the
# bench dataset in a cluster of network namespaces (root). Build the dataset with `make bench` first.
bench-hosts: setup
	@DATABASE_URL=$(BENCH_DATABASE_URL) FAST_PASSWORD_HASHER=true $(UV) run --frozen python bench/multihost.py $(BENCH_ARGS)
