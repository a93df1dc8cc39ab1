"""In Debian's Chromium: /verifiera/ passes axe, and the status fragment refreshes itself."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from board.documents.services import document_render, document_request

pytestmark = pytest.mark.browser


def _no_axe_violations(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def issued(org, producers, tmp_path):
    document = document_request(kind="test.public", target=org, version=1, organisation=org)
    document = document_render(document.pk)
    path = tmp_path / "protokoll.pdf"
    path.write_bytes(document.file.read())
    return document, path


def test_verification_page_checks_a_genuine_and_a_tampered_pdf_without_axe_violations(
    live_server, page, issued, tmp_path
):
    document, path = issued
    page.goto(f"{live_server.url}/verifiera/")
    _no_axe_violations(page)

    page.get_by_label("PDF-fil").set_input_files(str(path))
    page.get_by_role("button", name="Kontrollera").click()
    page.wait_for_selector("#resultat")
    assert "Äkta: dokumentet är utfärdat av oss och oförändrat" in page.inner_text("#resultat")
    assert "Ada Ordförande" in page.inner_text("#resultat")
    _no_axe_violations(page)

    tampered = bytearray(path.read_bytes())
    tampered[len(tampered) // 2] ^= 0x01
    bad = tmp_path / "andrad.pdf"
    bad.write_bytes(bytes(tampered))
    page.get_by_label("PDF-fil").set_input_files(str(bad))
    page.get_by_role("button", name="Kontrollera").click()
    page.wait_for_selector(".verify-result.refused")
    assert "Dokumentet har ändrats eller är inte utfärdat av oss" in page.inner_text("#resultat")
    _no_axe_violations(page)


def test_status_refreshes_itself_until_the_document_is_done(live_server, page, org, producers):
    document = document_request(kind="test.public", target=org, version=2, organisation=org)
    page.goto(f"{live_server.url}{document.get_status_url()}")
    status = page.locator(f"#dokument-{document.pk}")
    assert "Köad" in status.inner_text()
    _no_axe_violations(page)

    document_render(document.pk)  # what the worker does meanwhile
    expect(status.get_by_text("Klar", exact=True)).to_be_visible(timeout=10000)
    assert "Ladda ner Provprotokoll" in status.inner_text()
    assert status.get_attribute("role") == "status"  # the live region stayed in place
