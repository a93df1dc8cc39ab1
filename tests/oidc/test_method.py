"""The OIDC e-ID signing method against the tests' real OpenID Provider: a login bound to one
version's SHA-256 through the nonce, its evidence verifiable offline, and every way it must be
refused (another version, another person, a tampered token, a state that is not ours, a level
below what is required)."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
import requests

from minutes.justering.signing.base import Level, SigningFailed, SigningRequest
from minutes.justering.signing.oidc import OidcMethod
from tests.oidc.conftest import REDIRECT, login_at_provider

SHA = hashlib.sha256(b"version 1 of the minutes").hexdigest()
OTHER_SHA = hashlib.sha256(b"version 2 of the minutes").hexdigest()
ROGER = "196802022389"


def method(provider, **kwargs) -> OidcMethod:
    return OidcMethod(provider="test", issuer=provider.issuer, client_id="samordna", client_secret="test-secret",
                      redirect_uri=REDIRECT, **kwargs)


def sign(provider, m: OidcMethod, *, identity_number: str = ROGER, login: str = "roger"):
    started = m.start(SigningRequest(sha256=SHA, visible_text="Protokoll", person_name="Roger Ingvarsson",
                                     identity_number=identity_number))
    back = login_at_provider(requests.Session(), started.data["url"], login)
    return started, back


def test_a_login_bound_to_the_version_completes_with_evidence_that_verifies_offline(provider):
    m = method(provider)
    started, back = sign(provider, m)
    done = m.finish(started.data, back)
    assert done.level == Level.ADVANCED and done.identity_number == ROGER
    assert done.name == "Roger Ingvarsson"
    evidence = json.loads(json.dumps(done.evidence))  # as stored in a JSON column
    assert m.verify(evidence, SHA)
    assert not m.verify(evidence, OTHER_SHA)  # the same login proves nothing of another version


def test_a_tampered_id_token_does_not_verify(provider):
    m = method(provider)
    started, back = sign(provider, m)
    evidence = m.finish(started.data, back).evidence
    header, payload, signature = evidence["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["https://id.oidc.se/claim/personalIdentityNumber"] = "197001011234"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert not m.verify({**evidence, "id_token": f"{header}.{forged}.{signature}"}, SHA)


def test_another_persons_e_id_is_refused(provider):
    m = method(provider)
    started, back = sign(provider, m, identity_number="197001011234")
    with pytest.raises(SigningFailed, match="tillhör en annan person"):
        m.finish(started.data, back)


def test_a_callback_with_another_state_is_refused(provider):
    m = method(provider)
    started, back = sign(provider, m)
    other = m.start(SigningRequest(sha256=SHA, visible_text="", person_name="", identity_number=ROGER))
    with pytest.raises(SigningFailed, match="fel state"):
        m.finish(other.data, back)


def test_a_level_below_the_required_acr_is_refused(provider):
    m = method(provider, acr_values=["http://id.elegnamnden.se/loa/1.0/loa4"])
    started, back = sign(provider, m)
    with pytest.raises(SigningFailed, match="tillitsnivå"):
        m.finish(started.data, back)


def test_a_login_at_an_accepted_acr_completes(provider):
    m = method(provider, acr_values=["http://id.elegnamnden.se/loa/1.0/loa3"])
    started, back = sign(provider, m)
    assert m.finish(started.data, back).identity_number == ROGER
