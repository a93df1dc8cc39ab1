"""Identifying oneself with an OIDC e-ID on the account page (/konto/e-legitimation/), against the
tests' real OpenID Provider: the personnummer is kept only after the user confirms the masked
number is theirs, never over another one and never when another person has it; a session so
identified carries EID_SESSION_KEY."""

from __future__ import annotations

import requests
from django.test import Client

from board.identity import EID_SESSION_KEY
from board.models import AuditEvent, Person
from tests.conftest import client_for
from tests.factories import PersonFactory
from tests.oidc.conftest import CHAIR_PNR, OTHER_PNR, RETURN_PATH, login_at_provider

PAGE = "/konto/e-legitimation/"
RETURN = "http://testserver" + RETURN_PATH


def identify(client: Client, login: str):
    """Start at the account page, log in at the provider, come back; the answer to the return."""
    response = client.post(PAGE, {"action": "start", "provider": "test"})
    assert response.status_code == 302 and not response["Location"].startswith("/"), response
    back = login_at_provider(requests.Session(), response["Location"], login, back_to=RETURN)
    response = client.get(back)
    assert response["Location"] == PAGE
    return response


def test_the_number_is_shown_masked_and_kept_when_the_user_confirms(oidc_settings, chair):
    client = client_for(chair)
    page = client.get(PAGE).content.decode()
    assert "Identifiera dig med Test-eID" in page
    identify(client, "ordforande")
    page = client.get(PAGE).content.decode()
    assert "19xxxxxx-xx81" in page and CHAIR_PNR not in page
    assert "Det är jag – spara personnumret" in page
    person = Person.objects.get(user=chair)
    assert person.personal_identity_number == ""  # not before the user says so
    assert EID_SESSION_KEY not in client.session
    response = client.post(PAGE, {"action": "confirm"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.personal_identity_number == CHAIR_PNR
    marker = client.session[EID_SESSION_KEY]
    assert marker["method"] == "oidc-test" and marker["identity_masked"] == "19xxxxxx-xx81" and marker["at"]
    assert AuditEvent.objects.filter(verb="person.identified").exists()
    assert "Personnumret är sparat" in client.get(PAGE).content.decode()


def test_not_me_keeps_nothing(oidc_settings, chair):
    client = client_for(chair)
    identify(client, "ordforande")
    client.post(PAGE, {"action": "cancel"})
    assert Person.objects.get(user=chair).personal_identity_number == ""
    assert EID_SESSION_KEY not in client.session
    # The confirmation is gone with it: a later "det är jag" keeps nothing.
    client.post(PAGE, {"action": "confirm"})
    assert Person.objects.get(user=chair).personal_identity_number == ""


def test_the_same_number_identifies_at_once(oidc_settings, chair):
    Person.objects.filter(user=chair).update(personal_identity_number=CHAIR_PNR)
    client = client_for(chair)
    identify(client, "ordforande")
    assert client.session[EID_SESSION_KEY]["identity_masked"] == "19xxxxxx-xx81"
    assert "Du är identifierad med e-legitimation" in client.get(PAGE).content.decode()


def test_another_number_than_the_persons_is_refused(oidc_settings, chair):
    Person.objects.filter(user=chair).update(personal_identity_number=CHAIR_PNR)
    client = client_for(chair)
    identify(client, "annan")
    page = client.get(PAGE).content.decode()
    assert "tillhör en annan person" in page
    assert "Det är jag" not in page
    assert EID_SESSION_KEY not in client.session
    client.post(PAGE, {"action": "confirm"})
    assert Person.objects.get(user=chair).personal_identity_number == CHAIR_PNR


def test_a_number_another_person_has_is_refused(oidc_settings, chair):
    PersonFactory(personal_identity_number=OTHER_PNR)
    client = client_for(chair)
    identify(client, "annan")
    client.post(PAGE, {"action": "confirm"})
    assert "hör redan till en annan person" in client.get(PAGE).content.decode()
    assert Person.objects.get(user=chair).personal_identity_number == ""
    assert EID_SESSION_KEY not in client.session


def test_a_login_below_the_accepted_level_identifies_nobody(oidc_settings, chair):
    client = client_for(chair)
    identify(client, "lagniva")
    page = client.get(PAGE).content.decode()
    assert "tillitsnivå" in page and "Det är jag" not in page
    assert EID_SESSION_KEY not in client.session


def test_the_identification_callback_twice_is_refused(oidc_settings, chair):
    client = client_for(chair)
    response = client.post(PAGE, {"action": "start", "provider": "test"})
    back = login_at_provider(requests.Session(), response["Location"], "ordforande", back_to=RETURN)
    assert client.get(back).status_code == 302
    client.post(PAGE, {"action": "cancel"})
    again = client.get(back)
    assert again.status_code == 403 and "redan använd" in again.content.decode()
    assert "Det är jag" not in client.get(PAGE).content.decode()


def test_a_user_without_a_person_is_told_so(oidc_settings, site_admin):
    client = client_for(site_admin)
    identify(client, "ordforande")
    assert "inte registrerad som person" in client.get(PAGE).content.decode()
    assert EID_SESSION_KEY not in client.session


def test_the_page_asks_the_anonymous_to_log_in_and_an_unknown_provider_starts_nothing(oidc_settings, chair):
    for response in (Client().get(PAGE), Client().post(PAGE, {"action": "start", "provider": "test"})):
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    response = client_for(chair).post(PAGE, {"action": "start", "provider": "nope"})
    assert response["Location"] == PAGE
