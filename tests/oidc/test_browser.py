"""In Debian's Chromium, by keyboard, through the tests' real OpenID Provider's login page: the
chair signs the minutes last with an e-ID and they are justerade; a ledamot identifies with an
e-ID on the account page and confirms the masked personnummer. Every page of ours on the way
passes axe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from board.identity import mask
from board.models import Person
from minutes.models import Meeting, Signature
from tests.conftest import PASSWORD
from tests.justering.conftest import build_minutes, sign
from tests.oidc.conftest import CHAIR_PNR, RETURN_PATH, app_provider, use_provider
from tests.servers import OidcProvider

pytestmark = pytest.mark.browser


@pytest.fixture
def live_op(live_server, settings) -> Iterator[OidcProvider]:
    op = app_provider(live_server.url)
    op.start()
    use_provider(settings, op, live_server.url)
    yield op
    op.stop()


def _login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def _no_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.response["passes"], page.url  # axe really ran
    assert results.violations_count == 0, results.generate_report()


def _at_the_provider(page, live_server, login: str) -> None:
    """The provider's own login page (not ours: no axe), by keyboard; back at our site."""
    page.wait_for_url(lambda url: not url.startswith(live_server.url))
    page.get_by_label("Användarnamn").fill(login)
    page.get_by_label("Lösenord").fill("vad-som-helst")
    page.get_by_label("Lösenord").press("Enter")
    page.wait_for_url(lambda url: url.startswith(live_server.url) and RETURN_PATH not in url)
    page.wait_for_load_state()


def test_the_chair_signs_last_with_an_e_id_by_keyboard(live_server, live_op, page, board, secretary, chair, member):
    meeting = build_minutes(board, secretary, chair, member)
    from minutes.justering import services as justering

    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    Person.objects.filter(user=chair).update(personal_identity_number=CHAIR_PNR)
    sign(meeting, secretary)
    sign(meeting, member)

    _login(page, live_server, "ordforande")
    page.goto(f"{live_server.url}/sammantraden/{meeting.pk}/justering/")
    _no_violations(page)
    button = page.get_by_role("button", name="Skriv under med Test-eID")
    button.focus()
    page.keyboard.press("Enter")
    _at_the_provider(page, live_server, "ordforande")
    assert page.url.startswith(f"{live_server.url}/sammantraden/{meeting.pk}/justering/")
    assert "Du har skrivit under protokollet med Test-eID." in page.inner_text("main")
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SIGNED
    assert Signature.objects.get(person__user=chair).method == "oidc-test"
    assert "Justerat" in page.inner_text("#justering-status")
    _no_violations(page)


def test_a_ledamot_identifies_on_the_account_page_by_keyboard(live_server, live_op, page, member):
    _login(page, live_server, "ledamot")
    page.goto(f"{live_server.url}/konto/tvafaktor/")
    page.get_by_role("link", name="Identifiera dig med e-legitimation").click()
    page.wait_for_load_state()
    assert "Förbundet har inte ditt personnummer." in page.inner_text("main")
    _no_violations(page)
    page.get_by_role("button", name="Identifiera dig med Test-eID").focus()
    page.keyboard.press("Enter")
    _at_the_provider(page, live_server, "ordforande")
    assert page.inner_text("#eid-masked") == mask(CHAIR_PNR)
    _no_violations(page)  # the confirmation
    page.get_by_role("button", name="Det är jag – spara personnumret").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Personnumret är sparat" in page.inner_text("main")
    assert mask(CHAIR_PNR) in page.inner_text("#eid-session")
    assert Person.objects.get(user=member).personal_identity_number == CHAIR_PNR
    _no_violations(page)  # identified

    page.goto(f"{live_server.url}{RETURN_PATH}?state=nobody&code=x")  # refused: a state not ours
    assert "Ingenting har skrivits under" in page.inner_text("#eid-refused")
    _no_violations(page)
