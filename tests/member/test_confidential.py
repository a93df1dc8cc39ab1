"""Confidential handlingar (issue 20, point 3): marked on upload, shown only to the organ's
members and the secretary's side, watermarked with the reader's name, every opening logged."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from board.documents.pdf import render_pdf
from board.models import ApiToken
from minutes.drafting import services as minutes_services
from minutes.models import AgendaDocument, DocumentOpen
from tests.conftest import client_for

pytestmark = pytest.mark.django_db



def _xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(media_in_tmp):
    return media_in_tmp


@pytest.fixture(scope="module")
def real_pdf() -> bytes:
    return render_pdf("<html><body><p>Utredning om enskild deltagare</p></body></html>", title="Utredning")


def _text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def secret(board, secretary, real_pdf):
    meeting = minutes_services.meeting_create(organ=board.organ, date=timezone.localdate() + dt.timedelta(days=5),
                                              start_time=dt.time(9), place="Sala", actor=secretary)
    item = minutes_services.agenda_item_add(meeting=meeting, title="Individärende", actor=secretary)
    doc = minutes_services.document_add(
        meeting=meeting, title="Utredning (sekretess)", agenda_item=item, confidential=True,
        osl_reference="OSL 26 kap. 1 §", upload=SimpleUploadedFile("utredning.pdf", real_pdf), actor=secretary,
    )
    return meeting, item, doc


def test_a_confidential_handling_must_be_a_pdf_that_can_be_watermarked(board, secretary, secret):
    meeting, _item, _doc = secret
    before = AgendaDocument.objects.count()
    client = client_for(secretary)
    for name, content, says in (
        ("tabell.xlsx", _xlsx(), "laddas upp som PDF"),
        ("trasig.pdf", b"%PDF-1.7\n% inget mer\n%%EOF\n", "går inte att vattenmärka"),
    ):
        r = client.post(f"/sammantraden/{meeting.pk}/handlingar/", {
            "title": "Hemlig", "confidential": "on", "file": SimpleUploadedFile(name, content)}, follow=True)
        assert says in r.content.decode(), name
    assert AgendaDocument.objects.count() == before
    with pytest.raises(ValidationError):
        minutes_services.document_add(meeting=meeting, title="x", confidential=True,
                                      upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"), actor=secretary)


def test_a_member_gets_a_copy_with_their_name_and_the_secretary_sees_the_opening(board, member, secretary, secret,
                                                                                  real_pdf):
    meeting, _item, doc = secret
    client = client_for(member)
    room = client.get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    assert "Utredning (sekretess)" in room and "Sekretess: OSL 26 kap. 1 §" in room
    download = client.get(f"/handlingar/{doc.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content != real_pdf
    text = " ".join(_text(download.content).split())
    name = member.person.full_name
    assert "Utredning om enskild deltagare" in text  # the handling itself
    assert f"Utlämnad till {name}" in text and "OSL 26 kap. 1 §" in text
    read = client.get(f"/handlingar/{doc.pk}/visa/")
    assert read["Content-Disposition"].startswith("inline") and name in _text(read.content)
    bundle = client.get(f"/mitt-sammantrade/{meeting.pk}/handlingar.zip")
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as z:
        assert name in _text(z.read(z.namelist()[0]))
    assert list(DocumentOpen.objects.filter(document=doc).order_by("pk").values_list("reader", "how")) == [
        (name, "nedladdning"), (name, "lasning"), (name, "zip"),
    ]
    kallelse = client_for(secretary).get(f"/sammantraden/{meeting.pk}/").content.decode()
    assert "Öppnade sekretessmarkerade handlingar" in kallelse and name in kallelse
    # The member sees no log.
    assert "Öppnade sekretessmarkerade handlingar" not in client.get(f"/sammantraden/{meeting.pk}/").content.decode()


def test_those_who_see_the_meeting_but_are_not_entitled_see_nothing_of_it(board, auditor, secretary, secret):
    meeting, _item, doc = secret
    client = client_for(auditor)
    kallelse = client.get(f"/sammantraden/{meeting.pk}/")
    assert kallelse.status_code == 200
    assert "Utredning (sekretess)" not in kallelse.content.decode()
    assert client.get(f"/handlingar/{doc.pk}/").status_code == 404
    assert client.get(f"/handlingar/{doc.pk}/visa/").status_code == 404
    assert client.get(f"/mitt-sammantrade/{meeting.pk}/handlingar.zip").status_code == 404  # nothing else to bundle
    assert client.post(f"/mitt-sammantrade/{meeting.pk}/anteckning/", {"document": doc.pk, "text": "x"}).status_code == 404
    assert not DocumentOpen.objects.exists()
    # The API says the same: the secretary's list has it, marked; the auditor's does not.
    def api(user):
        _token, key = ApiToken.issue(user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {key}"}).get(f"/api/v1/meetings/{meeting.pk}/documents").json()

    assert [(d["title"], d["confidential"]) for d in api(secretary)] == [("Utredning (sekretess)", True)]
    assert api(auditor) == []


def test_a_member_whose_seat_does_not_cover_the_meeting_day_is_not_entitled(board, member, secret):
    meeting, _item, doc = secret
    member.person.appointments.update(end=timezone.localdate())
    client = client_for(member)
    assert client.get(f"/handlingar/{doc.pk}/").status_code == 404
    assert "Utredning (sekretess)" not in client.get(f"/sammantraden/{meeting.pk}/").content.decode()


def test_a_confidential_handling_the_storage_lost_is_refused_with_a_reason(member, secret):
    _meeting, _item, doc = secret
    doc.file.storage.delete(doc.file.name)
    r = client_for(member).get(f"/handlingar/{doc.pk}/")
    assert r.status_code == 409 and "lämnas därför inte ut" in r.content.decode()
    assert not DocumentOpen.objects.exists()
