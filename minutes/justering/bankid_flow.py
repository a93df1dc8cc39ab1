"""Justering with BankID, shared by the page (bankid_views.py) and the API (bankid_api.py).

`bankid_start` checks that the user may sign the current version with BankID here and starts a
/sign order bound to the version's SHA-256; it returns the order's record, which the caller keeps
server-side (the page in the session, the API in the cache, bound to the user): the
qrStartSecret never leaves the server. `bankid_collect` asks BankID once and, when the order is
complete, verifies the signature XML (BankIdMethod.verify: XMLDSig up to BANKID_SIGNATURE_ROOTS,
the signed SHA-256) and records the signature through `services.justering_sign_completed`, the
one way a method's signature is recorded (association's methods and level, the signer's
personnummer, the version, the orderRef used once). Refusals are Swedish ValidationErrors (or
PermissionDenied for one who does not sign); an unreachable BankID is BankIdUnavailable.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from board.identity import Level

from ..models import Meeting, MinutesVersion, Signature
from . import services
from .rules import signature_refusal
from .signing.bankid import BankIdMethod, autostart_url, qr_data_now
from .signing.base import SigningRequest
from .signing.registry import offers

METHOD = "bankid"
NOT_VERIFIED = "BankID-underskriften kunde inte kontrolleras. Ingenting har skrivits under."


def end_user_ip(request: HttpRequest) -> str:
    """The signer's address as this server sees it, which BankID requires on every order."""
    return str(request.META.get("REMOTE_ADDR") or "")


def visible_text(version: MinutesVersion) -> str:
    """What the signer reads in the BankID app: the minutes' förbund, organ, date, §§ and the
    version with its SHA-256, from the version's own snapshot (what is signed)."""
    meeting = version.snapshot.get("meeting", {})
    lines = [
        _("Jag justerar protokollet."),
        "",
        _("Förbund: %(v)s") % {"v": meeting.get("organisation", "")},
        _("Organ: %(v)s") % {"v": meeting.get("organ", "")},
        _("Sammanträde: %(v)s") % {"v": meeting.get("date", "")},
    ]
    if version.snapshot.get("paragraph_range"):
        lines.append(_("Paragrafer: %(v)s") % {"v": version.snapshot["paragraph_range"]})
    lines.append(_("Version %(n)s, SHA-256: %(sha)s") % {"n": version.number, "sha": version.sha256})
    return "\n".join(lines)


def _signable(meeting: Meeting, actor: Any) -> tuple[MinutesVersion, Any]:
    """The version `actor` may start a BankID signature of now, or why not."""
    version, _role, person = services.signing.sign_checks(meeting, actor, None)
    organisation = meeting.organ.organisation
    if METHOD not in {offer.key for offer in offers(organisation)} or not settings.BANKID_SIGNATURE_ROOTS:
        raise ValidationError(_("Förbundet tar inte emot underskrifter med BankID här."))
    refusal = signature_refusal(organisation, METHOD, Level.ADVANCED)
    if refusal:
        raise ValidationError(refusal)
    if not person.personal_identity_number:
        raise ValidationError(_(
            "Förbundet har inte ditt personnummer, så en underskrift med BankID kan inte knytas till dig. "
            "Be sekreteraren lägga in ditt personnummer."
        ))
    return version, person


def bankid_start(*, meeting: Meeting, actor: Any, end_user_ip: str) -> dict[str, Any]:
    """Start a BankID /sign of the current version for `actor`; the record to keep server-side."""
    version, person = _signable(meeting, actor)
    started = BankIdMethod(end_user_ip=end_user_ip).start(SigningRequest(
        sha256=version.sha256, visible_text=visible_text(version), person_name=person.full_name,
        identity_number=person.personal_identity_number,
    ))
    return {
        "order_ref": started.reference,
        "qr_start_token": started.data["qr_start_token"],
        "qr_start_secret": started.data["qr_start_secret"],
        "autostart_token": started.data["autostart_token"],
        "started_at": started.data.get("started_at", time.time()),
        "sha256": version.sha256,
        "version": version.number,
        "meeting": meeting.pk,
        "user": actor.pk,
    }


def qr_data(record: dict[str, Any]) -> str:
    return qr_data_now(record)


def autostart(record: dict[str, Any]) -> str:
    return autostart_url(record["autostart_token"])


@dataclass(frozen=True)
class Outcome:
    """One /collect: status "pending", "complete" or "failed", the hintCode, the Swedish
    message, and the recorded signature when complete."""

    status: str
    hint_code: str
    message: str
    signature: Signature | None = None


def bankid_collect(*, meeting: Meeting, actor: Any, record: dict[str, Any]) -> Outcome:
    """Ask BankID about the order of `record` once; record the signature when it is complete.

    Raises ValidationError (in Swedish) when the completed signature is refused (not verified,
    another person's BankID, a changed version, an orderRef used before): nothing is signed."""
    method = BankIdMethod()
    collected = method.collect(record["order_ref"])
    if collected.completed is None:
        return Outcome(collected.status, collected.hint_code, collected.message)
    if not method.verify(collected.completed.evidence, record["sha256"]):
        raise ValidationError(NOT_VERIFIED)
    signature = services.justering_sign_completed(
        meeting=meeting, actor=actor, method=METHOD, completed=collected.completed, reference=record["order_ref"],
        sha256=record["sha256"], version_number=record["version"],
    )
    return Outcome("complete", "", _("Du har skrivit under protokollet med BankID."), signature)


def bankid_cancel(record: dict[str, Any]) -> None:
    BankIdMethod().cancel(record["order_ref"])
