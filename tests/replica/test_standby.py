"""Public reads from a real PostgreSQL hot standby (config/db_router.py): the test makes a
primary with initdb and a standby of it with pg_basebackup and streaming replication, on ports
of their own, gives the primary the test database's schema, and runs tests/replica/probe.py
against the two with the standby's replay paused, so that what a read returns says which
server answered it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"))[-1] / "bin"


def _as_postgres(*command: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def primary_and_standby(django_db_setup, django_db_blocker) -> Iterator[tuple[int, int]]:
    root = Path(tempfile.mkdtemp(prefix="samordna-pg-"))
    root.chmod(0o755)
    shutil.chown(root, "postgres")
    primary, standby = root / "primary", root / "standby"
    ports = free_port(), free_port()
    started: list[Path] = []
    try:
        _as_postgres(str(PG_BIN / "initdb"), "-D", str(primary), "-A", "trust", "-U", "postgres", "--no-sync")
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {ports[0]}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{root}'\n"
                       "fsync = off\nwal_level = replica\nmax_wal_senders = 4\n")
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(primary), "-l", str(root / "primary.log"), "-w", "start")
        started.append(primary)
        _as_postgres(str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres",
                     "-D", str(standby), "-R", "-X", "stream", "--no-sync")
        with (standby / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"port = {ports[1]}\nhot_standby = on\n")
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(standby), "-l", str(root / "standby.log"), "-w", "start")
        started.append(standby)
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres", "-q",
                        "-c", "CREATE DATABASE probe"], check=True, capture_output=True)
        db = settings.DATABASES["default"]  # the test database, as django_db_setup named it
        dump = subprocess.run(["pg_dump", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432),
                               "-U", db["USER"], "--no-owner", db["NAME"]], check=True, capture_output=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres", "-q", "-d", "probe",
                        "-v", "ON_ERROR_STOP=1"], input=dump.stdout, check=True, capture_output=True)
        yield ports
    finally:
        for data in reversed(started):
            subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(data),
                            "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.standby
@pytest.mark.django_db  # so that the test database exists (its schema is what the primary gets)
@pytest.mark.parametrize("cache_seconds", ["0", "120"])
def test_public_pages_read_from_the_standby_and_everything_else_from_the_primary(primary_and_standby, cache_seconds):
    """With the page cache on, a page rendered from the standby while it is behind must not be
    kept: the writer reading the primary, and everyone once the standby has caught up, would
    otherwise get the stale page from the cache (minutes/public/cache.py, WRITTEN_KEY)."""
    primary, standby = primary_and_standby
    redis = settings.REDIS_URL.rsplit("/", 1)[0] + "/7"  # not the queue the tests' worker takes
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary}/probe",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{standby}/probe",
        "REDIS_URL": redis, "PUBLIC_CACHE_SECONDS": cache_seconds, "DB_CONN_MAX_AGE": "0",
    }
    run = subprocess.run([sys.executable, str(ROOT / "tests" / "replica" / "probe.py")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen == {
        "board_from_standby": False,  # the standby has not replayed the notice yet
        "api_from_standby": False,
        "staff_page_from_primary": True,  # a page of the secretary's: the primary
        "board_after_own_post": True,  # read-your-writes: whoever posted reads the primary
        "public_read_outside_transaction": False,
        "read_in_transaction": True,  # inside a transaction: the primary
        "locking_read_in_transaction": True,
        "board_after_catching_up": True,
        "api_after_catching_up": True,
    }
