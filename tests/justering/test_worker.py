"""The PDFs through the real Celery worker and Redis: the last signature leads to sealed
PDFs without any web request waiting; a render that fails once is retried and succeeds."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from board.documents.models import RenderedDocument
from board.documents.pdf import verify_pdf
from board.documents.services import document_request
from minutes.models import Meeting
from tests.conftest import wait_until_rendered
from tests.justering.conftest import build_minutes, sign

pytestmark = pytest.mark.worker
Status = RenderedDocument.Status




def test_the_last_signature_makes_the_worker_issue_sealed_pdfs(
    transactional_db, celery_worker, board, secretary, chair, member, cleanup_files
):
    meeting = build_minutes(board, secretary, chair, member)
    from minutes.justering import services as justering

    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    sign(meeting, secretary)
    sign(meeting, member)
    started = time.monotonic()
    sign(meeting, chair)  # returns at once; the worker renders
    returned = time.monotonic() - started
    documents = {d.kind: d for d in RenderedDocument.objects.filter(object_id=meeting.pk, kind__startswith="minutes.")}
    assert set(documents) == {"minutes.full", "minutes.public"}
    done = {kind: wait_until_rendered(d.pk) for kind, d in documents.items()}
    elapsed = time.monotonic() - started
    for d in done.values():
        cleanup_files.append(Path(d.file.path))
        content = Path(d.file.path).read_bytes()
        assert verify_pdf(content).ok
        assert d.attempts == 1
        assert [s["name"] for s in d.metadata["signers"]]
    assert returned < 5.0  # nobody waited for the render (two of them take longer on this machine)
    assert elapsed < 30
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SIGNED


def test_a_minutes_render_that_fails_once_is_retried_by_the_worker(
    transactional_db, celery_worker, board, secretary, chair, member, cleanup_files
):
    from tests.justering import producers  # noqa: F401  (registers test.minutes_flaky)

    meeting = build_minutes(board, secretary, chair, member)
    from minutes.justering import services as justering

    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    for user in (secretary, chair, member):
        sign(meeting, user)
    document = document_request(
        kind="test.minutes_flaky", target=meeting, version=1, organisation=board.organisation, actor=secretary,
    )
    done = wait_until_rendered(document.pk)
    cleanup_files.append(Path(done.file.path))
    for d in RenderedDocument.objects.filter(object_id=meeting.pk, kind__startswith="minutes."):
        cleanup_files.append(Path(wait_until_rendered(d.pk).file.path))
    assert done.attempts == 2 and done.error == ""
    assert verify_pdf(Path(done.file.path).read_bytes()).ok
