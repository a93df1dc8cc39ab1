"""/verifiera/: anyone can learn whether a PDF (or a SHA-256) is one we issued, and intact."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from board.documents.pdf import render_pdf, seal_pdf
from board.documents.services import document_render, document_request

URL = "/verifiera/"
REFUSED = "Dokumentet har ändrats eller är inte utfärdat av oss"


@pytest.fixture
def issued(org, producers):
    document = document_request(kind="test.sample", target=org, version=3, organisation=org)
    return document_render(document.pk)


def _upload(client: Client, content: bytes, name: str = "protokoll.pdf"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content, content_type="application/pdf")})


def test_the_page_is_public_and_accessible_without_inline_scripts_or_styles(db):
    response = Client().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Kontrollera ett dokument</h1>" in html
    assert '<label class="govuk-label govuk-label--s" for="id_file">PDF-fil</label>' in html
    assert '<label class="govuk-label govuk-label--s" for="id_sha256">eller kontrollsumma (SHA-256)</label>' in html
    assert 'enctype="multipart/form-data"' in html
    assert "style=" not in html and "onclick" not in html
    assert "<script>" not in html and "<script >" not in html
    assert "/static/css/verify.css" in html


def test_the_genuine_pdf_is_recognised_with_its_document_version_and_signers(issued, org):
    content = issued.file.read()
    response = _upload(Client(), content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Äkta: dokumentet är utfärdat av oss och oförändrat" in html
    assert REFUSED not in html
    assert "Provprotokoll" in html
    assert "<dt>Version</dt><dd>3</dd>" in html
    assert org.name in html
    assert "Samordna utvecklingssigill" in html
    assert ('<th class="govuk-table__header" scope="row">Ada Ordförande</th>'
            '<td class="govuk-table__cell">ordförande</td><td class="govuk-table__cell">2023-11-06 10:15</td>') in html
    assert '<th class="govuk-table__header" scope="row">Bo Justerare</th>' in html
    assert issued.sha256 in html


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_a_pdf_changed_by_one_byte_is_refused(issued, org, where):
    content = bytearray(issued.file.read())
    content[int(len(content) * where)] ^= 0x20
    html = _upload(Client(), bytes(content)).content.decode()
    assert REFUSED in html
    assert "Äkta" not in html
    assert "Ada Ordförande" not in html
    assert org.name not in html


def test_a_pdf_sealed_with_our_certificate_but_not_issued_by_us_is_refused(db, seal_certificate):
    forged = seal_pdf(render_pdf("<p>Eget protokoll</p>", title="Eget"), reason="Justerat")
    assert REFUSED in _upload(Client(), forged).content.decode()


def test_a_plain_unsealed_pdf_is_refused(db):
    html = _upload(Client(), render_pdf("<p>Utan sigill</p>", title="Utan sigill")).content.decode()
    assert REFUSED in html
    assert "Filen saknar sigill" in html


def test_the_hash_of_an_issued_document_is_recognised(issued):
    response = Client().post(URL, {"sha256": issued.sha256.upper()})
    html = response.content.decode()
    assert "Kontrollsumman stämmer med ett dokument vi har utfärdat" in html
    assert "Ladda upp filen för att också kontrollera sigillet" in html
    assert "Ada Ordförande" in html


def test_an_unknown_hash_is_refused(issued):
    other = hashlib.sha256(b"annat").hexdigest()
    html = Client().post(URL, {"sha256": other}).content.decode()
    assert REFUSED in html
    assert "Ingen handling vi har utfärdat har den kontrollsumman" in html


def test_a_document_still_rendering_is_not_vouched_for(org, producers):
    document = document_request(kind="test.sample", target=org, version=9, organisation=org)
    html = Client().post(URL, {"sha256": "0" * 64}).content.decode()
    assert document.sha256 == ""
    assert REFUSED in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sha256": "inte-en-hash"}, "Kontrollsumman ska vara 64 tecken lång"),
        ({}, "Välj en PDF-fil eller ange en kontrollsumma."),
    ],
)
def test_bad_input_is_explained_in_swedish(db, data, message):
    response = Client().post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Äkta" not in html and REFUSED not in html


def test_a_too_large_file_is_refused(db, settings):
    settings.UPLOAD_MAX_BYTES = 10
    html = _upload(Client(), b"%PDF-1.7" + b"x" * 100).content.decode()
    assert "Filen är för stor" in html


@pytest.mark.parametrize("content", [b"Hej, det h\xc3\xa4r \xc3\xa4r ingen PDF.", b"PK\x03\x04 ett zip-arkiv"])
def test_a_file_that_is_not_a_pdf_is_explained_in_swedish(db, content):
    response = _upload(Client(), content)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Filen är ingen PDF." in html
    assert "Illegal" not in html and "PDF header" not in html
    assert "Äkta" not in html and REFUSED not in html  # bad input, not an answer about a document


@pytest.mark.parametrize("content", [b"%PDF-1.7\n" + b"x" * 100, b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF"])
def test_a_damaged_pdf_is_refused_without_the_library_s_english(db, content):
    html = _upload(Client(), content).content.decode()
    assert REFUSED in html
    assert "Filen kunde inte läsas som PDF." in html
    for english in ("startxref", "malformed", "Could not", "not found"):
        assert english not in html
