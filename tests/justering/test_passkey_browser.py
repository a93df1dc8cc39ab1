"""Passkeys in Debian's Chromium with its virtual authenticator (Chrome DevTools Protocol,
WebAuthn domain): a signer adds a passkey on the account page and signs the justering with it;
another user's passkey and a replayed answer are refused; the level follows the session the
passkey was added in (identified with e-ID or not), and an association that requires an
advanced signature refuses a simple passkey with the reason. WebAuthn needs a secure context:
the live server is http://localhost (pytest-django's default host), which is one."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect
from django.contrib.sessions.backends.db import SessionStore
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from board.identity import EID_SESSION_KEY, Level
from board.models import PasskeyCredential
from minutes.justering import services as justering
from minutes.justering.signing.passkey import bound_challenge, verify_evidence
from minutes.models import Meeting, Signature
from tests.conftest import PASSWORD
from tests.justering.conftest import build_minutes, sign

pytestmark = pytest.mark.browser
AXE_RULES = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}


def _login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def _authenticator(page) -> tuple[object, str]:
    """A virtual platform authenticator (ctap2, internal, resident keys, user verified)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True,
    }})
    return cdp, added["authenticatorId"]


def _no_axe_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_RULES)
    assert results.response["passes"], page.url  # axe really ran
    assert results.violations_count == 0, results.generate_report()


def _add_passkey(page, live_server, name: str, *, keyboard: bool = False) -> None:
    page.goto(f"{live_server.url}/konto/passkeys/")
    page.get_by_label("Namn på passkeyn").fill(name)
    page.get_by_label("Ditt lösenord").fill(PASSWORD)
    with page.expect_navigation():
        if keyboard:
            page.get_by_label("Ditt lösenord").press("Enter")
        else:
            page.get_by_role("button", name="Lägg till passkey").click()
    page.wait_for_load_state()


def _session_set(page, key: str, value: object) -> None:
    """Put `key` into the browser's server-side session (what the e-ID identification does)."""
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=cookie["value"])
    session[key] = value
    session.save()


def test_a_signer_adds_a_passkey_and_signs_the_justering_with_it(live_server, page, board, secretary, chair, member):
    meeting = build_minutes(board, secretary, chair, member)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    for user in (member, secretary):
        sign(meeting, user)
    url = f"{live_server.url}/sammantraden/{meeting.pk}/justering/"
    _authenticator(page)

    _login(page, live_server, "ordforande")
    page.goto(url)
    assert "Du har ingen passkey." in page.inner_text("#passkey-signing")
    page.get_by_role("link", name="Lägg upp en passkey under Konto").click()
    page.wait_for_load_state()
    assert page.url.endswith("/konto/passkeys/")
    assert "ger en enkel elektronisk underskrift, eftersom du inte har identifierat dig med e-legitimation" in (
        page.inner_text("#passkey-level"))
    _no_axe_violations(page)
    page.get_by_label("Ditt lösenord").fill("fel-losenord")
    page.get_by_role("button", name="Lägg till passkey").click()
    expect(page.locator("#passkey-error")).to_contain_text("Fel lösenord.")
    expect(page.locator("#passkey-error")).to_be_focused()
    _no_axe_violations(page)
    assert not PasskeyCredential.objects.exists()

    _add_passkey(page, live_server, "Min telefon", keyboard=True)
    assert "Passkeyn Min telefon är upplagd." in page.inner_text("main")
    passkey = PasskeyCredential.objects.get(user=chair)
    assert (passkey.name, passkey.level, passkey.identified_with) == ("Min telefon", Level.SIMPLE, "")
    assert "Enkel elektronisk underskrift. Den lades inte upp efter identifiering med e-legitimation" in (
        page.inner_text("#passkey-list"))
    _no_axe_violations(page)

    page.goto(url)
    _no_axe_violations(page)
    page.get_by_role("button", name="Skriv under med passkey").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # by keyboard
    page.wait_for_load_state()
    assert "Du har skrivit under protokollet med passkey." in page.inner_text("main")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SIGNED  # the last signer: justerat
    signature = Signature.objects.get(person=chair.person)
    version = signature.version
    assert (signature.method, signature.level, signature.sha256) == ("passkey", Level.SIMPLE, version.sha256)
    evidence = signature.evidence
    # The challenge the authenticator signed is the one bound to this version, and the reference.
    client_data = json.loads(base64url_to_bytes(evidence["client_data_json"]))
    assert client_data["challenge"] == signature.reference == bytes_to_base64url(
        bound_challenge(version.sha256, evidence["salt"]))
    passkey.refresh_from_db()
    assert passkey.sign_count == evidence["sign_count"] > 0 and passkey.last_used_at is not None

    # The evidence proves the signature offline, of exactly this version.
    assert verify_evidence(evidence, version.sha256)
    assert not verify_evidence(evidence, "0" * 64)
    broken = dict(evidence, signature=evidence["signature"][:-4] + ("AAAA" if evidence["signature"][-4:] != "AAAA" else "BBBB"))
    assert not verify_evidence(broken, version.sha256)
    assert not verify_evidence(dict(evidence, salt="another"), version.sha256)
    assert not verify_evidence({}, version.sha256)
