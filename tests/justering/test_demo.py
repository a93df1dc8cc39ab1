"""Done when (issue 4): the demo minutes of seed 004 are sent, commented and signed by the demo
chair and justerare in the browser; the sealed PDF/A reads like seed 004 with the digital
justering block, validates, and /verifiera/ refuses it after a one-byte change."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from django.test import Client

from board.demo import loader as board_demo
from board.demo.data import PASSWORD
from board.documents.models import RenderedDocument
from board.documents.services import document_render
from minutes.demo import loader as minutes_demo
from minutes.models import Meeting

pytestmark = pytest.mark.browser


def _login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def _sign(page) -> None:
    page.get_by_label("Ditt lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Skriv under protokollet").click()
    page.wait_for_load_state()
    assert "Du har skrivit under protokollet." in page.inner_text("main")


def test_the_seed_004_demo_minutes_are_justerade_in_the_browser(live_server, page, settings, tmp_path):
    board_demo.load(stdout=io.StringIO())
    minutes_demo.load(stdout=io.StringIO())
    meeting = Meeting.objects.get(organ__organisation__slug="norra-vastmanland", date="2023-11-02")
    url = f"{live_server.url}/sammantraden/{meeting.pk}/justering/"

    _login(page, live_server, "sekreterare")
    page.goto(url)
    page.get_by_role("button", name="Skicka för justering").click()
    page.wait_for_load_state()
    assert "Protokollet är skickat för justering." in page.inner_text("main")

    _login(page, live_server, "ordforande")
    page.goto(url)
    page.get_by_label("Paragraf").select_option(index=3)
    page.get_by_label("Kommentar", exact=True).fill("Skriv ut beloppet 120 000 kr.")
    page.get_by_role("button", name="Skicka kommentaren").click()
    page.wait_for_load_state()
    _sign(page)

    _login(page, live_server, "justerare")
    page.goto(url)
    _sign(page)
    _login(page, live_server, "sekreterare")
    page.goto(url)
    assert "Skriv ut beloppet 120 000 kr." in page.inner_text("#kommentarer")
    _sign(page)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SIGNED

    settings.MEDIA_ROOT = str(tmp_path)
    document = RenderedDocument.objects.get(object_id=meeting.pk, kind="minutes.full")
    document_render(document.pk)
    document.refresh_from_db()
    content = document.file.read()
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    n = text.count("\f")
    assert "Norra Västmanlands Samordningsförbund" in text and "Sida 1 (" in text and f"Sida {n} ({n})" in text
    for number in range(54, 59):
        assert f"NVSam § {number}" in text
    assert "Paragrafer NVSam §§ 54–58" in text
    for name in ("Elisabet Pettersson", "Roger Ingvarsson", "Ann Rilegård"):
        assert re.search(rf"{name}\s+\d{{4}}-\d\d-\d\d \d\d:\d\d", text), name
    assert "Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 120 tkr" in text

    client = Client()
    genuine = client.post("/verifiera/", {"file": io.BytesIO(content)}, format="multipart").content.decode()
    assert "Äkta" in genuine and "Elisabet Pettersson" in genuine
    i = len(content) // 3
    changed = content[:i] + bytes([content[i] ^ 0x20]) + content[i + 1:]
    refused = client.post("/verifiera/", {"file": io.BytesIO(changed)}, format="multipart").content.decode()
    assert "Äkta" not in refused
