"""Passkeys in Debian's Chromium with its virtual authenticator (Chrome DevTools Protocol,
WebAuthn domain): a signer adds a passkey on the account page and signs the justering with it;
another user's passkey and a replayed answer are refused; the level follows the session the
passkey was added in (identified with e-ID or not), and an association that requires an
advanced signature refuses a simple passkey with the reason. WebAuthn needs a secure context:
the live server is http://localhost (pytest-django's default host), which is one."""

from __future__ import annotations

import json

import pytest
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect
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
    form = page.locator("#passkey-add")
    form.get_by_label("Namn på passkeyn").fill(name)
    form.get_by_label("Ditt lösenord").fill(PASSWORD)
    with page.expect_navigation():
        if keyboard:
            form.get_by_label("Ditt lösenord").press("Enter")
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


def _options_refusal(page, live_server, meeting) -> tuple[int, str]:
    """POST to the options endpoint from the browser's own session (as the script does)."""
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(f"{live_server.url}/sammantraden/{meeting.pk}/justering/passkey/alternativ/",
                                 headers={"X-CSRFToken": csrf, "Referer": f"{live_server.url}/"})
    return response.status, (response.json().get("message", "") if response.status != 200 else "")


def test_the_level_follows_the_enrolment_session_and_an_association_requiring_advanced_refuses_a_simple_one(
        live_server, page, board, secretary, chair, member):
    board.organisation.signing_min_level = Level.ADVANCED
    board.organisation.save()
    meeting = build_minutes(board, secretary, chair, member)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    url = f"{live_server.url}/sammantraden/{meeting.pk}/justering/"
    _authenticator(page)
    _login(page, live_server, "ledamot")

    _add_passkey(page, live_server, "Utan e-legitimation")
    simple = PasskeyCredential.objects.get(user=member)
    assert (simple.level, simple.identified_with) == (Level.SIMPLE, "")
    page.goto(url)
    refusal = page.inner_text("#passkey-refusal")
    assert "Din passkey ger en enkel elektronisk underskrift, eftersom den inte lades upp efter identifiering" in refusal
    assert "Förbundet kräver avancerad elektronisk underskrift" in refusal
    assert page.get_by_role("button", name="Skriv under med passkey").count() == 0
    status, message = _options_refusal(page, live_server, meeting)
    assert status == 400 and "Förbundet kräver avancerad elektronisk underskrift" in message
    _no_axe_violations(page)

    # Identified with e-ID in this session (what the e-ID identification on the account page sets).
    _session_set(page, EID_SESSION_KEY, "bankid")
    page.goto(f"{live_server.url}/konto/passkeys/")
    assert "ger en avancerad elektronisk underskrift, eftersom du i den här inloggningen har identifierat dig " \
           "med e-legitimation (BankID)" in page.inner_text("#passkey-level")
    assert "Enkel elektronisk underskrift. Den lades inte upp efter identifiering" in page.inner_text("#passkey-list")
    # The authenticator holds the simple one: it is not added twice.
    form = page.locator("#passkey-add")
    form.get_by_label("Ditt lösenord").fill(PASSWORD)
    form.get_by_role("button", name="Lägg till passkey").click()
    expect(page.locator("#passkey-error")).to_contain_text("Den här enheten har redan en passkey för dig.")

    # Removing it takes the password again.
    page.get_by_text("Ta bort Utan e-legitimation").click()
    page.locator(f"#id_remove_password_{simple.pk}").fill("fel-losenord")
    page.get_by_role("button", name="Ta bort passkeyn Utan e-legitimation").click()
    page.wait_for_load_state()
    assert "Fel lösenord." in page.inner_text("main")
    assert PasskeyCredential.objects.filter(pk=simple.pk).exists()
    page.get_by_text("Ta bort Utan e-legitimation").click()
    page.locator(f"#id_remove_password_{simple.pk}").fill(PASSWORD)
    page.get_by_role("button", name="Ta bort passkeyn Utan e-legitimation").click()
    page.wait_for_load_state()
    assert "Passkeyn Utan e-legitimation är borttagen." in page.inner_text("main")
    assert not PasskeyCredential.objects.filter(user=member).exists()

    _add_passkey(page, live_server, "Efter BankID")
    advanced = PasskeyCredential.objects.get(user=member)
    assert (advanced.name, advanced.level, advanced.identified_with) == ("Efter BankID", Level.ADVANCED, "bankid")
    assert "Avancerad elektronisk underskrift. Den lades upp efter identifiering med e-legitimation (BankID)" in (
        page.inner_text("#passkey-list"))
    _no_axe_violations(page)

    page.goto(url)
    with page.expect_navigation():
        page.get_by_role("button", name="Skriv under med passkey").click()
    assert "Du har skrivit under protokollet med passkey." in page.inner_text("main")
    signature = Signature.objects.get(person=member.person)
    assert (signature.method, signature.level) == ("passkey", Level.ADVANCED)
    assert signature.evidence["credential_id"] == bytes_to_base64url(bytes(advanced.credential_id))
    assert verify_evidence(signature.evidence, signature.sha256)

def test_another_users_passkey_a_replayed_answer_and_a_counter_that_did_not_grow_are_refused(
        live_server, page, board, secretary, chair, member):
    meeting = build_minutes(board, secretary, chair, member)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    url = f"{live_server.url}/sammantraden/{meeting.pk}/justering/"
    options_url = f"**/sammantraden/{meeting.pk}/justering/passkey/alternativ/"
    sign_url = f"**/sammantraden/{meeting.pk}/justering/passkey/skriv-under/"
    _authenticator(page)
    _login(page, live_server, "ordforande")
    _add_passkey(page, live_server, "Ordförandens")
    chairs = PasskeyCredential.objects.get(user=chair)
    _login(page, live_server, "ledamot")
    _add_passkey(page, live_server, "Ledamotens")
    mine = PasskeyCredential.objects.get(user=member)
    error = page.locator("#passkey-error")

    # A changed script asks the authenticator for the chair's passkey (it is in the same one).
    def chairs_passkey(route):
        options = route.fetch().json()
        options["allowCredentials"] = [{"type": "public-key", "id": bytes_to_base64url(bytes(chairs.credential_id))}]
        route.fulfill(json=options)

    page.goto(url)
    page.route(options_url, chairs_passkey)
    page.get_by_role("button", name="Skriv under med passkey").click()
    expect(error).to_contain_text("Passkeyn är inte en av dina.")
    page.unroute(options_url)
    assert not Signature.objects.filter(person=member.person).exists()

    # An answer taken on its way (never delivered), sent again with the next signature's request.
    taken: list[str] = []

    def take(route):
        taken.append(route.request.post_data)
        route.abort()

    page.goto(url)
    page.route(sign_url, take)
    page.get_by_role("button", name="Skriv under med passkey").click()
    expect(error).not_to_be_hidden()
    page.unroute(sign_url)
    assert taken
    page.route(sign_url, lambda route: route.continue_(post_data=taken[0]))
    page.get_by_role("button", name="Skriv under med passkey").click()
    expect(error).to_contain_text("Svaret från passkeyn hör inte till den här underskriften.")
    page.unroute(sign_url)
    assert not Signature.objects.filter(person=member.person).exists()

    # The authenticator's counter must have grown since the passkey was last used.
    PasskeyCredential.objects.filter(pk=mine.pk).update(sign_count=10**6)
    page.goto(url)
    page.get_by_role("button", name="Skriv under med passkey").click()
    expect(error).to_contain_text("Passkeyns räknare har inte ökat")
    assert not Signature.objects.filter(person=member.person).exists()

    PasskeyCredential.objects.filter(pk=mine.pk).update(sign_count=0)
    page.goto(url)
    with page.expect_navigation():
        page.get_by_role("button", name="Skriv under med passkey").click()
    assert "Du har skrivit under protokollet med passkey." in page.inner_text("main")
    assert Signature.objects.get(person=member.person).evidence["credential_id"] == bytes_to_base64url(
        bytes(mine.credential_id))
