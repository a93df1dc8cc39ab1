"""Passkeys on the account page: add one (password again, then the browser's WebAuthn
ceremony, checked with py_webauthn), list them, remove one (password again).

The relying party is this site as the browser sees it: the host name of the request (or
PASSKEY_RP_ID) and its origin. A passkey remembers which e-ID the session had been identified
with when it was added (EID_SESSION_KEY): that is what makes its signatures advanced
(board.models.PasskeyCredential.level); the page says so before and after adding it.

Services in the sense of board/services.py: keyword-only, they take the acting user and leave
an AuditEvent. The ceremony's state (challenge, name) is kept in the session between the two
requests and used once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from webauthn import generate_registration_options, options_to_json, verify_registration_response
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from .audit import event_record
from .identity import EID_SESSION_KEY, Level
from .models import PasskeyCredential
from .people import display_name
from .services import credentials_check

REGISTRATION_SESSION_KEY = "samordna_passkey_registration"
NAME_MAX = 100


def relying_party(request: HttpRequest) -> tuple[str, str]:
    """(rp_id, origin) of this site as the browser sees it: the request's host name (checked
    against ALLOWED_HOSTS by Django) unless PASSKEY_RP_ID names a parent domain."""
    origin = f"{request.scheme}://{request.get_host()}"
    rp_id = settings.PASSKEY_RP_ID or request.get_host().rsplit(":", 1)[0].strip("[]")
    return rp_id, origin


def eid_method(session: Any) -> str:
    """The e-ID method key the session was identified with ("bankid", "oidc-freja"), or ""."""
    value = session.get(EID_SESSION_KEY) if session is not None else None
    if isinstance(value, dict):
        value = value.get("method") or value.get("key") or ""
    elif isinstance(value, bool):  # identified, without saying how
        value = "e-legitimation" if value else ""
    return str(value or "")[:60]


def eid_label(method: str) -> str:
    """The e-ID method in words: "BankID", the OIDC provider's label, or the key itself."""
    if method == "bankid":
        return "BankID"
    if method.startswith("oidc-"):
        conf = getattr(settings, "OIDC_PROVIDERS", {}).get(method[5:], {})
        return str(conf.get("label") or _("e-legitimation"))
    return method


def level_reason(identified_with: str) -> str:
    """Why a passkey gives the level it gives, in Swedish, for the page."""
    if identified_with:
        return _("Den lades upp efter identifiering med e-legitimation (%(eid)s), så den ger en avancerad "
                 "elektronisk underskrift.") % {"eid": eid_label(identified_with)}
    return _("Den lades inte upp efter identifiering med e-legitimation, så den ger en enkel elektronisk "
             "underskrift.")


def level_for_session(session: Any) -> tuple[str, str]:
    """The level a passkey added now would give, and why (for the page before adding one)."""
    method = eid_method(session)
    if method:
        return Level.ADVANCED, _(
            "En passkey som du lägger upp nu ger en avancerad elektronisk underskrift, eftersom du i den här "
            "inloggningen har identifierat dig med e-legitimation (%(eid)s).") % {"eid": eid_label(method)}
    return Level.SIMPLE, _(
        "En passkey som du lägger upp nu ger en enkel elektronisk underskrift, eftersom du inte har identifierat "
        "dig med e-legitimation i den här inloggningen. En passkey som lades upp efter identifiering med "
        "e-legitimation ger en avancerad elektronisk underskrift, som vissa förbund kräver.")


def passkeys_of(user: Any) -> list[PasskeyCredential]:
    return list(PasskeyCredential.objects.filter(user=user).order_by("created_at", "pk"))


def passkey_registration_start(*, user: Any, password: str, name: str, request: HttpRequest) -> str:
    """Password again (counted like a login), then the options for navigator.credentials.create
    as JSON; the challenge and the name wait in the session for passkey_registration_finish."""
    name = " ".join((name or "").split())
    if "\x00" in name:
        raise ValidationError({"name": _("Namnet innehåller ett otillåtet tecken.")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("Namnet får vara högst %(n)s tecken.") % {"n": NAME_MAX}})
    credentials_check(user=user, request=request, password=password, purpose="passkey")
    rp_id, origin = relying_party(request)
    existing = passkeys_of(user)
    options = generate_registration_options(
        rp_id=rp_id, rp_name="Samordna", user_name=user.get_username(),
        user_id=f"samordna-user-{user.pk}".encode(),
        user_display_name=display_name(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED, user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=bytes(c.credential_id)) for c in existing],
    )
    request.session[REGISTRATION_SESSION_KEY] = {
        "challenge": bytes_to_base64url(options.challenge), "name": name or _("Passkey"),
        "rp_id": rp_id, "origin": origin,
    }
    return options_to_json(options)


def passkey_registration_finish(*, user: Any, request: HttpRequest, credential: Any) -> PasskeyCredential:
    """Check the browser's answer (challenge, origin, rp id, user verified, the attestation) and
    keep the passkey, with the e-ID the session is identified with now."""
    state = request.session.pop(REGISTRATION_SESSION_KEY, None)
    if not state:
        raise ValidationError(_("Ingen passkey håller på att läggas upp. Börja om."))
    rp_id, origin = relying_party(request)
    if (rp_id, origin) != (state["rp_id"], state["origin"]):
        raise ValidationError(_("Passkeyn började läggas upp på en annan adress. Börja om."))
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=base64url_to_bytes(state["challenge"]),
            expected_rp_id=rp_id, expected_origin=origin, require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(_("Passkeyn kunde inte kontrolleras och har inte lagts upp. Börja om.")) from exc
    transports = []
    if isinstance(credential, dict):
        known = {t.value for t in AuthenticatorTransport}
        transports = [t for t in (credential.get("response") or {}).get("transports") or [] if t in known]
    identified_with = eid_method(request.session)
    with transaction.atomic():
        if PasskeyCredential.objects.filter(credential_id=verified.credential_id).exists():
            raise ValidationError(_("Den här passkeyn är redan upplagd."))
        passkey = PasskeyCredential.objects.create(
            user=user, name=state["name"], credential_id=verified.credential_id,
            public_key=verified.credential_public_key, sign_count=verified.sign_count,
            transports=transports, identified_with=identified_with,
        )
        event_record(verb="account.passkey_added", actor=user, target=user,
                     summary=f"{display_name(user)} lade upp passkeyn {passkey.name}",
                     data={"passkey": passkey.pk, "level": passkey.level, "identified_with": identified_with})
    return passkey


def passkey_remove(*, user: Any, pk: int | None, password: str, request: HttpRequest) -> PasskeyCredential:
    """Take one of the user's passkeys away: password again (credentials_check)."""
    passkey = PasskeyCredential.objects.filter(user=user, pk=pk).first() if pk else None
    if passkey is None:
        raise ValidationError(_("Passkeyn finns inte bland dina passkeys."))
    credentials_check(user=user, request=request, password=password, purpose="passkey")
    with transaction.atomic():
        passkey.delete()
        event_record(verb="account.passkey_removed", actor=user, target=user,
                     summary=f"{display_name(user)} tog bort passkeyn {passkey.name}", data={"passkey": pk})
    return passkey
