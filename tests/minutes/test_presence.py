"""Who else has the minutes editor open: the heartbeat endpoint and its state in the cache."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_redis import get_redis_connection

from board.models import StaffRole
from minutes.drafting import services
from minutes.drafting.services import presence
from tests.conftest import client_for
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory


@pytest.fixture(autouse=True)
def empty_presence():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def second_secretary(board):
    """Another person who may edit the minutes: a second secretary of the association."""
    user = UserFactory(username="sekreterare2")
    person = PersonFactory(first_name="Ann", last_name="Rilegård", user=user)
    StaffRoleFactory(organisation=board.organisation, person=person, role=StaffRole.Role.SECRETARY,
                     start=dt.date(2020, 1, 1))
    return user


def url(meeting) -> str:
    return reverse("minutes:editor_presence", args=[meeting.pk])


def beat(client, meeting, paragraph=None, **extra):
    return client.post(url(meeting), {"paragraph": paragraph.pk if paragraph else "", **extra},
                       HTTP_HX_REQUEST="true")


def test_each_sees_the_other_by_name_and_the_paragraph_by_its_label(meeting, secretary, second_secretary):
    p = services.paragraph_add(meeting=meeting, title="Budget 2024", actor=secretary)
    ann, kansli = client_for(second_secretary), client_for(secretary)

    first = beat(ann, meeting, p)
    assert first.status_code == 200
    assert "Ingen annan har protokollet öppet." in first.content.decode()

    seen_by_secretary = beat(kansli, meeting).content.decode()
    assert "Ann Rilegård skriver i" in seen_by_secretary
    assert f'<a href="#p{p.pk}">PRV § 1' in seen_by_secretary
    assert f'data-paragraph="{p.pk}"' in seen_by_secretary
    assert "sekreterare2" not in seen_by_secretary  # never the login

    seen_by_ann = beat(ann, meeting, p).content.decode()
    assert "Sekreterare Kansli har protokollet öppet" in seen_by_ann
    assert "Ann Rilegård" not in seen_by_ann  # not oneself


def test_opening_another_paragraph_moves_the_person_and_leaving_removes_them(meeting, secretary, second_secretary):
    p1 = services.paragraph_add(meeting=meeting, title="Ett", actor=secretary)
    p2 = services.paragraph_add(meeting=meeting, title="Två", actor=secretary)
    ann, kansli = client_for(second_secretary), client_for(secretary)
    beat(ann, meeting, p1)
    beat(ann, meeting, p2)
    seen = beat(kansli, meeting).content.decode()
    assert "PRV § 2" in seen and "PRV § 1" not in seen
    beat(ann, meeting, None)
    assert "Ann Rilegård har protokollet öppet" in beat(kansli, meeting).content.decode()
    assert ann.post(url(meeting), {"leaving": "1"}).status_code == 204
    assert "Ingen annan har protokollet öppet." in beat(kansli, meeting).content.decode()


def test_a_person_without_heartbeat_disappears_after_the_ttl(settings, meeting):
    settings.EDITOR_PRESENCE_SECONDS = 30
    presence.presence_beat(meeting_id=meeting.pk, user_id=1, name="Ann Rilegård", paragraph_id=None, now=1000.0)
    presence.presence_beat(meeting_id=meeting.pk, user_id=2, name="Bo Ek", paragraph_id=7, now=1020.0)
    assert [p.name for p in presence.presence_others(meeting_id=meeting.pk, user_id=3, now=1025.0)] == ["Ann Rilegård", "Bo Ek"]
    assert [p.name for p in presence.presence_others(meeting_id=meeting.pk, user_id=3, now=1031.0)] == ["Bo Ek"]
    assert presence.presence_others(meeting_id=meeting.pk, user_id=3, now=1051.0) == []
    # The key itself expires with the TTL, so a meeting nobody edits leaves nothing behind.
    client = get_redis_connection("default")
    ttl = client.ttl(presence._key(meeting.pk))
    assert 0 < ttl <= 30
    # A heartbeat drops the fields no longer fresh: Ann's is gone from the hash itself.
    presence.presence_beat(meeting_id=meeting.pk, user_id=3, name="Cia", paragraph_id=None, now=1040.0)
    assert set(client.hgetall(presence._key(meeting.pk))) == {b"2", b"3"}


def test_the_state_is_in_the_shared_cache_not_in_the_process(meeting, secretary, second_secretary):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    beat(client_for(second_secretary), meeting, p)
    stored = get_redis_connection("default").hgetall(presence._key(meeting.pk))
    paragraph_id, _seen, name = json.loads(stored[str(second_secretary.pk).encode()])
    assert (paragraph_id, name) == (p.pk, "Ann Rilegård")


def test_a_paragraph_of_another_meeting_or_no_number_is_not_taken(meeting, secretary, second_secretary, board):
    other = services.meeting_create(organ=board.organ, date=dt.date(2023, 9, 29), place="Kansliet", actor=secretary)
    foreign = services.paragraph_add(meeting=other, title="Hemligt", actor=secretary)
    ann = client_for(second_secretary)
    assert beat(ann, meeting, foreign).status_code == 200
    seen = beat(client_for(secretary), meeting).content.decode()
    assert "Ann Rilegård har protokollet öppet" in seen and "Hemligt" not in seen
    bad = ann.post(url(meeting), {"paragraph": "abc"})
    assert bad.status_code == 400
    assert "paragraf-id" in bad.content.decode()


def test_only_those_who_may_edit_the_minutes_take_part(client, meeting, member, outsider, auditor):
    assert client.post(url(meeting)).status_code == 302  # anonymous: to the login
    assert client_for(outsider).post(url(meeting)).status_code == 404  # another association
    assert client_for(member).post(url(meeting)).status_code == 403  # may read, not edit
    assert client_for(auditor).post(url(meeting)).status_code == 403
    assert client_for(member).get(url(meeting)).status_code == 405
    assert not get_redis_connection("default").exists(presence._key(meeting.pk))


def test_a_heartbeat_is_a_few_queries_however_many_are_present(meeting, secretary, second_secretary, board):
    paragraphs = [services.paragraph_add(meeting=meeting, title=f"P{i}", actor=secretary) for i in range(3)]
    kansli = client_for(secretary)
    beat(kansli, meeting, paragraphs[0])
    with CaptureQueriesContext(connection) as one:
        beat(kansli, meeting, paragraphs[0])
    for i, p in enumerate(paragraphs):
        presence.presence_beat(meeting_id=meeting.pk, user_id=1000 + i, name=f"Person {i}", paragraph_id=p.pk)
    with CaptureQueriesContext(connection) as many:
        response = beat(kansli, meeting, paragraphs[0])
    assert response.content.decode().count("<li") == 3
    assert len(many) == len(one)


def test_a_redis_that_does_not_answer_gives_no_presence_and_no_error(meeting, secretary, monkeypatch):
    # A real client to a port nothing listens on: each call fails to connect.
    monkeypatch.setattr(presence, "_redis", lambda: redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=1))
    kansli = client_for(secretary)
    response = beat(kansli, meeting, page="a1b2c3d4e5")
    assert response.status_code == 200
    assert "Ingen annan har protokollet öppet." in response.content.decode()
    assert kansli.post(url(meeting), {"leaving": "1", "page": "a1b2c3d4e5"}).status_code == 204


def test_a_heartbeat_on_its_way_when_the_page_was_left_does_not_bring_the_person_back(meeting, secretary,
                                                                                       second_secretary):
    ann, kansli = client_for(second_secretary), client_for(secretary)
    beat(ann, meeting, page="tabOne12345")
    assert "Ann Rilegård har protokollet öppet" in beat(kansli, meeting).content.decode()
    assert ann.post(url(meeting), {"leaving": "1", "page": "tabOne12345"}).status_code == 204
    # The heartbeat the closed tab had sent before its goodbye, arriving after it:
    assert beat(ann, meeting, page="tabOne12345").status_code == 200
    assert "Ingen annan har protokollet öppet." in beat(kansli, meeting).content.decode()
    # Ann opens the editor again, in a new tab: seen at once.
    beat(ann, meeting, page="tabTwo67890")
    assert "Ann Rilegård har protokollet öppet" in beat(kansli, meeting).content.decode()
    # The goodbye's mark expires with the presence TTL.
    ttl = get_redis_connection("default").ttl(presence._gone_key(meeting.pk, "tabOne12345"))
    assert 0 < ttl <= presence.presence_seconds()


def test_others_heartbeats_at_the_same_moment_do_not_bring_a_person_back(meeting):
    """Ann leaves while two others beat as fast as they can, in threads: no heartbeat of theirs
    may write back the list it read before she left (each writes its own entry only)."""
    stop = threading.Event()

    def beating(user_id: int) -> None:
        while not stop.is_set():
            presence.presence_beat(meeting_id=meeting.pk, user_id=user_id, name=f"Person {user_id}", paragraph_id=None)

    threads = [threading.Thread(target=beating, args=(uid,)) for uid in (2, 3)]
    for t in threads:
        t.start()
    try:
        back = 0
        for round_ in range(200):
            page = f"annsPage{round_:04d}"
            presence.presence_beat(meeting_id=meeting.pk, user_id=1, name="Ann", paragraph_id=None, page=page)
            presence.presence_leave(meeting_id=meeting.pk, user_id=1, page=page)
            time.sleep(0.002)  # the others' heartbeats in flight land after the goodbye
            back += any(p.user_id == 1 for p in presence.presence_others(meeting_id=meeting.pk, user_id=0))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert back == 0
    assert {p.user_id for p in presence.presence_others(meeting_id=meeting.pk, user_id=0)} == {2, 3}


@pytest.mark.parametrize("page", ["kort", "x" * 65, "<script>alert(1)</script>", "abc def ghi", "åäöåäöåäö"])
def test_a_page_id_that_is_not_letters_and_digits_is_refused(meeting, secretary, page):
    kansli = client_for(secretary)
    for data in ({"paragraph": "", "page": page}, {"leaving": "1", "page": page}):
        response = kansli.post(url(meeting), data)
        assert response.status_code == 400
        assert "page ska vara" in response.content.decode()
    assert not get_redis_connection("default").keys(f"*editor-presence*{meeting.pk}*")
