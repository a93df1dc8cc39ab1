"""board.pdf: PDF/A-3b rendering, the PAdES seal, and its verification."""

from __future__ import annotations

import asyncio
import io
import json
import re
import threading

import pypdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command

from board.documents.pdf import PdfAttachment, SealError, render_pdf, seal_pdf, verify_pdf
from board.management.commands.create_dev_certificate import dev_certificate_create

MINUTES_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>ignoreras</title></head>
<body><h1>Sammanträdesprotokoll</h1>
<p>Styrelsen för Samordningsförbundet Västmanland sammanträdde i Västerås.</p>
<h2>§ 25 Val av justerare</h2><p>Åsa Öberg väljs att jämte ordföranden justera protokollet.</p>
</body></html>"""


def _render() -> bytes:
    return render_pdf(
        MINUTES_HTML,
        title="Protokoll 2023-10-26",
        attachments=[
            PdfAttachment(
                name="protokoll.json",
                data=json.dumps({"paragrafer": [25]}).encode(),
                mime_type="application/json",
                description="Protokollets data",
            )
        ],
    )


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return _render()


@pytest.fixture(scope="module")
def sealed(rendered, seal_certificate) -> bytes:
    return seal_pdf(rendered, reason="Justerat protokoll", location="Västerås")


def _xmp(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def test_render_is_pdf_a_3b_by_its_xmp_identification(rendered):
    xmp = _xmp(rendered)
    assert re.search(r'pdfaid:part(="3"|>3<)', xmp), xmp
    assert re.search(r'pdfaid:conformance(="B"|>B<)', xmp), xmp
    assert rendered.startswith(b"%PDF-1.7")


def test_render_is_tagged_in_swedish_with_title_and_output_intent(rendered):
    reader = pypdf.PdfReader(io.BytesIO(rendered))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert root["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert "/StructTreeRoot" in root
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert reader.metadata.title == "Protokoll 2023-10-26"
    assert "Protokoll 2023-10-26" in _xmp(rendered)


def test_render_embeds_every_font(rendered):
    reader = pypdf.PdfReader(io.BytesIO(rendered))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fonts[str(font["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
    assert fonts, "no fonts found"
    assert all("DejaVu" in name for name in fonts), fonts.keys()
    assert all(
        any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        for descriptor in fonts.values()
    )
    assert "Åsa Öberg väljs" in reader.pages[0].extract_text()


def test_render_embeds_the_data_as_a_pdf_a_3_associated_file(rendered):
    reader = pypdf.PdfReader(io.BytesIO(rendered))
    assert json.loads(reader.attachments["protokoll.json"][0]) == {"paragrafer": [25]}
    root = reader.trailer["/Root"]
    associated = [ref.get_object() for ref in root["/AF"]]
    assert [spec["/UF"] for spec in associated] == ["protokoll.json"]
    assert associated[0]["/AFRelationship"] == "/Data"
    assert associated[0]["/Desc"] == "Protokollets data"
    embedded = associated[0]["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/application#2Fjson" or embedded["/Subtype"] == "/application/json"


def test_render_keeps_a_language_the_html_sets_and_uses_the_argument_otherwise():
    english = render_pdf("<html lang='en'><body><p>Minutes</p></body></html>", title="Minutes")
    bare = render_pdf("<p>Protokoll</p>", title="Protokoll", lang="sv")
    assert pypdf.PdfReader(io.BytesIO(english)).trailer["/Root"]["/Lang"] == "en"
    assert pypdf.PdfReader(io.BytesIO(bare)).trailer["/Root"]["/Lang"] == "sv"


def test_seal_validates_against_our_certificate(sealed):
    check = verify_pdf(sealed)
    assert check.sealed and check.intact and check.trusted and check.ok, check
    assert "Samordna utvecklingssigill" in check.signer
    assert check.signed_at is not None
    assert check.error == ""


def test_seal_is_an_incremental_update_that_keeps_the_pdf_a_identification(rendered, sealed):
    assert sealed.startswith(rendered)
    xmp = _xmp(sealed)
    assert re.search(r'pdfaid:part(="3"|>3<)', xmp)
    assert re.search(r'pdfaid:conformance(="B"|>B<)', xmp)
    reader = pypdf.PdfReader(io.BytesIO(sealed))
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert "protokoll.json" in reader.attachments


def test_seal_keeps_info_and_xmp_producer_in_step(sealed):
    reader = pypdf.PdfReader(io.BytesIO(sealed))
    info_producer = reader.metadata["/Producer"]
    xmp_producer = reader.xmp_metadata.pdf_producer
    assert info_producer and info_producer == xmp_producer


@pytest.mark.parametrize("where", [0.02, 0.5, 0.98, "signature"])
def test_seal_fails_after_one_byte_is_changed(sealed, where):
    position = (
        sealed.index(b"/Contents <") + 40 if where == "signature" else int(len(sealed) * where)
    )
    tampered = bytearray(sealed)
    tampered[position] ^= 0x01
    check = verify_pdf(bytes(tampered))
    assert not check.intact
    assert not check.ok
    assert check.error


def test_verify_answers_for_unsealed_and_unreadable_files(rendered):
    unsealed = verify_pdf(rendered)
    assert (unsealed.sealed, unsealed.intact, unsealed.ok) == (False, False, False)
    assert "sigill" in unsealed.error
    garbage = verify_pdf(b"inte en pdf alls")
    assert not garbage.ok and garbage.error


def test_seal_by_another_certificate_is_intact_but_not_trusted(rendered, settings, tmp_path):
    key_file, cert_file = tmp_path / "other-key.pem", tmp_path / "other-cert.pem"
    dev_certificate_create(key_file=key_file, cert_file=cert_file)
    ours = (settings.PDF_SEAL_KEY_FILE, settings.PDF_SEAL_CERT_FILE)
    settings.PDF_SEAL_KEY_FILE, settings.PDF_SEAL_CERT_FILE = key_file, cert_file
    foreign = seal_pdf(rendered, reason="Förfalskning")
    settings.PDF_SEAL_KEY_FILE, settings.PDF_SEAL_CERT_FILE = ours
    check = verify_pdf(foreign)
    assert check.sealed and check.intact
    assert not check.trusted and not check.ok
    assert "certifikat" in check.error


def test_seal_without_certificate_says_how_to_make_one(rendered, settings, tmp_path):
    settings.PDF_SEAL_KEY_FILE = tmp_path / "saknas-key.pem"
    settings.PDF_SEAL_CERT_FILE = tmp_path / "saknas-cert.pem"
    with pytest.raises(SealError, match="create_dev_certificate"):
        seal_pdf(rendered, reason="x")


def test_seal_works_with_a_passphrase_protected_key(rendered, settings, tmp_path):
    settings.PDF_SEAL_KEY_FILE = tmp_path / "key.pem"
    settings.PDF_SEAL_CERT_FILE = tmp_path / "cert.pem"
    settings.PDF_SEAL_KEY_PASSPHRASE = "hemligt lösenord"
    call_command("create_dev_certificate", stdout=io.StringIO())
    assert b"ENCRYPTED" in (tmp_path / "key.pem").read_bytes()
    assert verify_pdf(seal_pdf(rendered, reason="Justerat")).ok


def test_create_dev_certificate_is_idempotent_and_force_replaces(settings, tmp_path):
    settings.PDF_SEAL_KEY_FILE = tmp_path / "seal" / "key.pem"
    settings.PDF_SEAL_CERT_FILE = tmp_path / "seal" / "cert.pem"
    out = io.StringIO()
    call_command("create_dev_certificate", stdout=out)
    assert "Skapade" in out.getvalue()
    first = settings.PDF_SEAL_CERT_FILE.read_bytes()
    cert = x509.load_pem_x509_certificate(first)
    assert cert.subject.rfc4514_string() == "CN=Samordna utvecklingssigill,O=Samordna (utveckling),C=SE"
    assert cert.issuer == cert.subject
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert cert.public_key().curve.name == "secp256r1"
    assert settings.PDF_SEAL_KEY_FILE.stat().st_mode & 0o077 == 0

    out = io.StringIO()
    call_command("create_dev_certificate", stdout=out)
    assert "finns redan" in out.getvalue()
    assert settings.PDF_SEAL_CERT_FILE.read_bytes() == first

    call_command("create_dev_certificate", "--force", stdout=io.StringIO())
    assert settings.PDF_SEAL_CERT_FILE.read_bytes() != first


def test_seal_and_verify_work_inside_a_running_event_loop(rendered, seal_certificate):
    # pyHanko's sync API calls asyncio.run(); Playwright tests and async code run a loop.
    async def inside_a_loop():
        return verify_pdf(seal_pdf(rendered, reason="Justerat protokoll"))

    # A thread of its own: Playwright's loop may already occupy this one.
    results = []
    thread = threading.Thread(target=lambda: results.append(asyncio.run(inside_a_loop())))
    thread.start()
    thread.join()
    assert results and results[0].ok


def test_the_renderer_fetches_no_file_of_the_server_and_no_address():
    """Our PDFs are built from templates and embedded CSS alone; a URL that reaches the renderer
    anyway (from a person's text) is neither read from the disk nor requested on the network."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"p { color: red }")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        address = f"http://127.0.0.1:{server.server_address[1]}"
        pdf = render_pdf(
            f'<html><head><link rel="stylesheet" href="{address}/intern.css"></head><body><p>Text</p>'
            '<a rel="attachment" href="file:///etc/hostname">bilaga</a>'
            f'<img src="{address}/bild.png" alt="bild"><img src="file:///usr/share/pixmaps/debian-logo.png" alt="logo">'
            "</body></html>",
            title="Prov",
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    annotations = [str(a.get_object().get("/Subtype")) for a in (reader.pages[0].get("/Annots") or [])]
    assert "/FileAttachment" not in annotations
    assert not reader.pages[0]["/Resources"].get("/XObject")  # no image drawn
    assert asked == []
