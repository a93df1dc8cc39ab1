"""The editor page, the preview and one autosave take the same number of queries for a meeting
of 5 paragraphs as for one of 40 (issue 16; bench/editor_bench.py measures the same three).

The paragraphs are varied on purpose: every kind of thing a § can carry (clauses, a stock
decision, recusals, reservations, notes with and without a person, votes with proposers and
ballots, handlingar of the § and of its agenda item, an attendee present for some §§ only, a
serving substitute) occurs in the first five §§ and again and again in the 40, so a relation
read per paragraph without its prefetch adds queries to the large meeting only.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from board.models import Appointment
from minutes.drafting import services
from minutes.drafting.forms import ParagraphForm
from minutes.models import Attendance, Meeting, Paragraph
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

BODIES = [
    "<p>Förbundschefen redovisar <strong>delårsrapporten</strong> per den 31 augusti.</p>"
    "<ul><li>Utfall 4,2 mnkr mot budget 4,5 mnkr</li><li>Prognos helår: <strong>överskott</strong></li></ul>",
    "<p>Styrelsen har att ta ställning till ett tilläggsäskande från Samordningsteam Sala.</p>",
    "<p>Revisorerna har granskat verksamheten.</p><p>Inga anmärkningar.</p>",
    "<ul><li>Arbetsträning</li><li>Stegförflyttning</li><li>Metodutveckling</li></ul>",
    "",
]


def build(board, secretary, *, paragraphs: int, date: dt.date) -> Meeting:
    meeting = services.meeting_create(organ=board.organ, date=date, place="Köping", actor=secretary)
    services.attendance_prefill(meeting=meeting, actor=secretary)
    members = [a.person for a in meeting.attendances.filter(role=Attendance.Role.MEMBER).select_related("person")]
    substitutes = [a.person for a in meeting.attendances.filter(role=Attendance.Role.SUBSTITUTE).select_related("person")]
    added: list[Paragraph] = []
    for i in range(paragraphs):
        kind = i % 5
        item = None
        if kind in (1, 4):
            item = services.agenda_item_add(meeting=meeting, title=f"Punkt {i}", proposed_decision="Att godkänna.",
                                            actor=secretary)
            services.document_add(meeting=meeting, title=f"Underlag {i}", agenda_item=item, actor=secretary)
        p = services.paragraph_add(
            meeting=meeting, title=f"Ärende {i}", dnr=f"PRV 2023/{i}" if kind != 2 else "",
            body=BODIES[i % len(BODIES)], agenda_item=item, actor=secretary,
            clauses=[f"Att anta förslag {i}", "Att uppdra åt förbundschefen"][: (i % 3)],
            **({"stock_decision": Paragraph.StockDecision.values[1]} if kind == 3 and i % 3 == 0 else {}),
        )
        if kind == 0:
            services.recusal_add(paragraph=p, person=members[0], reason="Styrelseledamot i sökande", actor=secretary)
            services.vote_record(
                paragraph=p, yes_text="Bifall", no_text="Avslag", actor=secretary,
                yes_proposer=members[1], no_proposer=members[2],
                ballots={members[1]: "ja", members[2]: "nej", members[3]: "ja"},
            )
            services.reservation_add(paragraph=p, person=members[2], motivation="Till förmån för avslag.",
                                     actor=secretary)
        elif kind == 1:
            services.document_add(meeting=meeting, title=f"Handling {i}", paragraph=p, actor=secretary)
            services.note_add(paragraph=p, text="Protokollsanteckning", person=members[3], actor=secretary)
        elif kind == 2:
            services.recusal_add(paragraph=p, person=members[4], actor=secretary)
            services.note_add(paragraph=p, text="Noteras utan person", actor=secretary)
        elif kind == 3:
            services.vote_record(
                paragraph=p, yes_text="Förslaget", no_text="Återremiss", actor=secretary,
                ballots={members[0]: "nej", members[1]: "ja", members[3]: "ja", members[4]: "ja"},
            )
        else:
            services.document_add(meeting=meeting, title=f"Bilaga {i}", paragraph=p, actor=secretary)
            services.reservation_add(paragraph=p, person=members[1], actor=secretary)
        added.append(p)
    # Present for some §§ only, a serving substitute for a ledamot, a guest, the justerare.
    services.attendance_set(meeting=meeting, person=members[4], from_paragraph=added[1],
                            until_paragraph=added[-1], present_from=dt.time(9, 50), actor=secretary)
    services.attendance_set(meeting=meeting, person=members[5], role=Attendance.Role.ABSENT, actor=secretary)
    services.attendance_set(meeting=meeting, person=substitutes[0], role=Attendance.Role.SERVING_SUBSTITUTE,
                            replacing=members[5], actor=secretary)
    services.adjusters_set(meeting=meeting, persons=[members[1]], actor=secretary)
    assert meeting.paragraphs.count() == paragraphs
    return meeting


def autosave_data(paragraph: Paragraph, body: str) -> dict[str, str]:
    """What the editor's form posts for the §: every field as it is, a new body."""
    paragraph = Paragraph.objects.prefetch_related("clauses").get(pk=paragraph.pk)
    data = {}
    for name, value in ParagraphForm.initial_for(paragraph).items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    data["body"] = body
    return data


def counts(client, meeting: Meeting) -> dict[str, int]:
    """Queries of the editor page, the preview and one autosave of the meeting's first §."""
    result = {}
    for page in ("minutes:editor", "minutes:preview"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(page, args=[meeting.pk]))
        assert response.status_code == 200
        result[page] = len(ctx)
    first = meeting.paragraphs.order_by("position").first()
    data = autosave_data(first, "<p>Förbundschefen redovisar <strong>ändrad</strong> text.</p>")
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse("minutes:paragraph_save", args=[first.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content
    first.refresh_from_db()  # saved: a conflict or an error answers 200 to htmx too, unsaved
    assert "ändrad" in first.body and first.version == int(data["version"]) + 1
    result["autosave"] = len(ctx)
    return result


def test_editor_preview_and_autosave_queries_are_constant_in_paragraphs(board, secretary, chair, member, login):
    # A sixth ledamot, absent, for whom an ersättare serves.
    AppointmentFactory(organ=board.organ, appointed_by=board.members[0], seat=Appointment.Seat.MEMBER,
                       start=dt.date(2020, 1, 1))
    client = login(secretary)
    small = build(board, secretary, paragraphs=5, date=dt.date(2023, 8, 29))
    small_counts = counts(client, small)
    large = build(board, secretary, paragraphs=40, date=dt.date(2023, 10, 3))
    html = client.get(reverse("minutes:editor", args=[large.pk])).content.decode()
    assert "Ärende 39" in html and "Underlag 39" in html
    large_counts = counts(client, large)
    print(f"queries at 5 and 40 §§: {small_counts} {large_counts}")  # shown with -s
    assert large_counts == small_counts
    # minutes_document joins each recusal's, reservation's, note's, proposal's and ballot's
    # person to its row: five queries fewer than a prefetch per person (the editor 31 and the
    # preview 26 before; an autosave does not read the whole minutes).
    assert large_counts == {"minutes:editor": 26, "minutes:preview": 21, "autosave": 26}


def test_the_editor_carries_forms_only_for_what_is_open(board, secretary, chair, member, login):
    """The page grows with the text of the minutes, not with forms times people: a § brings its
    forms (text, decisions, handlingar, votes with a ballot per voter, jäv, reservations, notes)
    only when it is opened, from paragraph_edit_part, and an attendance row its form only from
    attendance_edit_part; both take the same queries at 5 §§ as at 40."""
    AppointmentFactory(organ=board.organ, appointed_by=board.members[0], seat=Appointment.Seat.MEMBER,
                       start=dt.date(2020, 1, 1))
    client = login(secretary)
    small = build(board, secretary, paragraphs=5, date=dt.date(2023, 8, 29))
    large = build(board, secretary, paragraphs=40, date=dt.date(2023, 10, 3))

    def weight(meeting: Meeting) -> tuple[int, int, int]:
        html = client.get(reverse("minutes:editor", args=[meeting.pk])).content.decode()
        # Every § has one form on the page: the outline's ↑/↓ (without JavaScript).
        outline = html.count('class="outline-move"')
        return html.count("<form") - outline, html.count('class="paragraph-form'), html.count("<select")

    assert weight(small) == weight(large)
    assert weight(large)[1] == 0

    first = large.paragraphs.order_by("position").first()
    opened = client.get(reverse("minutes:editor", args=[large.pk]), {"redigera": first.pk}).content.decode()
    assert opened.count('class="paragraph-form') == 1 and f'id="p{first.pk}_body"' in opened

    def part_queries(meeting: Meeting) -> tuple[int, int]:
        paragraph = meeting.paragraphs.order_by("position").last()
        person = meeting.attendances.first().person_id
        result = []
        for url in (reverse("minutes:paragraph_edit_part", args=[paragraph.pk]),
                    reverse("minutes:attendance_edit_part", args=[meeting.pk, person])):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200
            result.append(len(ctx))
        return result[0], result[1]

    assert part_queries(small) == part_queries(large)
    part = client.get(reverse("minutes:paragraph_edit_part", args=[large.paragraphs.order_by("position").last().pk]))
    html = part.content.decode()
    # The last §: its form, its own number on the save button, and "Flytta ned" disabled.
    assert html.count('class="paragraph-form') == 1
    last = large.paragraphs.order_by("position").last()
    assert f"Spara {last.label}" in html
    assert 'value="down" class="govuk-button govuk-button--secondary" disabled' in html
    person = large.attendances.first()
    part = client.get(reverse("minutes:attendance_edit_part", args=[large.pk, person.person_id])).content.decode()
    # Its "Fr o m §" lists the §§ by their numbers now.
    assert part.count(f">§ {last.number}<") == 2 and 'name="role"' in part
