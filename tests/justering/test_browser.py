"""In Debian's Chromium: the secretary sends the minutes, the chair comments and signs, the
justerare signs, and the page shows the minutes justerade with the PDFs on their way."""

from __future__ import annotations

import pytest

from minutes.models import Meeting, Signature
from tests.conftest import PASSWORD
from tests.justering.conftest import build_minutes

pytestmark = pytest.mark.browser


def _login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def test_the_chair_signs_in_the_browser(live_server, page, board, secretary, chair, member):
    from axe_playwright_python.sync_playwright import Axe

    meeting = build_minutes(board, secretary, chair, member)
    url = f"{live_server.url}/sammantraden/{meeting.pk}/justering/"

    _login(page, live_server, "sekreterare")
    page.goto(url)
    page.get_by_role("button", name="Skicka för justering").click()
    page.wait_for_load_state()
    assert "Protokollet är skickat för justering." in page.inner_text("main")

    _login(page, live_server, "ordforande")
    page.goto(url)
    assert "Sista dag för justering" in page.inner_text("#deadline")
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()
    page.get_by_label("Paragraf").select_option(label=meeting.paragraphs.get(position=4).__str__())
    page.get_by_label("Kommentar", exact=True).fill("Beloppet ska skrivas i kronor.")
    page.get_by_role("button", name="Skicka kommentaren").click()
    page.wait_for_load_state()
    assert "Beloppet ska skrivas i kronor." in page.inner_text("#kommentarer")
    page.get_by_label("Ditt lösenord").fill("fel-losenord")
    page.get_by_role("button", name="Skriv under protokollet").click()
    page.wait_for_load_state()
    assert "Fel lösenord." in page.inner_text("main")
    page.get_by_label("Ditt lösenord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_label("Ditt lösenord").press("Enter")  # by keyboard
    assert "Du har skrivit under protokollet." in page.inner_text("main")
    assert Signature.objects.filter(person=chair.person, role="ordforande").exists()

    for username in ("ledamot", "sekreterare"):
        _login(page, live_server, username)
        page.goto(url)
        page.get_by_label("Ditt lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Skriv under protokollet").click()
        page.wait_for_load_state()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SIGNED
    assert "Justerat" in page.inner_text("#justering-status")
    assert "justerades" in page.inner_text("main")
    # The PDFs' status fragments are on the page, refreshing themselves.
    assert page.locator(".document-status").count() == 2


def test_the_chair_adds_an_authenticator_app_by_keyboard_and_the_pages_pass_axe(live_server, page, board, chair):
    import base64

    from axe_playwright_python.sync_playwright import Axe
    from django_otp.oath import totp

    axe = Axe()

    def no_violations() -> None:
        results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
        assert results.response["passes"], page.url  # axe really ran
        assert results.violations_count == 0, results.generate_report()

    _login(page, live_server, "ordforande")
    page.goto(f"{live_server.url}/konto/tvafaktor/")
    no_violations()
    page.get_by_role("button", name="Lägg upp en autentiseringsapp").click()
    page.wait_for_load_state()
    assert page.get_by_role("img", name="QR-kod med nyckeln till autentiseringsappen").is_visible()
    key = base64.b32decode(page.inner_text("#totp-key").replace(" ", ""))
    page.get_by_label("Kod från appen").fill("000000" if totp(key) != 0 else "111111")
    with page.expect_navigation():
        page.get_by_label("Kod från appen").press("Enter")
    assert "Fel eller för gammal kod" in page.inner_text("main")
    no_violations()
    page.wait_for_timeout(2100)  # django-otp's wait after a wrong code
    page.get_by_label("Kod från appen").fill(f"{totp(key):06d}")
    with page.expect_navigation():
        page.get_by_label("Kod från appen").press("Enter")
    assert "Autentiseringsappen är upplagd." in page.inner_text("main")
    assert "Du har en autentiseringsapp" in page.inner_text("main")
    no_violations()
