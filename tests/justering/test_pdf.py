"""The PDFs: seed-000 layout text, PDF/A identification, the JSON attachment, the seal and
/verifiera/, the public version without confidential content, and the protokollsutdrag."""

from __future__ import annotations

import io
import json
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from board.documents.models import RenderedDocument
from board.documents.pdf import verify_pdf
from board.documents.services import document_render
from minutes.justering import services as justering
from tests.conftest import mail_outbox
from tests.justering.conftest import build_minutes, sign

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def rendered(meeting, kind: str) -> RenderedDocument:
    document = RenderedDocument.objects.get(object_id=meeting.pk, kind=kind)
    document_render(document.pk)  # what the worker does (the worker itself: test_worker.py)
    document.refresh_from_db()
    assert document.status == RenderedDocument.Status.DONE, document.error
    return document


@pytest.fixture
def full_pdf(justered) -> tuple[RenderedDocument, bytes]:
    document = rendered(justered, "minutes.full")
    return document, document.file.read()


def test_the_full_minutes_read_like_the_seed(justered, full_pdf):
    document, content = full_pdf
    text = pdf_text(content)
    flat = " ".join(text.split())
    pages = text.split("\f")[:-1]
    n = len(pages)
    assert n >= 9  # front, contents, one § a page
    organisation = justered.organ.organisation
    for i, page in enumerate(pages, start=1):
        assert "Sammanträdesprotokoll" in page
        assert organisation.name in page
        assert "Sammanträdesdatum 2023-11-02" in page
        assert f"Sida {i} ({n})" in page
        assert "Utdragsbestyrkande" in page
    assert "Sida 1 (" in pages[0] and f"Sida {n} ({n})" in pages[-1]
    for paragraph in justered.paragraphs.all():
        assert re.search(rf"{paragraph.prefix}\s+§\s+{paragraph.number}\b", text), paragraph.label
    for label in ("Plats och tid", "Beslutande", "Ersättare", "Övriga deltagande", "Justering",
                  "ANSLAG/BEVIS", "Innehållsförteckning", "Förvaringsplats", "Anslaget publiceras"):
        assert label in flat, label
    first, last = justered.paragraphs.order_by("number").first(), justered.paragraphs.order_by("number").last()
    assert f"Paragrafer {first.prefix} §§ {first.number}–{last.number}" in text
    signatures = list(justered.versions.get(number=1).signatures.select_related("person"))
    assert len(signatures) == 3
    for s in signatures:
        from django.utils import timezone
        stamp = timezone.localtime(s.signed_at).strftime("%Y-%m-%d %H:%M")
        assert re.search(rf"{s.person.full_name}\s+{stamp}", text), (s.person.full_name, stamp)
    # The roles as the seeds print them: "Sekreterare", then the secretary's name.
    assert "Sekreterare Sekreterare Kansli" in flat and "Ordförande" in text and "Justerande" in text
    assert "Vid protokollet" not in text
    assert "HEMLIGT-INNEHALL" in text  # the full version has the confidential §
    assert document.metadata["signers"][0]["signed_at"]


def test_the_pdf_is_pdfa3b_tagged_swedish_with_the_minutes_as_json(justered, full_pdf):
    _document, content = full_pdf
    reader = PdfReader(io.BytesIO(content))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(>|=\")3", xmp) and re.search(r"pdfaid:conformance(>|=\")B", xmp)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert "/StructTreeRoot" in root
    data = json.loads(reader.attachments["protokoll.json"][0])
    version = justered.versions.get(number=1)
    assert data["sha256"] == version.sha256 and data["minutes"] == version.snapshot
    assert len(data["signatures"]) == 3
    # Info /Producer and XMP pdf:Producer agree after sealing.
    producer = reader.metadata.producer
    assert producer and producer in xmp


def test_the_seal_validates_and_fails_after_one_changed_byte(full_pdf, client):
    document, content = full_pdf
    assert verify_pdf(content).ok
    i = content.index(b"Sammantr") if b"Sammantr" in content else len(content) // 2
    changed = content[:i] + bytes([content[i] ^ 0x01]) + content[i + 1:]
    assert not verify_pdf(changed).ok

    def upload(data: bytes):
        return client.post("/verifiera/", {"file": io.BytesIO(data), "sha256": ""}, format="multipart")

    ok = upload(content).content.decode()
    assert "Äkta" in ok and '<td class="govuk-table__cell">Sekreterare</td>' in ok
    assert any(s["name"] in ok for s in document.metadata["signers"])
    refused = upload(changed).content.decode()
    assert "Äkta" not in refused and "har ändrats eller är inte utfärdat av oss" in refused


def test_the_public_version_keeps_the_number_but_not_the_content_of_a_confidential_paragraph(justered):
    document = rendered(justered, "minutes.public")
    content = document.file.read()
    text = pdf_text(content)
    secret = justered.paragraphs.get(is_confidential=True)
    assert "HEMLIGT-INNEHALL" not in text and "Att godkänna överenskommelsen" not in text
    assert "Personalärende" not in text
    assert re.search(rf"{secret.prefix}\s+§\s+{secret.number}\b", text)
    assert "Sekretess enligt OSL 39 kap. 3 § OSL" in text
    data = json.loads(PdfReader(io.BytesIO(content)).attachments["protokoll.json"][0])
    assert "HEMLIGT-INNEHALL" not in json.dumps(data, ensure_ascii=False)
    assert verify_pdf(content).ok


def test_a_thirteen_page_minutes_renders(board, secretary, chair, member):
    m = build_minutes(board, secretary, chair, member, extra_paragraphs=4)
    justering.minutes_send_for_justering(meeting=m, actor=secretary)
    for user in (secretary, chair, member):
        sign(m, user)
    text = pdf_text(rendered(m, "minutes.full").file.read())
    n = text.count("\f")
    assert n >= 13 and f"Sida {n} ({n})" in text


def test_the_extract_is_certified_sealed_and_sent_to_exp_till(justered, secretary, member, login):
    paragraph = justered.paragraphs.get(title__startswith="Tilläggsäskande")
    with pytest.raises(ValidationError, match="skapas"):
        justering.extract_send(paragraph=paragraph, actor=secretary)
    document = justering.extract_request(paragraph=paragraph, actor=secretary)
    document_render(document.pk)
    document.refresh_from_db()
    content = document.file.read()
    text = pdf_text(content)
    assert "Rätt utdraget ur protokollet intygar" in text
    assert secretary.person.full_name in text
    assert paragraph.label.replace(" ", "") in text.replace(" ", "")
    assert "120 tkr" in text
    assert verify_pdf(content).ok
    mail_outbox().clear()
    sent = justering.extract_send(paragraph=paragraph, actor=secretary)
    assert sorted(sent) == sorted(["styrgrupp@sala.example.se", member.person.email])
    assert len(mail_outbox()) == 2
    name, data, mime = mail_outbox()[0].attachments[0]
    assert mime == "application/pdf" and data == content
    response = login(member).get(f"/dokument/{document.pk}/hamta/")
    assert response.status_code == 200


def test_an_extract_needs_justerade_minutes(sent, secretary):
    with pytest.raises(ValidationError, match="justerat"):
        justering.extract_request(paragraph=sent.paragraphs.first(), actor=secretary)


def test_the_extract_shows_the_paragraph_as_the_minutes_do(board, secretary, chair, member):
    """A certified extract is the paragraph as the minutes have it: its handlingar with their
    heading, the vote and its result, not a shortened copy."""
    from minutes.drafting import services as minutes_services
    from minutes.models import Attendance

    m = build_minutes(board, secretary, chair, member)
    p = m.paragraphs.get(title__startswith="Tilläggsäskande")
    voters = [a.person for a in m.attendances.filter(role__in=Attendance.VOTING_ROLES).select_related("person")]
    minutes_services.vote_record(paragraph=p, yes_text="Bifall till 120 tkr", no_text="Avslag", actor=secretary,
                                 ballots={voters[0]: "ja", voters[1]: "ja", voters[2]: "nej"})
    minutes_services.document_add(meeting=m, title="Skrivelse från styrgruppen", paragraph=p, actor=secretary)
    justering.minutes_send_for_justering(meeting=m, actor=secretary)
    for user in (chair, member, secretary):
        sign(m, user)
    m.refresh_from_db()  # the paragraph's meeting too: it is this object
    assert m.status == "justerat"
    full = " ".join(pdf_text(rendered(m, "minutes.full").file.read()).split())
    document = justering.extract_request(paragraph=p, actor=secretary)
    document_render(document.pk)
    document.refresh_from_db()
    extract = " ".join(pdf_text(document.file.read()).split())
    for text in ("Handling: Skrivelse från styrgruppen", "Omröstning", "Ja-röst: Bifall till 120 tkr",
                 "Nej-röst: Avslag", "Med 2 ja-röster mot 1 nej-röster (0 avstår) bifaller styrelsen ja-förslaget."):
        assert text in full, text
        assert text in extract, text


def test_the_public_pdf_masks_identity_numbers_the_full_keeps_them(board, secretary, chair, member):
    """Issue 17: whatever the secretary wrote, the public PDF (its text and its protokoll.json)
    holds no personnummer; the full, signed version keeps what was signed."""
    from minutes.drafting import services as minutes_services

    meeting = build_minutes(board, secretary, chair, member)
    minutes_services.paragraph_add(
        meeting=meeting, title="Anmälan från 19121212-1212", position=6, actor=secretary,
        body="Tolvan Tolvansson, personnummer 19121212-1212, har ansökt. Dnr 2023/1212-12.",
        clauses=["Att notera anmälan från 121212-1212"],
    )
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    for user in (chair, member, secretary):
        sign(meeting, user)
    public = rendered(meeting, "minutes.public").file.read()
    text = pdf_text(public)
    flat = " ".join(text.split())
    assert "Tolvan Tolvansson" in flat  # the paragraph is there
    assert "1212-1212" not in flat and "121212-1212" not in flat
    assert "ÅÅÅÅMMDD-XXXX" in flat and "Dnr 2023/1212-12" in flat  # masked; a diarienummer is not
    data = PdfReader(io.BytesIO(public)).attachments["protokoll.json"][0].decode()
    assert "1212-1212" not in data
    full = pdf_text(rendered(meeting, "minutes.full").file.read())
    assert "19121212-1212" in " ".join(full.split())
