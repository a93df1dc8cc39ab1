"""The notice board is a legal duty: with Redis down the public pages answer from the database,
and /healthz says that Redis is what is down."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from minutes.notices import services as notices
from tests.public.conftest import PUBLIC_WORD, make_minutes

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(board, secretary):
    meeting = make_minutes(
        organ=board.organ, actor=secretary, date=dt.date(2023, 11, 2),
        titles=["Val av justerare", f"Insatsen Steget, {PUBLIC_WORD} 147 424 kr"],
    )
    return notices.notice_for_justering(meeting=meeting, justered_on=dt.date(2023, 11, 6), actor=secretary)


def public_urls(notice) -> list[str]:
    meeting = notice.meeting
    return [
        "/", "/anslagstavla/", "/anslagstavla/prov/", "/anslagstavla/atom.xml", "/anslagstavla/arkiv/",
        f"/anslagstavla/anslag/{notice.pk}/", "/protokoll/", "/protokoll/prov/", "/protokoll/prov/2023/",
        f"/protokoll/prov/2023/{meeting.pk}/", f"/sok/?q={PUBLIC_WORD}", "/kalender.ics",
        "/tillganglighet/", "/verifiera/", "/api/v1/public/notices", "/api/v1/public/meetings",
        f"/api/v1/public/meetings/{meeting.pk}", "/api/v1/public/agendaItems",
    ]


@time_machine.travel(dt.datetime(2023, 11, 8, 12, 0), tick=False)
def test_public_pages_answer_from_the_database_while_redis_is_down(on_own_redis, notice):
    client = Client(raise_request_exception=False)
    assert notice.title in client.get("/anslagstavla/").content.decode()  # cached while Redis is up
    on_own_redis.stop()
    for url in public_urls(notice):
        response = client.get(url)
        assert response.status_code == 200, url
    assert notice.title in client.get("/anslagstavla/").content.decode()
    assert PUBLIC_WORD in client.get(f"/sok/?q={PUBLIC_WORD}").content.decode().lower()

    health = client.get("/healthz")
    assert health.status_code == 503
    assert "redis" in health.json()["down"]
    assert health.json()["checks"]["database"] == "ok"

    # Back up (empty, as after a restart): the pages fill the cache again and are served from it.
    on_own_redis.start()
    assert notice.title in client.get("/anslagstavla/").content.decode()
    with CaptureQueriesContext(connection) as ctx:
        assert notice.title in client.get("/anslagstavla/").content.decode()
    assert len(ctx.captured_queries) == 0


def test_a_notice_saved_while_redis_is_down_is_saved(transactional_db, on_own_redis, board, secretary):
    """A change to what the public pages show moves the cache's version on; with Redis down
    that must not undo the change, nor fail after it is committed."""
    meeting = make_minutes(organ=board.organ, actor=secretary, date=dt.date(2023, 11, 2), titles=["Val av justerare"])
    on_own_redis.stop()
    notice = notices.notice_for_justering(meeting=meeting, justered_on=dt.date(2023, 11, 6), actor=secretary)
    assert notice.pk is not None
    notices.notice_set_posting_day(notice=notice, posted_on=dt.date(2023, 11, 7), actor=secretary)
    notice.refresh_from_db()
    assert notice.posted_on == dt.date(2023, 11, 7)
