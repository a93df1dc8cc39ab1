"""Signing the minutes with an OIDC e-ID on the justering page, against the tests' real OpenID
Provider: the last signer's login completes the justering; every way it must be refused signs
nothing (a login below the accepted level, another person's e-ID, a tampered ID token, the same
callback twice, a state the session does not hold, the code of one login with the state of
another, the minutes changed meanwhile); who may start it at all."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.test import Client

from board.models import Person
from minutes.drafting import services as drafting
from minutes.justering.signing import registry
from minutes.justering.signing.oidc import PNR_CLAIM, bound_nonce
from minutes.models import Meeting, Signature
from tests.conftest import client_for, triggers_off
from tests.justering.conftest import build_minutes, sign
from tests.oidc.conftest import CHAIR_PNR, RETURN_PATH, login_at_provider

RETURN = "http://testserver" + RETURN_PATH


@pytest.fixture(autouse=True)
def _media(media_in_tmp):
    return media_in_tmp


@pytest.fixture
def sent(board, secretary, chair, member):
    from minutes.justering import services as justering

    meeting = build_minutes(board, secretary, chair, member)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    Person.objects.filter(user=chair).update(personal_identity_number=CHAIR_PNR)
    meeting.refresh_from_db()
    return meeting


def start_url(meeting: Meeting) -> str:
    return f"/sammantraden/{meeting.pk}/justering/e-legitimation/"


def version_of(meeting: Meeting) -> int:
    return meeting.versions.get(status="aktuell").number


def start(client: Client, meeting: Meeting, *, provider: str = "test"):
    return client.post(start_url(meeting), {"provider": provider, "version": version_of(meeting)})


def login_back(client: Client, meeting: Meeting, login: str = "ordforande") -> str:
    """Start at the justering page, log in at the provider's page; the callback URL it sends us to."""
    response = start(client, meeting)
    assert response.status_code == 302, response
    assert response["Location"].startswith(settings.OIDC_PROVIDERS["test"]["issuer"])
    return login_at_provider(requests.Session(), response["Location"], login, back_to=RETURN)


def messages_after(client: Client, response) -> str:
    assert response.status_code == 302, response
    return client.get(response["Location"]).content.decode()


def test_the_last_signer_signs_with_oidc_and_the_minutes_are_justerade(oidc_settings, sent, secretary, member, chair):
    sign(sent, secretary)
    sign(sent, member)
    client = client_for(chair)
    response = client.get(f"/sammantraden/{sent.pk}/justering/")
    assert "Skriv under med Test-eID" in response.content.decode()
    # The form's answer is a redirect to the provider: the page's CSP lets forms go there.
    form_action = next(d for d in response["Content-Security-Policy"].split(";") if "form-action" in d)
    assert oidc_settings.issuer in form_action
    back = login_back(client, sent)
    response = client.get(back)
    assert response["Location"] == f"/sammantraden/{sent.pk}/justering/"
    assert "Du har skrivit under protokollet med Test-eID." in messages_after(client, response)
    sent.refresh_from_db()
    assert sent.status == Meeting.Status.SIGNED
    signature = Signature.objects.get(person__user=chair)
    assert (signature.method, signature.level, signature.identity_masked) == ("oidc-test", "avancerad",
                                                                             "19xxxxxx-xx81")
    assert signature.reference == bound_nonce(signature.sha256, signature.evidence["salt"])
    assert registry.oidc_method("test").verify(signature.evidence, signature.sha256)


def test_the_same_callback_twice_is_refused(oidc_settings, sent, chair):
    client = client_for(chair)
    back = login_back(client, sent)
    assert client.get(back).status_code == 302
    assert Signature.objects.filter(person__user=chair).count() == 1
    with triggers_off():  # as if it had not been signed: the same login still may not sign
        Signature.objects.filter(person__user=chair).delete()
    again = client.get(back)
    assert again.status_code == 403
    assert "redan använd" in again.content.decode()
    assert not Signature.objects.filter(person__user=chair).exists()


def test_a_login_below_the_accepted_level_signs_nothing(oidc_settings, sent, chair):
    client = client_for(chair)
    response = client.get(login_back(client, sent, "lagniva"))
    assert "tillitsnivå" in messages_after(client, response)
    assert not Signature.objects.filter(person__user=chair).exists()


def test_another_persons_e_id_signs_nothing(oidc_settings, sent, chair):
    client = client_for(chair)
    response = client.get(login_back(client, sent, "annan"))
    assert "tillhör en annan person" in messages_after(client, response)
    assert not Signature.objects.filter(person__user=chair).exists()


def test_a_tampered_id_token_signs_nothing(oidc_settings, sent, chair, monkeypatch):
    """The provider's real token response, its ID token's personnummer changed on the way."""
    original = OAuth2Session.fetch_token

    def tampering(self, *args, **kwargs):
        token = original(self, *args, **kwargs)
        header, payload, signature = token["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims[PNR_CLAIM] = "197001011234"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
        token["id_token"] = f"{header}.{forged}.{signature}"
        return token

    monkeypatch.setattr(OAuth2Session, "fetch_token", tampering)
    client = client_for(chair)
    response = client.get(login_back(client, sent))
    assert "ID-token från e-legitimationstjänsten är inte giltig" in messages_after(client, response)
    assert not Signature.objects.filter(person__user=chair).exists()


def _with_state(url: str, state: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return f"{parts.path}?{urlencode({**query, 'state': state})}"


def test_a_state_the_session_does_not_hold_signs_nothing(oidc_settings, sent, chair):
    client = client_for(chair)
    back = login_back(client, sent)
    for url in (_with_state(back, "not-ours"), RETURN_PATH):
        response = client.get(url)
        assert response.status_code == 403
        assert "Ingenting har skrivits under" in response.content.decode()
    assert not Signature.objects.filter(person__user=chair).exists()
    # Another user's session does not hold it either.
    assert client_for(Person.objects.get(user__username="sekreterare").user).get(back).status_code == 403
    assert not Signature.objects.filter(person__user=chair).exists()


def test_the_code_of_one_login_with_the_state_of_another_signs_nothing(oidc_settings, sent, chair):
    client = client_for(chair)
    first = login_back(client, sent)
    second = login_back(client, sent)
    second_state = parse_qs(urlsplit(second).query)["state"][0]
    response = client.get(_with_state(first, second_state))
    assert "kunde inte bekräfta inloggningen" in messages_after(client, response)
    assert not Signature.objects.filter(person__user=chair).exists()


def test_minutes_changed_during_the_login_are_not_signed(oidc_settings, sent, chair, secretary):
    client = client_for(chair)
    back = login_back(client, sent)
    paragraph = sent.paragraphs.get(position=4)
    drafting.paragraph_update(paragraph=paragraph, expected_version=paragraph.version, actor=secretary,
                              clauses=["Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 110 tkr"])
    response = client.get(back)
    assert "ändrats" in messages_after(client, response)
    assert not Signature.objects.filter(person__user=chair).exists()


def test_a_signer_without_a_personnummer_is_told_before_the_login(oidc_settings, sent, member):
    client = client_for(member)
    response = start(client, sent)
    assert response["Location"] == f"/sammantraden/{sent.pk}/justering/"  # not to the provider
    assert "Identifiera dig med e-legitimation under Konto" in messages_after(client, response)
    assert not Signature.objects.filter(person__user=member).exists()


def test_an_unknown_provider_or_a_method_the_association_refuses_is_not_started(oidc_settings, sent, chair, org):
    client = client_for(chair)
    response = start(client, sent, provider="nope")
    assert response["Location"] == f"/sammantraden/{sent.pk}/justering/"
    org.signing_methods = ["losenord"]
    org.save()
    response = start(client, sent)
    assert response["Location"] == f"/sammantraden/{sent.pk}/justering/"
    assert "Skriv under med Test-eID" not in client.get(response["Location"]).content.decode()


def test_who_may_not_start_a_signature(oidc_settings, board, sent, director, outsider, secretary, chair, member):
    """A non-signer of the association and the signer of another meeting are refused, an
    outsider does not see the meeting, the anonymous are sent to log in; none reaches the provider."""
    from tests.conftest import user_with_seat

    other_signer = user_with_seat(board, "ledamot2", 2)
    other = build_minutes(board, secretary, chair, member, date=sent.date.replace(day=20))
    drafting.adjusters_set(meeting=other, persons=[other_signer.person], actor=secretary)
    for user, status in ((director, 403), (other_signer, 403), (outsider, 404)):
        response = start(client_for(user), sent)
        assert response.status_code == status, user
    anonymous = Client().post(start_url(sent), {"provider": "test", "version": 1})
    assert anonymous.status_code == 302 and "/konto/logga-in/" in anonymous["Location"]
    anonymous_return = Client().get(RETURN_PATH + "?state=x&code=y")
    assert anonymous_return.status_code == 302 and "/konto/logga-in/" in anonymous_return["Location"]
