"""Mitt sammanträde (issue 20, points 1 and 2): a ledamot's coming meetings, a meeting's agenda
with its handlingar to read in the browser or download together, what is new since the last
visit, and private notes that no one but their author ever sees."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minutes.drafting import services as minutes_services
from minutes.models import PrivateNote
from tests.conftest import client_for, user_with_seat

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% handling\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(media_in_tmp):
    return media_in_tmp


@pytest.fixture
def coming(board, secretary):
    day = timezone.localdate() + dt.timedelta(days=10)
    meeting = minutes_services.meeting_create(organ=board.organ, date=day, start_time=dt.time(9), place="Sala",
                                              actor=secretary)
    item = minutes_services.agenda_item_add(meeting=meeting, title="Budget 2027", actor=secretary)
    doc = minutes_services.document_add(meeting=meeting, title="Budgetförslag", agenda_item=item,
                                        upload=SimpleUploadedFile("budget.pdf", PDF), actor=secretary)
    return meeting, item, doc


def test_the_room_lists_the_coming_meetings_of_the_members_organs_only(board, member, secretary, coming):
    meeting, _item, _doc = coming
    past = minutes_services.meeting_create(organ=board.organ, date=dt.date(2023, 1, 5), start_time=dt.time(9),
                                           place="Sala", actor=secretary)
    page = client_for(member).get("/mitt-sammantrade/").content.decode()
    assert f"/mitt-sammantrade/{meeting.pk}/" in page
    assert f"/mitt-sammantrade/{past.pk}/" not in page
    # The secretary holds no seat: no meeting is "theirs".
    assert "Du har inga kommande sammanträden" in client_for(secretary).get("/mitt-sammantrade/").content.decode()


def test_a_seat_that_has_ended_by_the_meeting_day_does_not_list_it(board, coming):
    meeting, _item, _doc = coming
    former = user_with_seat(board, "avgangen", 2)
    former.person.appointments.update(end=meeting.date - dt.timedelta(days=1))
    assert f"/mitt-sammantrade/{meeting.pk}/" not in client_for(former).get("/mitt-sammantrade/").content.decode()


def test_the_meeting_shows_its_agenda_reads_a_pdf_inline_and_bundles_every_handling(member, coming):
    meeting, item, doc = coming
    client = client_for(member)
    page = client.get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    assert "Budget 2027" in page and f"/handlingar/{doc.pk}/visa/" in page and f"/handlingar/{doc.pk}/" in page
    read = client.get(f"/handlingar/{doc.pk}/visa/")
    assert read.status_code == 200 and read["Content-Type"] == "application/pdf"
    assert read["Content-Disposition"].startswith("inline")
    assert b"".join(read.streaming_content) == PDF
    bundle = client.get(f"/mitt-sammantrade/{meeting.pk}/handlingar.zip")
    assert bundle["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as z:
        assert z.namelist() == [f"01-punkt-{item.position}-budget.pdf"]
        assert z.read(z.namelist()[0]) == PDF


def test_what_came_after_the_last_visit_is_marked_new(member, secretary, coming):
    meeting, item, _doc = coming
    client = client_for(member)
    assert "Första gången" in client.get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    assert "Inget nytt sedan du tittade senast" in client.get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        later = minutes_services.document_add(meeting=meeting, title="Kompletterande PM", agenda_item=item,
                                              upload=SimpleUploadedFile("pm.pdf", PDF), actor=secretary)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        page = client.get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
        assert "1 ny handling sedan du tittade senast" in page
        assert f'<li id="handling-{later.pk}"><span class="govuk-tag govuk-tag--grey">Ny</span>' in page
        again = client.get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    assert "Inget nytt sedan du tittade senast" in again


def test_a_note_is_saved_shown_to_its_author_only_and_an_empty_one_deleted(board, member, chair, secretary, coming):
    meeting, item, doc = coming
    mine, theirs = client_for(member), client_for(chair)
    r = mine.post(f"/mitt-sammantrade/{meeting.pk}/anteckning/",
                  {"agenda_item": item.pk, "text": "Fråga om <b>lönerna</b>"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and r.content.decode() == "Sparad"
    mine.post(f"/mitt-sammantrade/{meeting.pk}/anteckning/", {"document": doc.pk, "text": "Sidan 3!"})
    page = mine.get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    assert "Fråga om &lt;b&gt;lönerna&lt;/b&gt;" in page and "Sidan 3!" in page  # escaped, never markup
    # Another member of the same board, the secretary on the kallelse and editor: nothing of it.
    for client, url in ((theirs, f"/mitt-sammantrade/{meeting.pk}/"), (client_for(secretary), f"/sammantraden/{meeting.pk}/"),
                        (client_for(secretary), f"/sammantraden/{meeting.pk}/protokoll/forhandsvisning/")):
        body = client.get(url).content.decode()
        assert "lönerna" not in body and "Sidan 3!" not in body, url
    assert "lönerna" not in client_for(chair).get("/mina-anteckningar.txt").content.decode()
    # Another's note on the same item is their own row.
    theirs.post(f"/mitt-sammantrade/{meeting.pk}/anteckning/", {"agenda_item": item.pk, "text": "Ordförandens"})
    assert "Ordförandens" not in mine.get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    assert PrivateNote.objects.count() == 3
    # Emptied: gone.
    mine.post(f"/mitt-sammantrade/{meeting.pk}/anteckning/", {"agenda_item": item.pk, "text": "   "})
    assert not PrivateNote.objects.filter(author=member, agenda_item=item).exists()


def test_a_note_on_another_meetings_item_or_too_long_is_refused_and_nothing_saved(board, member, secretary, coming):
    meeting, item, _doc = coming
    other = minutes_services.meeting_create(organ=board.organ, date=meeting.date + dt.timedelta(days=30),
                                            start_time=dt.time(9), place="Heby", actor=secretary)
    client = client_for(member)
    assert client.post(f"/mitt-sammantrade/{other.pk}/anteckning/", {"agenda_item": item.pk, "text": "x"}).status_code == 404
    assert client.post(f"/mitt-sammantrade/{meeting.pk}/anteckning/", {"agenda_item": "abc", "text": "x"}).status_code == 404
    assert client.post(f"/mitt-sammantrade/{meeting.pk}/anteckning/", {"text": "x"}).status_code == 400
    r = client.post(f"/mitt-sammantrade/{meeting.pk}/anteckning/", {"agenda_item": item.pk, "text": "x" * 20_001},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 422 and "högst 20 000 tecken" in r.content.decode()
    assert not PrivateNote.objects.exists()


def test_the_export_holds_the_authors_notes_and_a_member_whose_seat_ended_loses_the_room(board, member, coming, outsider):
    meeting, item, doc = coming
    client = client_for(member)
    client.post(f"/mitt-sammantrade/{meeting.pk}/anteckning/", {"agenda_item": item.pk, "text": "Min fråga"})
    client.post(f"/mitt-sammantrade/{meeting.pk}/anteckning/", {"document": doc.pk, "text": "Se tabell 2"})
    export = client.get("/mina-anteckningar.txt")
    assert export["Content-Disposition"] == 'attachment; filename="mina-anteckningar.txt"'
    text = export.content.decode()
    assert "Budget 2027" in text and "Min fråga" in text and "Handling: Budgetförslag" in text and "Se tabell 2" in text
    assert "Inga anteckningar." in client_for(outsider).get("/mina-anteckningar.txt").content.decode()
    # The seat ends (and with it the association's access, as today): the room and its notes are closed to them.
    member.person.appointments.update(end=dt.date(2021, 1, 1))
    assert client.get(f"/mitt-sammantrade/{meeting.pk}/").status_code == 404
    assert client.get(f"/handlingar/{doc.pk}/visa/").status_code == 404
    assert "Min fråga" not in client.get("/mina-anteckningar.txt").content.decode()


def test_notes_are_in_no_history_admin_api_or_public_output(admin_client, member, secretary, coming, settings):
    meeting, item, _doc = coming
    client_for(member).post(f"/mitt-sammantrade/{meeting.pk}/anteckning/", {"agenda_item": item.pk, "text": "HEMLIGT-7"})
    assert not hasattr(PrivateNote, "history")
    from django.contrib import admin
    assert PrivateNote not in admin.site._registry
    api = client_for(secretary).get(f"/api/v1/meetings/{meeting.pk}")
    assert "HEMLIGT-7" not in api.content.decode()
    for url in ("/anslagstavla/", "/sok/?q=HEMLIGT", "/api/v1/public/meetings"):
        assert "HEMLIGT-7" not in client_for(member).get(url).content.decode(), url


def test_a_handling_the_storage_lost_is_named_in_the_bundle_not_a_server_error(member, coming):
    meeting, _item, doc = coming
    doc.file.storage.delete(doc.file.name)
    bundle = client_for(member).get(f"/mitt-sammantrade/{meeting.pk}/handlingar.zip")
    assert bundle.status_code == 200
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as z:
        (name,) = z.namelist()
        assert name.endswith(".txt") and "saknas i lagringen" in z.read(name).decode()


def test_during_the_meeting_the_room_shows_the_notes_beside_their_items_and_after_it_the_export_keeps_them(
    board, member, secretary,
):
    """On the meeting day the room is the member's view of the meeting: the agenda with each
    note beside its item. From the next day the meeting leaves the room, the notes stay theirs."""
    today = timezone.localdate()
    meeting = minutes_services.meeting_create(organ=board.organ, date=today, start_time=dt.time(9), place="Sala",
                                              actor=secretary)
    first = minutes_services.agenda_item_add(meeting=meeting, title="Budget 2027", actor=secretary)
    second = minutes_services.agenda_item_add(meeting=meeting, title="Verksamhetsplan", actor=secretary)
    client = client_for(member)
    for item, text in ((first, "Fråga om lönerna"), (second, "Stöd förslaget")):
        client.post(f"/mitt-sammantrade/{meeting.pk}/anteckning/", {"agenda_item": item.pk, "text": text})
    assert f"/mitt-sammantrade/{meeting.pk}/" in client.get("/mitt-sammantrade/").content.decode()
    page = client.get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    # Each note inside its own item's block, not another's.
    blocks = {item: page[page.index(f'id="punkt-{item.pk}"'):] for item in (first, second)}
    assert blocks[first].index("Fråga om lönerna") < blocks[first].index(f'id="punkt-{second.pk}"')
    assert "Fråga om lönerna" not in blocks[second] and "Stöd förslaget" in blocks[second]
    with time_machine.travel(today + dt.timedelta(days=1, hours=12)):
        assert f"/mitt-sammantrade/{meeting.pk}/" not in client.get("/mitt-sammantrade/").content.decode()
        export = client.get("/mina-anteckningar.txt").content.decode()
    assert "Fråga om lönerna" in export and "Stöd förslaget" in export
