"""Signing with a passkey (WebAuthn), checked with py_webauthn.

What binds the assertion to the minutes is the challenge: `challenge = SHA-256(version SHA-256
+ "." + salt)` (32 bytes) with a fresh random salt, so the authenticator's signature over
authenticatorData || SHA-256(clientDataJSON) covers a value that only that version's hash
gives. The evidence kept on the signature is everything needed to check it again offline:
the credential id and its public key (COSE), the authenticator data, the client data, the
signature, the salt, the relying party id and origin and the signature counter.
`verify_evidence()` recomputes the challenge from the SHA-256 and lets py_webauthn check the
client data (type, challenge, origin), the authenticator data (rp id, user present) and the
signature with the public key - from the evidence alone.

The level is the passkey's (board.PasskeyCredential.level): advanced only for a passkey added
after identification with e-ID. The signer's own passkeys only; the authenticator's counter
must have grown since the passkey was last used (an authenticator that keeps no counter
reports 0 each time; such a passkey is accepted as WebAuthn allows, and a copied answer is
still refused by the one-time challenge and the signature's unique reference).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    options_to_json,
    verify_authentication_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authenticator_data,
    parse_client_data_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import PublicKeyCredentialDescriptor, UserVerificationRequirement

from board.models import PasskeyCredential
from board.people import display_name

from .base import Completed, Level, SigningFailed, SigningRequest, Started

__all__ = ["PasskeyMethod", "bound_challenge", "verify_evidence"]


def bound_challenge(sha256: str, salt: str) -> bytes:
    """The WebAuthn challenge that binds an assertion to one version of the minutes."""
    return hashlib.sha256(f"{sha256}.{salt}".encode()).digest()


def _credential_json(evidence: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": evidence["credential_id"], "rawId": evidence["credential_id"], "type": "public-key",
        "response": {"authenticatorData": evidence["authenticator_data"],
                     "clientDataJSON": evidence["client_data_json"], "signature": evidence["signature"]},
    }


def verify_evidence(evidence: dict[str, Any], sha256: str) -> bool:
    """Whether `evidence` is an assertion of its passkey over the challenge bound to `sha256`."""
    try:
        verify_authentication_response(
            credential=_credential_json(evidence),
            expected_challenge=bound_challenge(sha256, str(evidence["salt"])),
            expected_rp_id=str(evidence["rp_id"]), expected_origin=str(evidence["origin"]),
            credential_public_key=base64url_to_bytes(str(evidence["public_key"])),
            credential_current_sign_count=0,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True


@dataclass
class PasskeyMethod:
    """The passkey signing method (key "passkey") for one relying party (this site's host)."""

    rp_id: str
    origin: str
    key: str = "passkey"
    label: str = "Passkey"
    level: str = Level.ADVANCED  # at best; each signature has its passkey's level

    def start(self, request: SigningRequest, passkeys: list[PasskeyCredential]) -> Started:
        """The options for navigator.credentials.get, limited to `passkeys`, with the bound
        challenge; what the session keeps until finish()."""
        salt = secrets.token_urlsafe(16)
        challenge = bound_challenge(request.sha256, salt)
        options = generate_authentication_options(
            rp_id=self.rp_id, challenge=challenge, user_verification=UserVerificationRequirement.REQUIRED,
            allow_credentials=[PublicKeyCredentialDescriptor(id=bytes(p.credential_id)) for p in passkeys],
        )
        reference = bytes_to_base64url(challenge)
        return Started(reference=reference, data={
            "options": options_to_json(options), "salt": salt, "sha256": request.sha256, "challenge": reference,
            "rp_id": self.rp_id, "origin": self.origin,
        })

    def finish(self, started: dict[str, Any], assertion: dict[str, Any], user: Any) -> Completed:
        """Check the browser's assertion: the signer's own passkey, the bound challenge, this
        site, user verified, the counter grown, the signature; then keep the new counter."""
        try:
            raw_id = base64url_to_bytes(str(assertion["rawId"]))
            response = assertion["response"]
            client_data = parse_client_data_json(base64url_to_bytes(str(response["clientDataJSON"])))
            auth_data = parse_authenticator_data(base64url_to_bytes(str(response["authenticatorData"])))
        except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise SigningFailed("Svaret från passkeyn kunde inte läsas. Börja om.") from exc
        if (started.get("rp_id"), started.get("origin")) != (self.rp_id, self.origin):
            raise SigningFailed("Underskriften började på en annan adress. Börja om.")
        if client_data.challenge != base64url_to_bytes(started["challenge"]):
            raise SigningFailed("Svaret från passkeyn hör inte till den här underskriften. Börja om; "
                                "ingenting har skrivits under.")
        with transaction.atomic():
            passkey = PasskeyCredential.objects.select_for_update().filter(user=user, credential_id=raw_id).first()
            if passkey is None:
                raise SigningFailed("Passkeyn är inte en av dina. Skriv under med en passkey som du har lagt upp "
                                    "under Konto.")
            if (auth_data.sign_count or passkey.sign_count) and auth_data.sign_count <= passkey.sign_count:
                raise SigningFailed("Passkeyns räknare har inte ökat sedan den användes senast, så svaret kan vara "
                                    "en kopia. Ingenting har skrivits under.")
            try:
                verified = verify_authentication_response(
                    credential=assertion, expected_challenge=base64url_to_bytes(started["challenge"]), expected_rp_id=self.rp_id,
                    expected_origin=self.origin, credential_public_key=bytes(passkey.public_key),
                    credential_current_sign_count=passkey.sign_count, require_user_verification=True,
                )
            except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError) as exc:
                raise SigningFailed("Passkeyns underskrift kunde inte kontrolleras. Ingenting har skrivits "
                                    "under.") from exc
            passkey.sign_count = verified.new_sign_count
            passkey.last_used_at = timezone.now()
            passkey.save(update_fields=["sign_count", "last_used_at"])
        evidence = {
            "credential_id": bytes_to_base64url(raw_id),
            "public_key": bytes_to_base64url(bytes(passkey.public_key)),
            "authenticator_data": str(response["authenticatorData"]),
            "client_data_json": str(response["clientDataJSON"]),
            "signature": str(response["signature"]),
            "salt": started["salt"], "rp_id": self.rp_id, "origin": self.origin,
            "sign_count": verified.new_sign_count, "passkey": passkey.pk, "passkey_name": passkey.name,
            "identified_with": passkey.identified_with,
        }
        return Completed(level=passkey.level, identity_number="", name=display_name(user), evidence=evidence)

    def poll(self, reference: str) -> Completed:
        raise SigningFailed("En underskrift med passkey görs i webbläsaren och kan inte följas upp här.")

    def cancel(self, reference: str) -> None:
        """Nothing runs elsewhere: the challenge waits in the signer's session only."""

    def verify(self, evidence: dict[str, Any], sha256: str) -> bool:
        return verify_evidence(evidence, sha256)
