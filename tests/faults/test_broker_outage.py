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

from board.documents import RenderedDocument
from board.models import ApiToken
from minutes import justering
from minutes.models import Paragraph
from tests.conftest import client_for, wait_until_rendered
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
