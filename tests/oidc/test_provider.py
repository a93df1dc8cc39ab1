"""The tests' OpenID Provider (issue 15, OIDC e-ID): a real `oidc-provider` started by the
tests answers the authorization code flow with PKCE and delivers the oidc.se claims in a signed
ID token. The ground the OIDC signing method is tested on; Authlib is the client."""

from __future__ import annotations

from urllib.parse import unquote_plus

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.oidc.conftest import PNR, REDIRECT, login_at_provider


def test_the_provider_signs_in_with_pkce_and_delivers_the_personal_identity_number(provider):
    config = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert PNR in config["claims_supported"]
    client = OAuth2Session("samordna", "test-secret", scope="openid https://id.oidc.se/scope/naturalPersonNumber",
                           redirect_uri=REDIRECT, code_challenge_method="S256")
    verifier = "v" * 64
    url, state = client.create_authorization_url(config["authorization_endpoint"], code_verifier=verifier,
                                                 nonce="the-nonce")
    back = login_at_provider(requests.Session(), url, "roger")
    token = client.fetch_token(config["token_endpoint"], authorization_response=back, code_verifier=verifier)
    keys = KeySet.import_key_set(requests.get(config["jwks_uri"], timeout=5).json())
    claims = jwt.decode(token["id_token"], keys).claims  # the provider's signature checked
    assert claims["iss"] == provider.issuer and claims["aud"] == "samordna"
    assert claims["nonce"] == "the-nonce"
    assert claims[PNR] == "196802022389"
    assert state in back


def test_without_pkce_the_provider_refuses(provider):
    config = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    client = OAuth2Session("samordna", "test-secret", scope="openid", redirect_uri=REDIRECT)
    url, _state = client.create_authorization_url(config["authorization_endpoint"], nonce="n")
    response = requests.get(url, allow_redirects=False, timeout=5)
    location = response.headers.get("Location", "")
    assert "error=invalid_request" in location and "requires PKCE" in unquote_plus(location)
