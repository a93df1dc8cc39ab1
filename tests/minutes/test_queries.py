"""The editor and preview use a fixed number of queries, whatever the size of the meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from board.models import Appointment
from minutes.drafting import services
from minutes.models import Attendance
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def build(board, secretary, *, paragraphs: int, attendees: int):
    """A meeting with `attendees` people present and `paragraphs` full paragraphs."""
    extra = max(0, attendees - Appointment.objects.filter(organ=board.organ).count())
    for i in range(extra):
        AppointmentFactory(organ=board.organ, appointed_by=board.members[i % 5],
                           seat=Appointment.Seat.SUBSTITUTE, start=dt.date(2020, 1, 1))
    meeting = services.meeting_create(organ=board.organ, date=dt.date(2023, 8, 29), place="Köping", actor=secretary)
    services.attendance_prefill(meeting=meeting, actor=secretary)
    rows = list(meeting.attendances.filter(role=Attendance.Role.MEMBER).select_related("person"))
    added = []
    for i in range(paragraphs):
        p = services.paragraph_add(
            meeting=meeting, title=f"Ärende {i}", dnr=f"PRV 2023/{i}", body="Text **med** Markdown.",
            clauses=["Att anta förslaget", "Att uppdra åt förbundschefen"], exp_till="Diariet", actor=secretary,
        )
        services.document_add(meeting=meeting, title=f"Handling {i}", paragraph=p, actor=secretary)
        services.note_add(paragraph=p, text="Anteckning", actor=secretary)
        services.recusal_add(paragraph=p, person=rows[0].person, actor=secretary)
        services.reservation_add(paragraph=p, person=rows[1].person, motivation="Nej.", actor=secretary)
        if i % 3 == 0:
            services.vote_record(
                paragraph=p, yes_text="Bifall", no_text="Avslag", actor=secretary,
                ballots={rows[1].person: "ja", rows[2].person: "ja", rows[3].person: "nej"},
            )
        added.append(p)
    services.attendance_set(meeting=meeting, person=rows[4].person, from_paragraph=added[1],
                            until_paragraph=added[-1], actor=secretary)
    services.adjusters_set(meeting=meeting, persons=[rows[1].person], actor=secretary)
    assert meeting.attendances.count() >= attendees
    return meeting


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["minutes:editor", "minutes:preview"])
def test_queries_do_not_grow_with_paragraphs_or_attendees(board, secretary, chair, member, login, django_assert_max_num_queries, page):
    client = login(secretary)
    small = build(board, secretary, paragraphs=3, attendees=12)
    small_count = count_queries(client, reverse(page, args=[small.pk]))
    small.paragraphs.all().delete()
    small.attendances.all().delete()
    small.delete()
    large = build(board, secretary, paragraphs=30, attendees=25)
    assert large.paragraphs.count() == 30 and large.attendances.count() >= 25
    html = client.get(reverse(page, args=[large.pk])).content.decode()
    assert "Ärende 29" in html
    with django_assert_max_num_queries(small_count):
        client.get(reverse(page, args=[large.pk]))
    print(f"{page}: {small_count} queries")  # reported with -s
    # And the fixed number itself stays small.
    assert small_count <= 30, small_count
