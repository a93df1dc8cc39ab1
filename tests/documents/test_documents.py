"""RenderedDocument: requesting, rendering idempotently, failures, stuck rows, status and download."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from board.documents import (
    STALE_AFTER,
    RenderedDocument,
    document_latest,
    document_render,
    document_request,
    documents_stuck,
)
from board.models import AuditEvent
from board.pdf import verify_pdf
from board.tasks import requeue_stuck_documents
from tests.conftest import triggers_off

Status = RenderedDocument.Status


def _request(org, kind="test.sample", version=1, actor=None) -> RenderedDocument:
    return document_request(kind=kind, target=org, version=version, organisation=org, actor=actor)


def _files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*.pdf")) if media.exists() else []


def test_request_creates_one_queued_row_and_queues_the_task_after_commit(
    org, secretary, producers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        document = _request(org, actor=secretary)
    assert document.status == Status.QUEUED
    assert document.producer == "tests.documents.producers.produce_sample"
    assert document.requested_by == secretary
    assert len(callbacks) == 1  # the render is queued only once the transaction commits
    with django_capture_on_commit_callbacks() as callbacks:
        again = _request(org, actor=secretary)
    assert again.pk == document.pk
    assert RenderedDocument.objects.count() == 1
    assert AuditEvent.objects.filter(verb="document.requested").count() == 1


def test_a_new_version_is_a_new_document(org, producers):
    first = _request(org, version=1)
    second = _request(org, version=2)
    assert first.pk != second.pk


def test_the_database_refuses_two_rows_for_one_version(org, producers):
    document = _request(org)
    with pytest.raises(IntegrityError), transaction.atomic():
        RenderedDocument.objects.create(
            organisation=org, kind=document.kind, content_type=document.content_type,
            object_id=document.object_id, version=document.version,
        )


def test_the_database_refuses_a_done_row_without_file(org, producers):
    document = _request(org)
    with pytest.raises(IntegrityError), transaction.atomic():
        RenderedDocument.objects.filter(pk=document.pk).update(status=Status.DONE)


def test_render_stores_the_sealed_file_with_its_hash(org, producers, media_in_tmp):
    document = _request(org)
    rendered = document_render(document.pk)
    assert rendered.status == Status.DONE
    content = rendered.file.read()
    assert rendered.sha256 == hashlib.sha256(content).hexdigest()
    assert rendered.size == len(content)
    assert rendered.attempts == 1
    assert rendered.metadata["signers"][0]["name"] == "Ada Ordförande"
    assert rendered.metadata["filename"] == f"provprotokoll-{org.pk}-v1.pdf"
    assert verify_pdf(content).ok
    assert AuditEvent.objects.filter(verb="document.issued", target_id=str(document.pk)).exists()


def test_render_twice_gives_one_file_and_leaves_a_done_row_alone(org, producers, media_in_tmp):
    document = _request(org)
    first = document_render(document.pk)
    assert document_render(document.pk) is None
    again = RenderedDocument.objects.get(pk=document.pk)
    assert (again.sha256, again.file.name, again.attempts) == (first.sha256, first.file.name, 1)
    assert len(_files(media_in_tmp)) == 1
    # Asking for a done document does not queue it again.
    assert _request(org).status == Status.DONE


def test_a_live_render_elsewhere_is_not_disturbed(org, producers, media_in_tmp):
    document = _request(org)
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=Status.RENDERING, started_at=timezone.now() - dt.timedelta(minutes=1), attempts=1
    )
    assert document_render(document.pk) is None
    assert RenderedDocument.objects.get(pk=document.pk).status == Status.RENDERING
    assert _files(media_in_tmp) == []


def test_a_stale_render_is_taken_over(org, producers, media_in_tmp):
    document = _request(org)
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=Status.RENDERING, started_at=timezone.now() - STALE_AFTER - dt.timedelta(seconds=5),
        attempts=1,
    )
    rendered = document_render(document.pk)
    assert rendered.status == Status.DONE
    assert rendered.attempts == 2
    assert len(_files(media_in_tmp)) == 1


def test_a_failure_is_recorded_and_the_next_try_succeeds(org, producers, media_in_tmp):
    document = _request(org, kind="test.flaky")
    with pytest.raises(RuntimeError, match="Tillfälligt fel"):
        document_render(document.pk)
    failed = RenderedDocument.objects.get(pk=document.pk)
    assert failed.status == Status.FAILED
    assert "Tillfälligt fel" in failed.error
    assert failed.is_pending  # retries remain: the status fragment keeps polling
    rendered = document_render(document.pk)  # what the task's retry does
    assert rendered.status == Status.DONE
    assert rendered.error == ""
    assert rendered.attempts == 2


def test_a_producer_that_returns_no_pdf_fails(org, producers):
    document = _request(org, kind="test.broken")
    with pytest.raises(ValueError):
        document_render(document.pk)
    assert RenderedDocument.objects.get(pk=document.pk).status == Status.FAILED


def test_a_failed_document_requested_again_is_queued_again(org, producers, django_capture_on_commit_callbacks):
    document = _request(org, kind="test.broken")
    with pytest.raises(ValueError):
        document_render(document.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        again = _request(org, kind="test.broken")
    assert again.status == Status.QUEUED
    assert len(callbacks) == 1


def test_an_unknown_kind_fails_with_a_reason(org):
    document = RenderedDocument.objects.create(
        organisation=org, kind="okänt.slag", target=org
    )
    with pytest.raises(LookupError):
        document_render(document.pk)
    assert "okänt.slag" in RenderedDocument.objects.get(pk=document.pk).error


def test_stuck_rows_are_those_waiting_or_rendering_for_over_ten_minutes(org, producers, media_in_tmp):
    old = timezone.now() - STALE_AFTER - dt.timedelta(minutes=1)
    fresh = timezone.now() - dt.timedelta(minutes=2)
    rows = {name: _request(org, version=i) for i, name in enumerate(
        ["old_queued", "old_rendering", "fresh_queued", "fresh_rendering", "done", "failed"], start=1)}
    RenderedDocument.objects.filter(pk=rows["old_queued"].pk).update(queued_at=old)
    RenderedDocument.objects.filter(pk=rows["old_rendering"].pk).update(status=Status.RENDERING, started_at=old)
    RenderedDocument.objects.filter(pk=rows["fresh_queued"].pk).update(queued_at=fresh)
    RenderedDocument.objects.filter(pk=rows["fresh_rendering"].pk).update(status=Status.RENDERING, started_at=fresh)
    document_render(rows["done"].pk)
    with triggers_off():  # an issued row never changes otherwise (below)
        RenderedDocument.objects.filter(pk=rows["done"].pk).update(queued_at=old, started_at=old)
    RenderedDocument.objects.filter(pk=rows["failed"].pk).update(status=Status.FAILED, queued_at=old, started_at=old)

    assert set(documents_stuck().values_list("pk", flat=True)) == {rows["old_queued"].pk, rows["old_rendering"].pk}
    assert requeue_stuck_documents() == 2
    # The queued row's clock restarts, so the next run does not queue it once more.
    assert RenderedDocument.objects.get(pk=rows["old_queued"].pk).queued_at > old
    assert set(documents_stuck().values_list("pk", flat=True)) == {rows["old_rendering"].pk}


def test_the_beat_schedule_requeues_stuck_renders_every_five_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-stuck-documents"]
    assert entry["task"] == "board.requeue_stuck_documents"
    assert entry["schedule"] == 300.0


# --- Status fragment and download --------------------------------------------------------


def test_status_fragment_polls_while_pending_and_offers_a_plain_refresh_link(org, secretary, login, producers):
    document = _request(org)
    response = login(secretary).get(document.get_status_url(), HTTP_HX_REQUEST="true",
                                     HTTP_HX_CURRENT_URL="http://testserver/protokoll/7/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'hx-get="{document.get_status_url()}"' in html
    assert 'hx-trigger="every 2s"' in html
    assert '<a href="/protokoll/7/">Uppdatera</a>' in html
    assert "I kö" in html
    assert "<script" not in html and "style=" not in html
    assert "<html" not in html  # HTMX gets the fragment only


def test_status_opened_without_htmx_is_a_page_that_refreshes_by_link(org, secretary, login, producers):
    document = _request(org)
    response = login(secretary).get(document.get_status_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Provprotokoll</h1>" in html
    assert f'<a href="{document.get_status_url()}">Uppdatera</a>' in html


def test_htmx_polling_stops_with_286_once_done(org, secretary, login, producers):
    document = document_render(_request(org).pk)
    response = login(secretary).get(document.get_status_url(), HTTP_HX_REQUEST="true")
    assert response.status_code == 286
    assert document.get_download_url() in response.content.decode()


def test_status_fragment_stops_polling_when_done_and_links_the_file(org, secretary, login, producers):
    document = document_render(_request(org).pk)
    html = login(secretary).get(document.get_status_url()).content.decode()
    assert "hx-get" not in html
    assert document.get_download_url() in html
    assert "Klar" in html


def test_status_fragment_stops_polling_when_retries_are_spent(org, secretary, login, producers):
    document = _request(org, kind="test.broken")
    RenderedDocument.objects.filter(pk=document.pk).update(status=Status.FAILED, attempts=5, error="Trasig")
    html = login(secretary).get(document.get_status_url()).content.decode()
    assert "hx-get" not in html
    assert "Misslyckades" in html


def test_download_serves_the_file_to_the_association(org, member, login, producers):
    document = document_render(_request(org).pk)
    response = login(member).get(document.get_download_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="provprotokoll-{org.pk}-v1.pdf"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == document.sha256 == response["X-Content-SHA256"]


def test_download_and_status_refuse_the_outsider_and_the_anonymous_for_a_non_public_kind(
    org, outsider, login, producers
):
    document = document_render(_request(org).pk)
    for client in (login(outsider), Client()):
        assert client.get(document.get_download_url()).status_code == 404
        assert client.get(document.get_status_url()).status_code == 404


def test_public_kinds_are_open_to_everyone(org, producers):
    document = document_render(_request(org, kind="test.public").pk)
    response = Client().get(document.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_producers_permission_callback_decides(org, secretary, site_admin, login, producers):
    document = document_render(_request(org, kind="test.guarded").pk)
    assert login(secretary).get(document.get_download_url()).status_code == 404
    assert login(site_admin).get(document.get_download_url()).status_code == 200


def test_download_of_a_document_not_yet_done_is_not_found(org, secretary, login, producers):
    document = _request(org)
    assert login(secretary).get(document.get_download_url()).status_code == 404


def test_the_latest_document_of_a_target_is_the_one_last_asked_for(org, other_org, producers):
    assert document_latest(kind="test.sample", target=org) is None
    first = _request(org, version=7)
    newest = _request(org, version=2)
    _request(org, kind="test.public", version=3)
    document_request(kind="test.sample", target=other_org, version=4, organisation=other_org)
    assert document_latest(kind="test.sample", target=org) == newest
    # Asked for again (the target changed back): the first is the current one again, done or not.
    assert _request(org, version=7) == first
    assert document_latest(kind="test.sample", target=org) == first
    document_render(first.pk)
    _request(org, version=2)
    _request(org, version=7)
    assert document_latest(kind="test.sample", target=org) == first


def test_every_app_registers_its_kinds_when_django_starts_in_a_new_process():
    """A worker has only what the apps' ready() imported: every kind the apps issue must be
    registered there, with its label and whether it is public, without a view having run."""
    import json
    import subprocess
    import sys

    script = (
        "import json, django; django.setup(); from board.documents import _REGISTRY; "
        "print(json.dumps({k: [s.label, s.public] for k, s in _REGISTRY.items()}))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == {
        "minutes.full": ["Protokoll", False],
        "minutes.public": ["Protokoll (offentlig version)", True],
        "minutes.extract": ["Protokollsutdrag", False],
        "notice.certificate": ["Anslagsbevis", True],
        "finance.report": ["Ekonomisk rapport", False],
        "interventions.report": ["Insatsrapport", False],
    }


def test_an_issued_document_never_changes_and_is_never_deleted(org, producers, media_in_tmp, secretary):
    """/verifiera/ answers from the row's SHA-256: raw SQL cannot point it at another file."""
    issued = document_render(_request(org).pk)
    for sql in [
        "UPDATE board_rendereddocument SET sha256 = repeat('0', 64) WHERE id = %s",
        "UPDATE board_rendereddocument SET file = 'documents/forfalskad.pdf' WHERE id = %s",
        "UPDATE board_rendereddocument SET status = 'koad' WHERE id = %s",
        "UPDATE board_rendereddocument SET metadata = '{}'::jsonb WHERE id = %s",
        f"UPDATE board_rendereddocument SET requested_by_id = {secretary.pk} WHERE id = %s",
        "DELETE FROM board_rendereddocument WHERE id = %s",
    ]:
        with pytest.raises(IntegrityError, match="utfärdat dokument"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql, [issued.pk])
    # Asked for again: only the time it was last asked for moves.
    again = _request(org)
    assert again.requested_at > issued.requested_at
    stored = RenderedDocument.objects.get(pk=issued.pk)
    assert (stored.sha256, stored.file.name, stored.status) == (issued.sha256, issued.file.name, Status.DONE)
