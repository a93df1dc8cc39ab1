"""Fault injection: a Redis server of the test's own that the test stops and starts, and
Celery workers on it that the test kills.

`redis_server` runs `redis-server` on a free port without persistence (tests/servers.py):
stopping it with SIGKILL loses every queued and unacknowledged message, as a broker restart
does in the issue. `on_own_redis` points this process at it (the page cache, the
Celery broker, /healthz); `start_worker()` starts a `celery worker` subprocess (prefork, one
pool process, so there is a pool process to kill) on it and the test database. Workers are
killed before the test's tables are flushed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from board.documents.models import RenderedDocument
from board.models import AuditEvent
from tests.conftest import ROOT, database_url_for_tests
from tests.servers import RedisServer, free_port, point_celery_at


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(port=free_port(), workdir=tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def on_own_redis(settings, redis_server) -> Iterator[RedisServer]:
    """This process (page cache, broker, /healthz) uses the test's own Redis; the page cache is on."""
    from config.celery import app

    # Read first: the app loads its configuration from the settings at its first use, and
    # must not take the overrides below for the session's own.
    before = (app.conf.broker_url, app.conf.result_backend)
    url = redis_server.url
    settings.REDIS_URL = url
    settings.CELERY_BROKER_URL = url
    settings.CELERY_RESULT_BACKEND = url
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}
    settings.PUBLIC_CACHE_SECONDS = 120
    point_celery_at(url, url)
    yield redis_server
    point_celery_at(*before)


@dataclass
class Worker:
    name: str
    proc: subprocess.Popen
    env: dict[str, str] = field(repr=False)

    def pool_processes(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def kill(self) -> None:
        """kill -9 of the whole worker: the main process and its pool processes."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


@pytest.fixture
def start_worker(transactional_db, on_own_redis, settings) -> Iterator[Callable[..., Worker]]:
    """Start `celery worker` subprocesses on the own Redis; all are killed at teardown (before
    the flush of the tables, as this fixture depends on transactional_db)."""
    from config.celery import app

    workers: list[Worker] = []

    def start(*, lease: int = 5, sweep: int = 1) -> Worker:
        name = f"faults-{os.getpid()}-{len(workers)}@{os.uname().nodename}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_tests(),
            "REDIS_URL": on_own_redis.url,
            "DB_CONN_MAX_AGE": "0",
            "DOCUMENT_LEASE_SECONDS": str(lease),
            "WORKER_SWEEP_SECONDS": str(sweep),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
             "--concurrency=1", "--loglevel=WARNING", "--without-heartbeat", "--without-mingle",
             "--without-gossip", f"--hostname={name}"],
            cwd=ROOT, env=env, start_new_session=True,
        )
        worker = Worker(name=name, proc=proc, env=env)
        workers.append(worker)
        # The broadcast of the ping does not reconnect by itself after a restart of the Redis.
        point_celery_at(on_own_redis.url, on_own_redis.url)
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5, destination=[name]):
            if proc.poll() is not None or time.monotonic() > deadline:
                worker.kill()
                raise RuntimeError(f"celery worker {name} did not start")
        return worker

    yield start
    for worker in workers:
        worker.kill()


def wait_for_status(document_id: int, status: str, timeout: float = 30) -> RenderedDocument:
    deadline = time.monotonic() + timeout
    while True:
        document = RenderedDocument.objects.get(pk=document_id)
        if document.status == status:
            return document
        if time.monotonic() > deadline:
            raise AssertionError(f"not {status} within {timeout} s: {document.status} {document.error!r}")
        time.sleep(0.05)


def issued(document: RenderedDocument) -> int:
    """How many times the document was issued (stored with its file)."""
    return AuditEvent.objects.filter(verb="document.issued", target_id=str(document.pk)).count()


@pytest.fixture
def producers():
    """The test producers (registered on import, found by the worker through their path)."""
    from tests.documents import producers as module

    return module
