"""The minutes pages: the secretary works, readers read, the outsider and anonymous get nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from minutes.drafting import services
from minutes.models import Attendance, Meeting, Paragraph


@pytest.fixture
def drafted(meeting, secretary):
    services.agenda_item_add(meeting=meeting, title="Budget 2024", dnr="PRV 2023/1", actor=secretary)
    services.minutes_start(meeting=meeting, actor=secretary)
    return Meeting.objects.get(pk=meeting.pk)


def page_urls(meeting: Meeting) -> list[str]:
    return [
        reverse("minutes:meetings", args=[meeting.organ.organisation.slug]),
        reverse("minutes:kallelse", args=[meeting.pk]),
        reverse("minutes:preview", args=[meeting.pk]),
        reverse("minutes:kallelse_ics", args=[meeting.pk]),
    ]


def editor_urls(meeting: Meeting) -> list[str]:
    a = meeting.attendances.first()
    assert a is not None
    return [
        reverse("minutes:meeting_create", args=[meeting.organ.organisation.slug]),
        reverse("minutes:editor", args=[meeting.pk]),
        # The edit forms of a § and of an attendance row, fetched when they open.
        reverse("minutes:paragraph_edit_part", args=[meeting.paragraphs.first().pk]),
        reverse("minutes:attendance_edit_part", args=[meeting.pk, a.person_id]),
    ]


def post_urls(meeting: Meeting) -> list[str]:
    p = meeting.paragraphs.first()
    a = meeting.attendances.first()
    urls = [
        reverse("minutes:paragraph_year", args=[meeting.organ.organisation.slug]),
        reverse("minutes:meeting_create", args=[meeting.organ.organisation.slug]),
        reverse("minutes:kallelse", args=[meeting.pk]),
        reverse("minutes:agenda_add", args=[meeting.pk]),
        reverse("minutes:agenda_change", args=[meeting.pk, meeting.agenda_items.first().pk]),
        reverse("minutes:document_add", args=[meeting.pk]),
        reverse("minutes:kallelse_send", args=[meeting.pk]),
        reverse("minutes:minutes_start", args=[meeting.pk]),
        reverse("minutes:attendance_save", args=[meeting.pk]),
        reverse("minutes:attendance_prefill", args=[meeting.pk]),
        reverse("minutes:attendance_guest", args=[meeting.pk]),
        reverse("minutes:adjusters_save", args=[meeting.pk]),
        reverse("minutes:paragraph_add", args=[meeting.pk]),
        reverse("minutes:paragraph_save", args=[p.pk]),
        reverse("minutes:paragraph_move", args=[p.pk]),
        reverse("minutes:paragraph_delete", args=[p.pk]),
        reverse("minutes:vote_add", args=[p.pk]),
        reverse("minutes:child_add", args=[p.pk, "jav"]),
        reverse("minutes:child_add", args=[p.pk, "reservation"]),
        reverse("minutes:child_add", args=[p.pk, "anteckning"]),
    ]
    assert a is not None
    return urls


def test_the_secretary_sees_every_page(drafted, secretary, login):
    client = login(secretary)
    for url in page_urls(drafted) + editor_urls(drafted):
        response = client.get(url)
        assert response.status_code == 200, url


def test_a_board_member_reads_but_cannot_edit(drafted, member, login):
    client = login(member)
    for url in page_urls(drafted):
        assert client.get(url).status_code == 200, url
    for url in editor_urls(drafted):
        assert client.get(url).status_code == 403, url
    for url in post_urls(drafted):
        assert client.post(url, {"title": "X"}).status_code == 403, url


def test_the_outsider_gets_404_on_every_page_and_action(drafted, outsider, login):
    client = login(outsider)
    for url in page_urls(drafted) + editor_urls(drafted):
        assert client.get(url).status_code == 404, url
    for url in post_urls(drafted):
        assert client.post(url, {"title": "Inbrytning", "person": 1}).status_code == 404, url
    assert Paragraph.objects.filter(title="Inbrytning").count() == 0
    assert drafted.paragraphs.count() == 6


def test_the_edit_forms_are_refused_once_the_minutes_cannot_change(drafted, secretary, login):
    client = login(secretary)
    # A person who is not on the attendance list: 404.
    listed = set(drafted.attendances.values_list("person_id", flat=True))
    assert client.get(reverse("minutes:attendance_edit_part", args=[drafted.pk, max(listed) + 1000])).status_code == 404
    Meeting.objects.filter(pk=drafted.pk).update(status=Meeting.Status.SIGNED)
    for url in editor_urls(drafted)[2:]:
        response = client.get(url)
        assert response.status_code == 409, url
        assert "Protokollet kan inte ändras." in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(drafted, client):
    for url in page_urls(drafted) + editor_urls(drafted) + post_urls(drafted):
        response = client.post(url) if "ta-bort" in url else client.get(url)
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"], url


def test_the_outsider_cannot_download_a_handling(drafted, secretary, outsider, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = services.document_add(
        meeting=drafted, title="Budget", upload=SimpleUploadedFile("b.pdf", b"%PDF-1.7\n%%EOF\n"), actor=secretary
    )
    url = reverse("minutes:document", args=[doc.pk])
    assert login(outsider).get(url).status_code == 404
    assert login(outsider).post(reverse("minutes:document_delete", args=[doc.pk])).status_code == 404
    response = login(secretary).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_secretary_creates_a_meeting_with_the_form(board, secretary, login):
    client = login(secretary)
    url = reverse("minutes:meeting_create", args=[board.organisation.slug])
    response = client.post(url, {
        "organ": board.organ.pk, "date": "2023-11-02", "start_time": "08:30", "end_time": "09:30",
        "place": "", "is_remote": "on", "kind": "extra",
    })
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("minutes:kallelse", args=[meeting.pk])
    assert meeting.is_remote and meeting.kind == "extra" and meeting.date == dt.date(2023, 11, 2)


def test_a_meeting_without_place_is_refused_with_a_reason(board, secretary, login):
    response = login(secretary).post(
        reverse("minutes:meeting_create", args=[board.organisation.slug]),
        {"organ": board.organ.pk, "date": "2023-11-02", "kind": "ordinarie"},
    )
    assert response.status_code == 422
    assert "Ange en plats" in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_organ_of_another_association_cannot_be_chosen(board, other_board, secretary, login):
    response = login(secretary).post(
        reverse("minutes:meeting_create", args=[board.organisation.slug]),
        {"organ": other_board.organ.pk, "date": "2023-11-02", "place": "X", "kind": "ordinarie"},
    )
    assert response.status_code == 422
    assert not Meeting.objects.exists()


def test_the_paragraph_form_saves_without_javascript(drafted, secretary, login):
    p = drafted.paragraphs.get(kind="")
    response = login(secretary).post(reverse("minutes:paragraph_save", args=[p.pk]), {
        "version": p.version, "title": "Budget 2024", "body": "Förbundschefen *föredrar*.",
        "clauses": "Att anta budgeten\nAtt uppdra åt förbundschefen att verkställa", "exp_till": "Diariet",
    })
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.version == 2 and p.exp_till == "Diariet"
    assert list(p.clauses.values_list("text", flat=True)) == [
        "Att anta budgeten", "Att uppdra åt förbundschefen att verkställa"
    ]


def test_htmx_autosave_answers_with_the_new_version(drafted, secretary, login):
    p = drafted.paragraphs.get(kind="")
    response = login(secretary).post(
        reverse("minutes:paragraph_save", args=[p.pk]),
        {"version": p.version, "title": "Budget 2024", "body": "Utkast"}, HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in html and f'value="{p.version + 1}"' in html


def test_attendance_partial_presence_is_saved_from_the_editor(drafted, secretary, chair, login):
    p1, p2 = drafted.paragraphs.order_by("position")[:2]
    response = login(secretary).post(reverse("minutes:attendance_save", args=[drafted.pk]), {
        "person": chair.person.pk, "role": Attendance.Role.MEMBER, "function": "ordforande",
        "is_remote": "on", "present_from": "09:50", "from_paragraph": p1.pk, "until_paragraph": p2.pk,
    })
    assert response.status_code == 302
    row = Attendance.objects.get(meeting=drafted, person=chair.person)
    assert row.is_remote and row.present_from == dt.time(9, 50) and row.until_paragraph == p2
    preview = login(secretary).get(reverse("minutes:preview", args=[drafted.pk])).content.decode()
    assert f"(fr o m kl 09.50, §§ {p1.number}–{p2.number}, via Teams)" in preview


def test_my_meetings_lists_only_what_the_user_may_see(drafted, secretary, outsider, login, client):
    url = reverse("minutes:my_meetings")
    assert drafted.date.strftime("%Y-%m-%d") in login(secretary).get(url).content.decode()
    assert drafted.date.strftime("%Y-%m-%d") not in login(outsider).get(url).content.decode()
    assert client.get(url).status_code == 302


def test_the_association_page_links_to_its_meetings(org, secretary, login):
    html = login(secretary).get(reverse("board:organisation", args=[org.slug])).content.decode()
    assert reverse("minutes:meetings", args=[org.slug]) in html


def test_the_calendar_file_is_offered_on_the_kallelse_page(drafted, member, login):
    response = login(member).get(reverse("minutes:kallelse_ics", args=[drafted.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content and b"Hotell Scheele" in response.content


def test_each_paragraphs_save_state_names_when_it_was_saved_in_local_time(drafted, secretary, login):
    """Today: "Sparad kl 14.05"; an earlier day: with its date; the time in Swedish time, not
    UTC (a § saved at 23.30 UTC on New Year's Eve was saved 00.30 on New Year's Day here)."""
    from django.utils import timezone

    first, second = services.paragraph_add(meeting=drafted, title="A", actor=secretary), \
        services.paragraph_add(meeting=drafted, title="B", actor=secretary)
    now = timezone.localtime()
    Paragraph.objects.filter(pk=first.pk).update(updated_at=now.replace(hour=14, minute=5))
    Paragraph.objects.filter(pk=second.pk).update(
        updated_at=dt.datetime(2022, 12, 31, 23, 30, tzinfo=dt.UTC))
    html = login(secretary).get(reverse("minutes:editor", args=[drafted.pk])).content.decode()

    def status(p):
        start = html.index(f'id="status-{p.pk}"')
        return html[html.index(">", start) + 1:html.index("</span>", start)]

    assert status(first) == "Sparad kl 14.05"
    assert status(second) == "Sparad 2023-01-01 kl 00.30"
