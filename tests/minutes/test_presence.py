"""Who else has the minutes editor open: the heartbeat endpoint and its state in the cache."""

from __future__ import annotations

import datetime as dt

import pytest
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
    ttl = client.ttl(cache.make_key(presence._key(meeting.pk)))
    assert 0 < ttl <= 30


def test_the_state_is_in_the_shared_cache_not_in_the_process(meeting, secretary, second_secretary):
    p = services.paragraph_add(meeting=meeting, title="Budget", actor=secretary)
    beat(client_for(second_secretary), meeting, p)
    stored = cache.get(presence._key(meeting.pk))
    assert stored[str(second_secretary.pk)][0] == p.pk
    assert stored[str(second_secretary.pk)][2] == "Ann Rilegård"


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
    assert cache.get(presence._key(meeting.pk)) is None


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


def test_a_cache_that_does_not_answer_gives_no_presence_and_no_error(meeting, secretary, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    response = beat(client_for(secretary), meeting)
    assert response.status_code == 200
    assert "Ingen annan har protokollet öppet." in response.content.decode()
