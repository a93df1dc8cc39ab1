"""The verification API (board/verify_api.py), exercised on its router."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from ninja.testing import TestClient

from board.documents import document_render, document_request
from board.verify_api import router


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
