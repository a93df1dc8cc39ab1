"""A render whose worker dies comes back by itself within a minute, and is issued once.

Real workers on a real Redis of the test's own (tests/faults/conftest.py); the slow test
producer keeps its first attempt busy long enough to be killed.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from board.documents.models import RenderedDocument
from board.documents.services import document_request
from tests.conftest import wait_until_rendered
from tests.faults.conftest import issued, wait_for_status

pytestmark = pytest.mark.worker
Status = RenderedDocument.Status


def _request(org, kind: str = "test.slow") -> RenderedDocument:
    return document_request(kind=kind, target=org, version=1, organisation=org)


def test_a_render_whose_pool_process_is_killed_is_taken_over_by_its_redelivery_at_once(
    start_worker, org, producers, cleanup_files
):
    # A lease of a minute: only the redelivered message itself can take the render over in
    # the time allowed below, not the sweep after the lease has run out.
    worker = start_worker(lease=60, sweep=1)
    document = _request(org)
    wait_for_status(document.pk, Status.RENDERING)
    (child,) = worker.pool_processes()
    os.kill(child, signal.SIGKILL)  # the worker loses its pool process mid-render
    killed = time.monotonic()
    done = wait_until_rendered(document.pk, timeout=60)
    cleanup_files.append(Path(done.file.path))
    assert time.monotonic() - killed < 30
    assert done.attempts == 2
    assert issued(done) == 1
    assert worker.proc.poll() is None  # the same worker, with a new pool process


def test_a_render_whose_whole_worker_is_killed_and_whose_broker_restarts_comes_back(
    start_worker, on_own_redis, org, producers, cleanup_files
):
    worker = start_worker(lease=5, sweep=1)
    document = _request(org)
    wait_for_status(document.pk, Status.RENDERING)
    worker.kill()  # kill -9 of the worker and its pool process
    on_own_redis.stop()  # and the broker restarts without its data: the message is gone
    on_own_redis.start()
    start_worker(lease=5, sweep=1)
    started = time.monotonic()
    done = wait_until_rendered(document.pk, timeout=60)
    cleanup_files.append(Path(done.file.path))
    assert time.monotonic() - started < 60
    assert done.attempts == 2
    assert issued(done) == 1


def test_a_queued_render_whose_message_is_lost_with_the_broker_is_sent_again(
    start_worker, on_own_redis, org, producers, cleanup_files
):
    """No worker ran while the broker lost its queue: the committed row is the record that
    the render is owed, and the first worker to start sends it again."""
    document = _request(org, kind="test.sample")
    on_own_redis.stop()
    on_own_redis.start()
    start_worker(lease=5, sweep=1)
    started = time.monotonic()
    done = wait_until_rendered(document.pk, timeout=60)
    cleanup_files.append(Path(done.file.path))
    assert time.monotonic() - started < 60
    assert done.attempts == 1
    assert issued(done) == 1
