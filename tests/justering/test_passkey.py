"""Passkeys without a browser: who may ask for a signing challenge (the signers of this
meeting only), what the challenge binds, the Swedish refusals of the JSON endpoints, and the
account page's add/remove endpoints (the ceremonies themselves run in Chromium:
test_passkey_browser.py)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from webauthn.helpers import bytes_to_base64url

from board.identity import Level
from board.models import AuditEvent, PasskeyCredential
from minutes.drafting import services as minutes_services
from minutes.justering.passkey_views import SESSION_KEY
from minutes.justering.selectors import current_version
from minutes.justering.signing.passkey import bound_challenge, verify_evidence
from tests.conftest import PASSWORD, user_with_seat

pytestmark = pytest.mark.django_db


def _passkey(user, *, identified_with: str = "", name: str = "Nyckel") -> PasskeyCredential:
    return PasskeyCredential.objects.create(
        user=user, name=name, credential_id=hashlib.sha256(f"{user.pk}{name}".encode()).digest(),
        public_key=b"\xa5\x01\x02", identified_with=identified_with)


def _options(client, meeting, **data):
    return client.post(f"/sammantraden/{meeting.pk}/justering/passkey/alternativ/", data)


def _sign(client, meeting, body):
    return client.post(f"/sammantraden/{meeting.pk}/justering/passkey/skriv-under/", body,
                       content_type="application/json")


def test_the_challenge_binds_the_current_version_and_waits_in_the_session(sent, chair, member, login):
    client = login(chair)
    mine = _passkey(chair)
    _passkey(member, name="Annans")
    response = _options(client, sent, version=current_version(sent).number)
    assert response.status_code == 200, response.content
    options = response.json()
    state = client.session[SESSION_KEY]
    version = current_version(sent)
    assert (state["sha256"], state["version"], state["meeting"]) == (version.sha256, version.number, sent.pk)
    assert options["challenge"] == state["challenge"] == bytes_to_base64url(bound_challenge(version.sha256, state["salt"]))
    assert bound_challenge(version.sha256, state["salt"]) == hashlib.sha256(
        f"{version.sha256}.{state['salt']}".encode()).digest()
    # Only the signer's own passkeys are offered to the authenticator.
    assert [c["id"] for c in options["allowCredentials"]] == [bytes_to_base64url(bytes(mine.credential_id))]
    assert options["userVerification"] == "required" and options["rpId"] == "testserver"
    # A second start replaces the challenge: one signature, one challenge.
    _options(client, sent)
    assert client.session[SESSION_KEY]["challenge"] != state["challenge"]


def test_only_this_meetings_signers_get_a_challenge(sent, board, secretary, chair, member, director, outsider, login):
    # A justerare of another meeting of the same board, who may read this one.
    other_adjuster = user_with_seat(board, "annanjusterare", 2)
    other = minutes_services.meeting_create(
        organ=board.organ, date=dt.date(2023, 12, 7), start_time=dt.time(8, 30), end_time=dt.time(9, 30),
        place="", is_remote=True, actor=secretary)
    minutes_services.attendance_prefill(meeting=other, actor=secretary)
    minutes_services.minutes_start(meeting=other, actor=secretary)
    minutes_services.adjusters_set(meeting=other, persons=[other_adjuster.person], actor=secretary)
    for user in (other_adjuster, director, outsider):
        _passkey(user)
    for user in (other_adjuster, director):  # the association's, not signers of this meeting
        response = _options(login(user), sent)
        assert response.status_code == 403
        assert response.json()["message"] == "Du är inte en av dem som justerar protokollet."
        assert SESSION_KEY not in login(user).session
    assert _options(login(outsider), sent).status_code == 404
    assert _sign(login(outsider), sent, {}).status_code == 404
    anonymous = _options(Client(), sent)
    assert anonymous.status_code == 302 and "/konto/logga-in/" in anonymous["Location"]
    # Without a started signature of this meeting, an answer signs nothing.
    response = _sign(login(director), sent, {"id": "x"})
    assert response.status_code == 400 and "Ingen underskrift med passkey har påbörjats" in response.json()["message"]


def test_the_refusals_before_the_challenge_are_swedish(sent, board, chair, member, login):
    client = login(chair)
    assert _options(client, sent).json()["message"] == "Du har ingen passkey. Lägg upp en under Konto → Passkeys."
    _passkey(chair)
    assert _options(client, sent, version="99").json()["message"].startswith("Protokollet har ändrats sedan du läste det")
    board.organisation.signing_methods = ["losenord", "bankid"]
    board.organisation.save()
    response = _options(client, sent)
    assert response.status_code == 400
    assert response.json()["message"] == "Förbundet tar inte emot underskrifter med det här sättet."
    board.organisation.signing_methods = ["passkey"]
    board.organisation.signing_min_level = Level.ADVANCED
    board.organisation.save()
    message = _options(client, sent).json()["message"]
    assert message.startswith("Din passkey ger en enkel elektronisk underskrift, eftersom den inte lades upp efter")
    assert "Förbundet kräver avancerad elektronisk underskrift" in message
    _passkey(chair, identified_with="bankid", name="Efter BankID")
    assert _options(client, sent).status_code == 200
    assert len(_options(client, sent).json()["allowCredentials"]) == 1  # the simple one is not offered


def test_a_broken_or_foreign_answer_signs_nothing(sent, chair, login):
    client = login(chair)
    _passkey(chair)
    _options(client, sent)
    assert _sign(client, sent, "inte json").json()["message"] == "Svaret från webbläsaren kunde inte läsas. Börja om."
    _options(client, sent)
    response = _sign(client, sent, {"rawId": "AAAA", "response": {}})
    assert response.status_code == 400 and response.json()["message"] == "Svaret från passkeyn kunde inte läsas. Börja om."
    assert not current_version(sent).signatures.exists()


def test_the_justering_page_offers_passkeys_only_where_the_association_does(sent, board, chair, login):
    client = login(chair)
    page = client.get(f"/sammantraden/{sent.pk}/justering/").content.decode()
    assert "Lägg upp en passkey under Konto" in page
    _passkey(chair)
    page = client.get(f"/sammantraden/{sent.pk}/justering/").content.decode()
    assert "Skriv under med passkey" in page and "js/passkey.js" in page
    board.organisation.signing_methods = ["losenord"]
    board.organisation.save()
    page = client.get(f"/sammantraden/{sent.pk}/justering/").content.decode()
    assert "passkey" not in page.lower()


def test_verify_evidence_refuses_what_is_not_an_assertion(sent):
    sha256 = current_version(sent).sha256
    assert not verify_evidence({}, sha256)
    assert not verify_evidence({"credential_id": "AAAA", "public_key": "AAAA", "authenticator_data": "AAAA",
                                "client_data_json": "AAAA", "signature": "AAAA", "salt": "x", "rp_id": "localhost",
                                "origin": "http://localhost"}, sha256)


# --- the account page ------------------------------------------------------------------------


def test_adding_a_passkey_asks_for_the_password_and_keeps_the_challenge_once(member, login):
    client = login(member)
    page = client.get("/konto/passkeys/").content.decode()
    assert "Du har ingen passkey." in page and "ger en enkel elektronisk underskrift" in page
    response = client.post("/konto/passkeys/alternativ/", {"password": "fel", "name": "Telefon"})
    assert response.status_code == 400 and response.json()["errors"] == {"password": ["Fel lösenord."]}
    assert AuditEvent.objects.filter(verb="auth.credentials_failed", data__purpose="passkey").exists()
    response = client.post("/konto/passkeys/alternativ/", {"password": PASSWORD, "name": "x" * 101})
    assert response.json()["errors"] == {"name": ["Namnet får vara högst 100 tecken."]}
    response = client.post("/konto/passkeys/alternativ/", {"password": PASSWORD, "name": "Tele\x00fon"})
    assert response.json()["errors"] == {"name": ["Namnet innehåller ett otillåtet tecken."]}
    response = client.post("/konto/passkeys/alternativ/", {"password": PASSWORD, "name": "Telefon"})
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"id": "testserver", "name": "Samordna"}
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert client.session["samordna_passkey_registration"]["name"] == "Telefon"
    # A made-up answer adds nothing and uses the challenge up.
    response = client.post("/konto/passkeys/registrera/", {"id": "x", "rawId": "x", "response": {}},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["message"] == "Passkeyn kunde inte kontrolleras och har inte lagts upp. Börja om."
    response = client.post("/konto/passkeys/registrera/", {"id": "x"}, content_type="application/json")
    assert response.json()["message"] == "Ingen passkey håller på att läggas upp. Börja om."
    response = client.post("/konto/passkeys/registrera/", "[", content_type="application/json")
    assert response.status_code == 400 and "kunde inte läsas" in response.json()["message"]
    assert not PasskeyCredential.objects.exists()


def test_adding_a_passkey_is_locked_like_the_login_after_too_many_wrong_passwords(member, login, settings):
    client = login(member)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/konto/passkeys/alternativ/", {"password": "fel"}).status_code == 400
    assert client.post("/konto/passkeys/alternativ/", {"password": "fel"}).status_code == 429
    response = client.post("/konto/passkeys/alternativ/", {"password": PASSWORD})
    assert response.status_code == 429 and "För många felaktiga försök" in response.json()["message"]


def test_a_user_removes_only_their_own_passkey_with_the_password(member, chair, login):
    client = login(member)
    theirs = _passkey(chair)
    mine = _passkey(member)
    client.post("/konto/passkeys/", {"action": "remove", "passkey": theirs.pk, "password": PASSWORD})
    assert PasskeyCredential.objects.filter(pk=theirs.pk).exists()
    page = client.get("/konto/passkeys/").content.decode()
    assert "Passkeyn finns inte bland dina passkeys." in page and "Nyckel" in page
    client.post("/konto/passkeys/", {"action": "remove", "passkey": mine.pk, "password": "fel"})
    assert PasskeyCredential.objects.filter(pk=mine.pk).exists()
    response = client.post("/konto/passkeys/", {"action": "remove", "passkey": mine.pk, "password": PASSWORD},
                           follow=True)
    assert "Passkeyn Nyckel är borttagen." in response.content.decode()
    assert not PasskeyCredential.objects.filter(pk=mine.pk).exists()
    assert AuditEvent.objects.filter(verb="account.passkey_removed").count() == 1
    response = client.post("/konto/passkeys/", {"action": "add"}, follow=True)
    assert "behöver webbläsaren ha JavaScript" in response.content.decode()


def test_the_page_says_a_passkey_added_after_e_id_gives_an_advanced_signature(member, login):
    client = login(member)
    session = client.session
    session["samordna_eid_identified"] = "bankid"
    session.save()
    _passkey(member, identified_with="bankid")
    page = client.get("/konto/passkeys/").content.decode()
    assert "En passkey som du lägger upp nu ger en avancerad elektronisk underskrift, eftersom du i den här " \
           "inloggningen har identifierat dig med e-legitimation (BankID)." in page
    assert "Avancerad elektronisk underskrift. Den lades upp efter identifiering med e-legitimation (BankID)" in page


def test_the_admin_sees_a_passkey_and_its_history_and_may_remove_it_but_not_add_one(member, site_admin, login):
    passkey = _passkey(member, identified_with="bankid")
    client = login(site_admin)
    assert "Nyckel" in client.get("/admin/board/passkeycredential/").content.decode()
    assert client.get(f"/admin/board/passkeycredential/{passkey.pk}/change/").status_code == 200
    assert client.get(f"/admin/board/passkeycredential/{passkey.pk}/history/").status_code == 200
    assert client.get("/admin/board/passkeycredential/add/").status_code == 403
    client.post(f"/admin/board/passkeycredential/{passkey.pk}/delete/", {"post": "yes"})
    assert not PasskeyCredential.objects.exists()
    assert passkey.history.count() == 2  # added, removed
