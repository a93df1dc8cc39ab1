"""RenderedDocument: requesting, rendering idempotently, failures, stuck rows, status and download."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from board.documents.models import MAX_ATTEMPTS, RenderedDocument
from board.documents.pdf import verify_pdf
from board.documents.services import (
    RETRY_WAIT_MAX,
    document_latest,
    document_render,
    document_request,
    documents_stuck,
    lease,
)
from board.documents.tasks import requeue_stuck_documents
from board.models import AuditEvent
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


def _held(document: RenderedDocument, *, by: str, for_seconds: float, attempts: int = 1) -> None:
    """The row as a render by attempt `by` left it: its lease runs out in `for_seconds`."""
    now = timezone.now()
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=Status.RENDERING, claimed_by=by, started_at=now - dt.timedelta(seconds=1),
        lease_until=now + dt.timedelta(seconds=for_seconds), attempts=attempts,
    )


def test_a_live_render_elsewhere_is_not_disturbed(org, producers, media_in_tmp):
    """A duplicate message (or a sweep's) while another attempt's lease holds is skipped."""
    document = _request(org)
    _held(document, by="uppgift-1", for_seconds=20)
    assert document_render(document.pk, attempt="uppgift-2") is None
    assert document_render(document.pk) is None
    row = RenderedDocument.objects.get(pk=document.pk)
    assert (row.status, row.claimed_by, row.attempts) == (Status.RENDERING, "uppgift-1", 1)
    assert _files(media_in_tmp) == []


def test_the_same_task_delivered_again_takes_its_render_over_at_once(org, producers, media_in_tmp):
    """Its pool process died mid-render and Celery delivered the message again
    (reject_on_worker_lost): the lease still holds, but it is that attempt's own."""
    document = _request(org)
    _held(document, by="uppgift-1", for_seconds=20)
    rendered = document_render(document.pk, attempt="uppgift-1")
    assert rendered.status == Status.DONE
    assert rendered.attempts == 2
    assert len(_files(media_in_tmp)) == 1
    assert AuditEvent.objects.filter(verb="document.issued", target_id=str(document.pk)).count() == 1


def test_a_render_whose_lease_ran_out_is_taken_over(org, producers, media_in_tmp):
    document = _request(org)
    _held(document, by="uppgift-1", for_seconds=-1)
    rendered = document_render(document.pk, attempt="uppgift-2")
    assert rendered.status == Status.DONE
    assert rendered.attempts == 2
    assert rendered.lease_until is None
    assert len(_files(media_in_tmp)) == 1


def test_a_render_taken_over_while_it_ran_stores_nothing(org, producers, media_in_tmp):
    """Two renders of one row (the first one's lease ran out while it was still busy): only
    the one holding the claim stores, so the row is issued once, with one file."""
    document = _request(org, kind="test.overtaken")
    assert document_render(document.pk, attempt="uppgift-1") is not None
    row = RenderedDocument.objects.get(pk=document.pk)
    assert (row.status, row.claimed_by, row.file.name) == (Status.RENDERING, "uppgift-2", "")
    assert _files(media_in_tmp) == []
    assert not AuditEvent.objects.filter(verb="document.issued", target_id=str(document.pk)).exists()


def test_a_render_that_keeps_killing_its_worker_is_given_up(org, producers, media_in_tmp):
    """A document whose render kills its process every time must not be delivered for ever."""
    document = _request(org)
    _held(document, by="uppgift-1", for_seconds=20, attempts=MAX_ATTEMPTS)
    assert document_render(document.pk, attempt="uppgift-1") is None
    row = RenderedDocument.objects.get(pk=document.pk)
    assert row.status == Status.FAILED and not row.is_pending
    assert "avbröts 5 gånger" in row.error
    assert _files(media_in_tmp) == []


def test_a_long_render_renews_its_lease_and_is_not_taken_over(transactional_db, org, producers, settings):
    """The render holds the row as long as it runs, though that is longer than one lease."""
    settings.DOCUMENT_LEASE_SECONDS = 1
    document = _request(org, kind="test.pause")  # its producer takes 2.5 s
    outcome: list[RenderedDocument | None] = []
    def render_in_thread() -> None:
        try:
            outcome.append(document_render(document.pk, attempt="lång"))
        finally:
            connection.close()  # the thread's own connection, or it outlives the test database

    render = threading.Thread(target=render_in_thread)
    render.start()
    try:
        time.sleep(1.8)  # the first lease has run out by now, unless it was renewed
        row = RenderedDocument.objects.get(pk=document.pk)
        assert row.status == Status.RENDERING and row.lease_until > timezone.now()
        assert document_render(document.pk, attempt="sweep") is None
    finally:
        render.join()
    assert outcome[0].status == Status.DONE and outcome[0].attempts == 1
    Path(outcome[0].file.path).unlink()


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


def test_stuck_rows_are_those_no_message_will_render(org, producers, media_in_tmp):
    now = timezone.now()
    sent_long_ago = now - lease() - dt.timedelta(seconds=1)
    just_sent = now - dt.timedelta(seconds=1)
    retry_lost = now - RETRY_WAIT_MAX - lease() - dt.timedelta(seconds=1)
    cases = {
        # name: (status, queued_at, lease_until, finished_at, attempts, stuck?)
        "queued, message lost or never sent": (Status.QUEUED, sent_long_ago, None, None, 0, True),
        "queued, just sent": (Status.QUEUED, just_sent, None, None, 0, False),
        "rendering, worker died": (Status.RENDERING, sent_long_ago, now - dt.timedelta(seconds=1), None, 1, True),
        "rendering, alive": (Status.RENDERING, sent_long_ago, now + dt.timedelta(seconds=9), None, 1, False),
        "rendering, died, just sent again": (Status.RENDERING, just_sent, now - dt.timedelta(seconds=1), None, 1, False),
        "failed, retry lost": (Status.FAILED, sent_long_ago, None, retry_lost, 1, True),
        "failed, retry pending": (Status.FAILED, sent_long_ago, None, now - dt.timedelta(seconds=60), 1, False),
        "failed, retries spent": (Status.FAILED, sent_long_ago, None, retry_lost, MAX_ATTEMPTS, False),
    }
    rows = {}
    for version, (name, (status, queued_at, lease_until, finished_at, attempts, _stuck)) in enumerate(cases.items(), 1):
        rows[name] = _request(org, version=version)
        RenderedDocument.objects.filter(pk=rows[name].pk).update(
            status=status, queued_at=queued_at, lease_until=lease_until, finished_at=finished_at, attempts=attempts,
        )
    done = document_render(_request(org, version=99).pk)
    with triggers_off():  # an issued row never changes otherwise
        RenderedDocument.objects.filter(pk=done.pk).update(queued_at=retry_lost)

    expected = {rows[name].pk for name, case in cases.items() if case[-1]}
    assert set(documents_stuck().values_list("pk", flat=True)) == expected
    assert requeue_stuck_documents() == len(expected)
    # Their clock restarts, so the next sweep does not send them once more while they wait.
    assert not documents_stuck().exists()


def test_the_sweep_runs_on_every_worker_and_beat_runs_it_every_minute(settings):
    assert "board.requeue_stuck_documents" in settings.WORKER_SWEEP_TASKS
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-stuck-documents"]
    assert entry["task"] == "board.requeue_stuck_documents"
    assert entry["schedule"] == 60.0


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
    assert '<strong class="govuk-tag govuk-tag--grey">Köad</strong>' in html
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
    assert '<strong class="govuk-tag govuk-tag--red">Misslyckad</strong>' in html


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
        "import json, django; django.setup(); from board.documents.registry import registered; "
        "print(json.dumps({k: [s.label, s.public, s.issued] for k, s in registered().items()}))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == {
        "minutes.full": ["Protokoll", False, True],
        "minutes.public": ["Protokoll (offentlig version)", True, True],
        "minutes.extract": ["Protokollsutdrag", False, True],
        "notice.certificate": ["Anslagsbevis", True, True],
        "finance.report": ["Ekonomisk rapport", False, True],
        "interventions.report": ["Insatsrapport", False, True],
        "minutes.handling_pdf": ["Handling som PDF", False, False],  # a reading copy, not issued
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
        "UPDATE board_rendereddocument SET issued = false WHERE id = %s",  # to delete it as a working copy
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
