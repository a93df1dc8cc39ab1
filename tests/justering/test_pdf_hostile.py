"""Text a person wrote reaches the minutes PDF and the mail as text: a name cannot end the
PDF's <style> element and make the renderer embed a file of the server in a sealed document,
and a line break in a title cannot stop (or add headers to) the extract's mail."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from minutes.justering import services as justering
from tests.conftest import mail_outbox
from tests.justering.conftest import sign
from tests.justering.test_pdf import pdf_text, rendered

pytestmark = pytest.mark.django_db

# Quotes are escaped in the CSS string, so the attributes go without them.
BREAKOUT = "Prov </style><a rel=attachment href=file:///etc/hostname>bilaga</a><style>"


def _annotations(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [str(a.get_object().get("/Subtype")) for page in reader.pages for a in (page.get("/Annots") or [])]


def test_a_name_cannot_end_the_pdf_style_element_and_attach_a_server_file(minutes, secretary, chair, member):
    organisation = minutes.organ.organisation
    organisation.name = BREAKOUT
    organisation.save()
    justering.minutes_send_for_justering(meeting=minutes, actor=secretary)
    for user in (secretary, chair, member):
        sign(minutes, user)
    content = rendered(minutes, "minutes.full").file.read()
    assert "/FileAttachment" not in _annotations(content)
    # Only the files the producer attaches: the minutes' data and each signature's evidence.
    assert sorted(PdfReader(io.BytesIO(content)).attachments) == [
        "protokoll.json", "underskrift-1-losenord.json", "underskrift-2-losenord.json", "underskrift-3-losenord.json"]
    # The header of every page shows the name as the text it is.
    pages = pdf_text(content).split("\f")[:-1]
    assert len(pages) > 3
    assert all("</style><a rel=attachment" in " ".join(page.split()) for page in pages)


def test_a_line_break_in_a_title_does_not_stop_the_extract_mail(minutes, secretary, chair, member):
    """A title is one line on the page; through the API it may carry a line break, which the
    mail's Subject header cannot: the extract was refused with a 500 (BadHeaderError)."""
    from board.documents.services import document_render
    from minutes.drafting import services as minutes_services

    paragraph = minutes.paragraphs.get(title__startswith="Tilläggsäskande")
    minutes_services.paragraph_update(paragraph=paragraph, expected_version=paragraph.version, actor=secretary,
                                      title="Tilläggsäskande\r\nBcc: alla@example.se")
    justering.minutes_send_for_justering(meeting=minutes, actor=secretary)
    for user in (secretary, chair, member):
        sign(minutes, user)
    paragraph.refresh_from_db()
    document_render(justering.extract_request(paragraph=paragraph, actor=secretary).pk)
    mail_outbox().clear()
    sent = justering.extract_send(paragraph=paragraph, actor=secretary)
    assert sent and len(mail_outbox()) == len(sent)
    assert mail_outbox()[0].subject == "Protokollsutdrag PRV § 4 Tilläggsäskande Bcc: alla@example.se"
    assert mail_outbox()[0].message()["Bcc"] is None and mail_outbox()[0].bcc == []
