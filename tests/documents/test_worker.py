"""Renders through the real Celery worker and Redis: the file appears, a failure is retried,
a stuck row is picked up again."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from django.utils import timezone

from board.documents.models import RenderedDocument
from board.documents.pdf import verify_pdf
from board.documents.services import document_request, lease
from board.documents.tasks import requeue_stuck_documents
from tests.conftest import wait_until_rendered

pytestmark = pytest.mark.worker

Status = RenderedDocument.Status




def test_a_requested_document_is_rendered_by_the_worker(
    transactional_db, celery_worker, org, secretary, producers, cleanup_files
):
    started = time.monotonic()
    document = document_request(kind="test.sample", target=org, version=1, organisation=org, actor=secretary)
    done = wait_until_rendered(document.pk)
    elapsed = time.monotonic() - started
    path = Path(done.file.path)
    cleanup_files.append(path)
    assert path.is_file()
    content = path.read_bytes()
    assert verify_pdf(content).ok
    assert done.attempts == 1
    assert done.started_at is not None and done.finished_at >= done.started_at
    assert elapsed < 30


def test_a_render_that_fails_once_is_retried_by_the_worker_and_succeeds(
    transactional_db, celery_worker, org, producers, cleanup_files
):
    document = document_request(kind="test.flaky", target=org, version=1, organisation=org)
    done = wait_until_rendered(document.pk)
    cleanup_files.append(Path(done.file.path))
    assert done.attempts == 2
    assert done.error == ""
    assert verify_pdf(done.file.read()).ok


def test_a_stuck_render_is_requeued_and_finished_by_the_worker(
    transactional_db, celery_worker, org, producers, cleanup_files
):
    # A row left 'renderas' by a worker that died; its lease ran out and its message is gone.
    long_ago = timezone.now() - lease() - dt.timedelta(minutes=1)
    document = RenderedDocument.objects.create(
        organisation=org, kind="test.sample", target=org,
        producer="tests.documents.producers.produce_sample", status=Status.RENDERING,
        claimed_by="uppgift-1", started_at=long_ago, lease_until=long_ago, queued_at=long_ago,
        attempts=1,
    )
    assert requeue_stuck_documents() == 1
    done = wait_until_rendered(document.pk)
    cleanup_files.append(Path(done.file.path))
    assert done.attempts == 2
