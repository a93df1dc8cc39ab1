"""Which signing methods exist here, which an association offers, and the method of a key.

The families an association chooses (board.Organisation.signing_methods) map to methods:
"losenord" (password and code, simple), "bankid" (when BANKID_CERT_PATH or BANKID_URL is set),
"oidc" (one method "oidc-<key>" per entry of settings.OIDC_PROVIDERS) and "passkey". A method
that is not configured on this installation is not offered, whatever the association chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse

from board.identity import Level

from .oidc import OidcMethod


@dataclass(frozen=True)
class Offer:
    """A method as the signing page lists it."""

    key: str
    family: str
    label: str
    level: str


def bankid_configured() -> bool:
    return bool(settings.BANKID_URL or (settings.BANKID_CERT_PATH and settings.BANKID_KEY_PATH))


def oidc_method(provider: str) -> OidcMethod:
    """The OIDC method of settings.OIDC_PROVIDERS[provider]; KeyError when there is none."""
    conf: dict[str, Any] = settings.OIDC_PROVIDERS[provider]
    extra = {name: conf[name] for name in ("personal_number_claim", "acr_values", "scope") if conf.get(name)}
    return OidcMethod(
        provider=provider, issuer=conf["issuer"].rstrip("/"), client_id=conf["client_id"],
        client_secret=conf.get("client_secret", ""), label=conf.get("label", "E-legitimation"),
        redirect_uri=settings.SITE_URL.rstrip("/") + reverse("minutes:justering_oidc_return"),
        **extra,
    )


def offers(organisation: Any) -> list[Offer]:
    """The methods this association's signers may use here, simplest last."""
    chosen = set(organisation.signing_methods)
    result: list[Offer] = []
    if "bankid" in chosen and bankid_configured():
        result.append(Offer("bankid", "bankid", "BankID", Level.ADVANCED))
    if "oidc" in chosen:
        for key, conf in settings.OIDC_PROVIDERS.items():
            result.append(Offer(f"oidc-{key}", "oidc", conf.get("label", "E-legitimation"), Level.ADVANCED))
    if "passkey" in chosen:
        result.append(Offer("passkey", "passkey", "Passkey", Level.ADVANCED))
    if "losenord" in chosen:
        result.append(Offer("losenord", "losenord", "Lösenord och kod", Level.SIMPLE))
    return result
