"""The verification API (board/documents/api.py), exercised on its router."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from ninja.testing import TestClient

from board.documents.api import router
from board.documents.services import document_render, document_request


@pytest.fixture(scope="module")
def api() -> TestClient:
    return TestClient(router)


@pytest.fixture
def issued(org, producers):
    document = document_request(kind="test.sample", target=org, version=2, organisation=org)
    return document_render(document.pk)


def test_a_genuine_file_is_confirmed_with_document_seal_and_signers(api, issued, org):
    response = api.post("/verifiera", FILES={"file": SimpleUploadedFile("p.pdf", issued.file.read())})
    assert response.status_code == 200
    body = response.json()
    assert body["genuine"] is True
    assert body["sha256"] == issued.sha256
    assert body["document"]["version"] == 2
    assert body["document"]["organisation"] == org.name
    assert body["document"]["title"] == "Provprotokoll"
    assert body["seal"]["intact"] is True and body["seal"]["trusted"] is True
    assert [s["name"] for s in body["signers"]] == ["Ada Ordförande", "Bo Justerare"]


def test_a_file_changed_by_one_byte_is_refused_and_reveals_nothing(api, issued):
    content = bytearray(issued.file.read())
    content[len(content) // 3] ^= 0x01
    body = api.post("/verifiera", FILES={"file": SimpleUploadedFile("p.pdf", bytes(content))}).json()
    assert body["genuine"] is False
    assert body["message"] == "Dokumentet har ändrats eller är inte utfärdat av oss."
    assert body["document"] is None and body["signers"] == []
    assert body["seal"]["intact"] is False


def test_a_hash_is_looked_up(api, issued):
    body = api.get(f"/verifiera/{issued.sha256.upper()}").json()
    assert body["genuine"] is True and body["seal"] is None
    unknown = api.get(f"/verifiera/{hashlib.sha256(b'x').hexdigest()}").json()
    assert unknown["genuine"] is False and unknown["document"] is None


def test_a_malformed_hash_is_a_422_with_a_reason(api, db):
    response = api.get("/verifiera/inte-en-hash")
    assert response.status_code == 422
    assert "64 tecken" in response.json()["detail"]


def test_the_verification_api_is_served_under_api_v1_without_login(issued, client):
    response = client.get(f"/api/v1/verifiera/{issued.sha256}")
    assert response.status_code == 200
    assert response.json()["genuine"] is True
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/verifiera" in schema["paths"]


def test_issued_documents_are_read_only_in_the_admin(issued, site_admin, login):
    c = login(site_admin)
    url = f"/admin/documents/rendereddocument/{issued.pk}/change/"
    assert c.get("/admin/documents/rendereddocument/").status_code == 200
    assert c.get(url).status_code == 200
    before = issued.sha256
    c.post(url, {"kind": "forged", "sha256": "0" * 64})
    issued.refresh_from_db()
    assert issued.sha256 == before and issued.kind == "test.sample"
    assert c.post(f"/admin/documents/rendereddocument/{issued.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.parametrize("content", [b"Hej, ingen PDF", b""])
def test_a_file_that_is_not_a_pdf_is_a_422_in_swedish(client, db, content):
    response = client.post("/api/v1/verifiera", {"file": SimpleUploadedFile("p.pdf", content)})
    assert response.status_code == 422
    assert response.json()["detail"] == "Filen är ingen PDF."


def test_a_damaged_pdf_is_refused_without_the_library_s_english(api, db):
    body = api.post("/verifiera", FILES={"file": SimpleUploadedFile("p.pdf", b"%PDF-1.7\n" + b"x" * 100)}).json()
    assert body["genuine"] is False
    assert body["seal"]["error"] == "Filen kunde inte läsas som PDF."
