"""Handlingar uploaded as DOCX or XLSX get a PDF copy to read in the browser (issue 20, point 1):
made by a real Celery worker with LibreOffice, shown inline by "Läs", the original kept; until
the copy is there (or if it cannot be made) the room offers the original and says so."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook
from pypdf import PdfReader

from board.documents.models import MAX_ATTEMPTS, RenderedDocument
from board.documents.services import document_for_sha256, document_render
from minutes.drafting import services as minutes_services
from minutes.drafting.handling_pdf import HANDLING_PDF, copies_of
from tests.conftest import client_for, wait_until_rendered

PDF = b"%PDF-1.7\n% handling\n%%EOF\n"


def docx(text: str) -> bytes:
    """The smallest Word document LibreOffice opens: one paragraph."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'))
        z.writestr("word/document.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'))
    return buffer.getvalue()


def xlsx(value: str) -> bytes:
    book = Workbook()
    book.active["A1"] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def meeting(board, secretary):
    return minutes_services.meeting_create(organ=board.organ, date=timezone.localdate() + dt.timedelta(days=7),
                                           start_time=dt.time(9), place="Sala", actor=secretary)


def add(meeting, secretary, name: str, content: bytes, title: str):
    item = minutes_services.agenda_item_add(meeting=meeting, title=f"Punkt {title}", actor=secretary)
    return minutes_services.document_add(meeting=meeting, title=title, agenda_item=item,
                                         upload=SimpleUploadedFile(name, content), actor=secretary)


@pytest.mark.worker
def test_the_worker_makes_a_pdf_of_a_docx_and_an_xlsx_that_the_member_reads_inline(
    transactional_db, celery_worker, media_in_tmp, meeting, secretary, member, outsider,
):
    word = add(meeting, secretary, "yttrande.docx", docx("Yttrande om samverkan i Köping"), "Yttrande")
    sheet = add(meeting, secretary, "budget.xlsx", xlsx("Budgetram 2027"), "Budget")
    plain = add(meeting, secretary, "plan.pdf", PDF, "Plan")
    assert not copies_of(plain).exists()  # a PDF is read as it is
    for handling, words in ((word, "Yttrande om samverkan i Köping"), (sheet, "Budgetram 2027")):
        copy = wait_until_rendered(copies_of(handling).get().pk, timeout=120)
        response = client_for(member).get(f"/handlingar/{handling.pk}/visa/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")
        content = body(response)
        assert content == copy.file.read() and words in pdf_text(content)
        # The original stays what the handling is.
        original = client_for(member).get(f"/handlingar/{handling.pk}/")
        assert original.status_code == 200 and body(original) == handling.file.open("rb").read()
        assert client_for(outsider).get(f"/handlingar/{handling.pk}/visa/").status_code == 404
        assert client_for(outsider).get(f"/dokument/{copy.pk}/hamta/").status_code in (403, 404)
    page = client_for(member).get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    assert "Läs Yttrande" in page and "PDF av Word (DOCX)" in page and "Ladda ner originalet (Word (DOCX))" in page
    assert "Läs Budget" in page and "PDF av Excel (XLSX)" in page
    assert "görs" not in page


def test_before_the_copy_is_made_the_original_is_offered_and_the_room_says_so(
    transactional_db, media_in_tmp, meeting, secretary, member,
):
    word = add(meeting, secretary, "yttrande.docx", docx("Yttrande"), "Yttrande")
    copy = copies_of(word).get()
    assert copy.kind == HANDLING_PDF and copy.status == RenderedDocument.Status.QUEUED
    page = client_for(member).get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    assert "en PDF att läsa i webbläsaren görs" in page and "Läs Yttrande" not in page
    response = client_for(member).get(f"/handlingar/{word.pk}/visa/")
    assert response["Content-Disposition"].startswith("attachment") and body(response).startswith(b"PK")


def test_a_copy_that_cannot_be_made_is_recorded_and_the_original_still_offered(
    transactional_db, media_in_tmp, meeting, secretary, member, settings,
):
    settings.LIBREOFFICE_BINARY = "/finns/inte/soffice"
    word = add(meeting, secretary, "yttrande.docx", docx("Yttrande"), "Yttrande")
    copy = copies_of(word).get()
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(RuntimeError, match="finns inte på arbetaren"):
            document_render(copy.pk)
    copy.refresh_from_db()
    assert copy.status == RenderedDocument.Status.FAILED and not copy.is_pending
    page = client_for(member).get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    assert "kunde inte göras om till PDF, ladda ner originalet" in page
    assert f'href="/handlingar/{word.pk}/"' in page


def test_a_removed_handling_takes_its_copy_and_the_copys_file_with_it(
    transactional_db, media_in_tmp, meeting, secretary,
):
    word = add(meeting, secretary, "budget.xlsx", xlsx("Budgetram"), "Budget")
    copy = document_render(copies_of(word).get().pk)
    assert copy.status == RenderedDocument.Status.DONE and not copy.issued
    assert document_for_sha256(copy.sha256) is None  # /verifiera/ does not vouch for a reading copy
    files = [media_in_tmp / word.file.name, media_in_tmp / copy.file.name]
    assert all(f.exists() for f in files)
    minutes_services.document_delete(document=word, actor=secretary)
    assert not RenderedDocument.objects.filter(kind=HANDLING_PDF).exists()
    assert not any(f.exists() for f in files)
