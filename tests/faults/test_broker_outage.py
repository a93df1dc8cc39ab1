"""Redis (broker and cache) down during a request: what a person did is committed, they get a
clear answer in Swedish instead of a 500, and the work is done once Redis is back.

A real worker runs throughout, on a Redis of the test's own which the test stops and starts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from board.documents.models import RenderedDocument
from board.models import ApiToken
from minutes.justering import services as justering
from minutes.models import Meeting, Notice, Paragraph
from tests.conftest import PASSWORD, client_for, wait_until_rendered
from tests.faults.conftest import issued
from tests.justering.conftest import build_minutes, sign

pytestmark = pytest.mark.worker
Status = RenderedDocument.Status


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _rendered_once(documents: list[RenderedDocument], cleanup_files: list[Path]) -> None:
    for document in documents:
        done = wait_until_rendered(document.pk, timeout=60)
        cleanup_files.append(Path(done.file.path))
        assert done.attempts == 1, done.kind
        assert issued(done) == 1, done.kind


def test_extracts_ordered_while_redis_is_down_are_committed_answered_and_rendered_after(
    start_worker, on_own_redis, board, secretary, chair, member, cleanup_files
):
    start_worker(lease=5, sweep=1)
    meeting = build_minutes(board, secretary, chair, member)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    for user in (secretary, member, chair):
        sign(meeting, user)
    first, second = Paragraph.objects.filter(meeting=meeting, is_confidential=False).order_by("position")[:2]
    _token, key = ApiToken.issue(user=secretary, name="test")
    page = client_for(secretary)
    page.raise_request_exception = False
    api = Client(headers={"Authorization": f"Bearer {key}"}, raise_request_exception=False)

    on_own_redis.stop()
    response = page.post(f"/utdrag/{first.pk}/")
    assert response.status_code == 302
    assert any("bakgrundstjänsten går inte att nå" in m.lower() for m in _messages(response)), _messages(response)
    response = api.post(f"/api/v1/paragraphs/{second.pk}/extract", json.dumps({}), content_type="application/json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == Status.QUEUED
    assert "bakgrundstjänsten går inte att nå" in body["message"].lower()
    extracts = list(RenderedDocument.objects.filter(kind="minutes.extract"))
    assert {d.object_id for d in extracts} == {first.pk, second.pk}  # committed

    on_own_redis.start()
    _rendered_once(extracts, cleanup_files)
    justered = RenderedDocument.objects.exclude(kind="minutes.extract")
    for document in justered:
        cleanup_files.append(Path(wait_until_rendered(document.pk, timeout=60).file.path))
        assert issued(document) == 1


def test_the_last_signature_while_redis_is_down_stands_and_its_pdfs_follow(
    start_worker, on_own_redis, board, secretary, chair, member, cleanup_files
):
    start_worker(lease=5, sweep=1)
    meeting = build_minutes(board, secretary, chair, member)
    version = justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    sign(meeting, secretary)
    sign(meeting, member)

    on_own_redis.stop()
    browser = Client(raise_request_exception=False)
    # Logging in (sessions, django-axes) does not need Redis either.
    response = browser.post("/konto/logga-in/", {"username": chair.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    response = browser.post(
        f"/sammantraden/{meeting.pk}/justering/skriv-under/",
        {"password": PASSWORD, "version": version.number},
    )
    assert response.status_code == 302
    assert "Du har skrivit under protokollet." in _messages(response)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SIGNED  # the justering stands
    notice = Notice.objects.get(meeting=meeting, kind=Notice.Kind.JUSTERING)
    documents = list(RenderedDocument.objects.all())
    assert {d.kind for d in documents} == {"minutes.full", "minutes.public", "notice.certificate"}
    assert browser.get(f"/sammantraden/{meeting.pk}/justering/").status_code == 200

    on_own_redis.start()
    _rendered_once(documents, cleanup_files)
    # The notice board shows the new notice, though its cache version could not be moved on.
    assert notice.title in Client().get("/anslagstavla/").content.decode()
