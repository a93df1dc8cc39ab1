"""Signing with a Swedish e-ID through OpenID Connect (Freja eID+, or BankID and Sweden Connect
through any OIDC broker), following the Swedish OpenID Connect profile of oidc.se.

The authorization code flow with PKCE, `state` and `nonce` (Authlib is the client; the ID token
is checked with joserfc against the provider's JWKS, no hand-written JWT code). What binds the
login to the minutes is the nonce: `nonce = SHA-256(version SHA-256 + "." + salt)` with a fresh
random salt, so the provider's signed ID token carries a value that only that version's hash
gives. The evidence kept on the signature is the ID token (JWS), the provider's JWKS at that
time, the issuer, the client id and the salt: `verify()` checks the token's signature with that
JWKS and recomputes the nonce from the SHA-256 - offline, from the evidence alone.

The identity is the claim `https://id.oidc.se/claim/personalIdentityNumber` (configurable per
provider), the level is advanced only when the token's `acr` is one the provider's
configuration lists as enough (e.g. Freja eID+ = http://id.elegnamnden.se/loa/1.0/loa3 or
eidas-sub). The redirect flow does not poll: `start()` gives the URL and what the signer's
session must keep, `finish()` takes that back with the callback URL.

Configured from `settings.OIDC_PROVIDERS`: {key: {issuer, client_id, client_secret, label,
personal_number_claim, acr_values (accepted), scope}}.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from .base import Completed, Level, SigningFailed, SigningRequest, Started

PNR_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
PNR_SCOPE = "https://id.oidc.se/scope/naturalPersonNumber"
TIMEOUT = 10


def bound_nonce(sha256: str, salt: str) -> str:
    """The nonce that binds a login to one version of the minutes."""
    return hashlib.sha256(f"{sha256}.{salt}".encode()).hexdigest()


@dataclass
class OidcMethod:
    """One OpenID Provider as a signing method (key "oidc-<provider>")."""

    provider: str
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    label: str = "E-legitimation"
    personal_number_claim: str = PNR_CLAIM
    acr_values: list[str] = field(default_factory=list)
    scope: str = f"openid profile {PNR_SCOPE}"
    level: str = Level.ADVANCED

    @property
    def key(self) -> str:
        return f"oidc-{self.provider}"

    def _configuration(self) -> dict[str, Any]:
        try:
            response = requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=TIMEOUT)
            response.raise_for_status()
            return dict(response.json())
        except (requests.RequestException, ValueError) as exc:
            raise SigningFailed("E-legitimationstjänsten svarar inte. Försök igen om en stund.") from exc

    def _session(self) -> OAuth2Session:
        return OAuth2Session(self.client_id, self.client_secret, scope=self.scope,
                             redirect_uri=self.redirect_uri, code_challenge_method="S256")

    def start(self, request: SigningRequest) -> Started:
        """The provider's login URL for this signature, and what the session keeps until finish()."""
        configuration = self._configuration()
        salt = secrets.token_urlsafe(16)
        verifier = secrets.token_urlsafe(48)
        extra: dict[str, str] = {"nonce": bound_nonce(request.sha256, salt)}
        if self.acr_values:
            extra["acr_values"] = " ".join(self.acr_values)
        url, state = self._session().create_authorization_url(
            configuration["authorization_endpoint"], code_verifier=verifier, **extra)
        return Started(reference=state, data={
            "url": url, "state": state, "code_verifier": verifier, "salt": salt, "sha256": request.sha256,
            "identity_number": request.identity_number,
        })

    def finish(self, started: dict[str, Any], callback_url: str) -> Completed:
        """The provider sent the signer back to `callback_url`: check state, exchange the code
        (PKCE), check the ID token (signature, issuer, audience, nonce, acr, identity)."""
        params = {name: values[0] for name, values in parse_qs(urlsplit(callback_url).query).items()}
        if params.get("state") != started["state"]:
            raise SigningFailed("Inloggningen hör inte till den här underskriften (fel state). Börja om.")
        if "error" in params:
            raise SigningFailed("Inloggningen med e-legitimation avbröts eller nekades.")
        configuration = self._configuration()
        try:
            token = self._session().fetch_token(configuration["token_endpoint"], authorization_response=callback_url,
                                                code_verifier=started["code_verifier"], state=started["state"])
            jwks = requests.get(configuration["jwks_uri"], timeout=TIMEOUT).json()
        except (AuthlibBaseError, requests.RequestException, ValueError) as exc:  # OAuthError: invalid_grant
            raise SigningFailed("E-legitimationstjänsten kunde inte bekräfta inloggningen. Börja om.") from exc
        evidence = {"id_token": token.get("id_token", ""), "jwks": jwks, "issuer": self.issuer,
                    "client_id": self.client_id, "salt": started["salt"], "acr_accepted": self.acr_values,
                    # What the signer chose, so the sealed minutes still name it once the
                    # provider has left this installation's settings (or on a worker without them).
                    "label": self.label}
        claims = self._claims(evidence, started["sha256"])
        if self.acr_values and claims.get("acr") not in self.acr_values:
            raise SigningFailed("E-legitimationen har inte den tillitsnivå förbundet kräver för en underskrift.")
        number = str(claims.get(self.personal_number_claim) or "")
        if started.get("identity_number") and number != started["identity_number"]:
            raise SigningFailed("E-legitimationen tillhör en annan person än den som ska skriva under.")
        return Completed(level=self.level, identity_number=number, name=str(claims.get("name") or ""),
                         evidence=evidence)

    @staticmethod
    def _claims(evidence: dict[str, Any], sha256: str) -> dict[str, Any]:
        try:
            claims = jwt.decode(evidence["id_token"], KeySet.import_key_set(evidence["jwks"])).claims
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise SigningFailed("ID-token från e-legitimationstjänsten är inte giltig.") from exc
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if claims.get("iss") != evidence["issuer"] or evidence["client_id"] not in audiences:
            raise SigningFailed("ID-token är inte utfärdad till Samordna av den här tjänsten.")
        if claims.get("nonce") != bound_nonce(sha256, evidence["salt"]):
            raise SigningFailed("ID-token hör inte till den här versionen av protokollet.")
        return dict(claims)

    def verify(self, evidence: dict[str, Any], sha256: str) -> bool:
        """Whether the evidence is a valid ID token of its issuer bound to exactly `sha256`."""
        try:
            self._claims(evidence, sha256)
        except SigningFailed:
            return False
        return True


def verify_evidence(evidence: dict[str, Any], sha256: str) -> bool:
    """OidcMethod.verify without a configured provider: the evidence alone (the ID token, the
    JWKS, issuer, client id and salt kept with it) and the SHA-256, offline. For the sealed
    minutes and /verifiera/ (signing/evidence.py)."""
    try:
        OidcMethod._claims(evidence, sha256)
    except SigningFailed:
        return False
    return True
