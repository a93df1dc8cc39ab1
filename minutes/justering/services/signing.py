"""The signers' acts: comment, sign (the last signature makes the minutes justerade and
locks them) and decline (the minutes go back to the secretary)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from board.audit import event_record, save_with_actor
from board.documents.services import document_request
from board.identity import Level, mask
from board.models import OutgoingMail, Person
from board.people import display_name
from board.selectors import totp_devices
from board.services import credentials_check

from ...models import (
    JusteringComment,
    JusteringDecline,
    Meeting,
    MinutesVersion,
    Paragraph,
    Signature,
)
from ...signals import minutes_justered
from ..rules import (
    identity_refusal,
    live_snapshot,
    method_family,
    signature_refusal,
    snapshot_sha256,
)
from ..selectors import current_version, person_of, secretary_person, signer_role, signers_of
from ..signing.base import Completed
from .mail import justering_url, mail_persons

logger = logging.getLogger(__name__)

# --- comment -------------------------------------------------------------------------------


def _version_for_signer(meeting: Meeting, actor: Any) -> tuple[MinutesVersion, str]:
    if meeting.status != Meeting.Status.JUSTERING:
        raise ValidationError(_("Protokollet är inte under justering."))
    version = current_version(meeting)
    if version is None:
        raise ValidationError(_("Protokollet är inte under justering."))
    role = signer_role(version, actor)
    if role is None:
        raise PermissionDenied(_("Du är inte en av dem som justerar protokollet."))
    return version, role


@transaction.atomic
def justering_comment_add(
    *, meeting: Meeting, text: str, actor: Any, paragraph: Paragraph | None = None
) -> JusteringComment:
    meeting = Meeting.objects.select_for_update().select_related("organ__organisation").get(pk=meeting.pk)
    version, _role = _version_for_signer(meeting, actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv en kommentar.")})
    if paragraph is not None and paragraph.meeting_id != meeting.pk:
        raise ValidationError({"paragraph": _("Paragrafen hör till ett annat möte.")})
    comment = JusteringComment(
        meeting=meeting, version=version, paragraph=paragraph,
        paragraph_label=paragraph.label if paragraph else "", author=actor,
        author_name=display_name(actor), text=text,
    )
    save_with_actor(comment, actor)
    secretary = secretary_person(meeting, version)
    mail_persons(
        [secretary] if secretary else [],
        f"Kommentar till protokollet {meeting.date:%Y-%m-%d}",
        f"{comment.author_name} kommenterar {comment.paragraph_label or _('protokollet')}:\n\n{text}\n\n"
        f"{justering_url(meeting)}\n",
        meeting=meeting, kind=OutgoingMail.Kind.JUSTERING_COMMENT, actor=actor,
    )
    event_record(
        verb="justering.commented", actor=actor, organisation=meeting.organ.organisation, target=meeting,
        summary=f"Kommentar till {comment.paragraph_label or meeting}",
    )
    return comment


# --- sign ----------------------------------------------------------------------------------


def _check_credentials(
    *, actor: Any, request: HttpRequest, password: str, totp_code: str, require_totp: bool
) -> bool:
    """Password again, and the TOTP code where the user has a device or the association requires
    it; a wrong one counts as a failed login and enough of them lock signing (credentials_check)."""
    devices = totp_devices(actor)
    credentials_check(user=actor, request=request, password=password, devices=devices or None,
                      code=totp_code, code_field="totp_code", purpose="justering")
    if not devices and require_totp:
        raise ValidationError(
            {"totp_code": _("Förbundet kräver tvåfaktorskod vid justering. Lägg upp en autentiseringsapp först.")}
        )
    return bool(devices)


def sign_checks(meeting: Meeting, actor: Any, version_number: int | None) -> tuple[MinutesVersion, str, Person]:
    """The version `actor` is to sign now, as what and as whom, or why not (every method's
    start and its completion ask this)."""
    version, role = _version_for_signer(meeting, actor)
    if version_number is not None and version_number != version.number:
        raise ValidationError({"version": _(
            "Protokollet har ändrats sedan du läste det (nu version %(v)s). Läs igenom det igen innan du skriver under."
        ) % {"v": version.number}})
    person = person_of(actor)
    assert person is not None  # signer_role found the actor's person
    if version.signatures.filter(person=person).exists():
        raise ValidationError(_("Du har redan skrivit under version %(v)s.") % {"v": version.number})
    return version, role, person


def justering_sign(
    *,
    meeting: Meeting,
    actor: Any,
    password: str,
    request: HttpRequest,
    totp_code: str = "",
    version_number: int | None = None,
) -> Signature:
    """Sign the current version with password (+ code): a simple electronic signature. The last
    signature makes the minutes justerade.

    An association that requires an advanced signature, or does not accept this method, refuses
    before the password is even read. The password and the code are checked before the
    transaction: a wrong one is counted as a failed login for the user and the request's address
    (django-axes; enough of them refuse signing for the cool-off, the right password too), and a
    wrong code in the device's row (django-otp makes each next attempt wait longer). A
    rolled-back transaction would forget both and let the password or the code be guessed at the
    speed of requests. The checks of who signs what run before, so the answers stay in that
    order, and again under the lock."""
    meeting = Meeting.objects.select_related("organ__organisation").get(pk=meeting.pk)
    sign_checks(meeting, actor, version_number)
    refusal = signature_refusal(meeting.organ.organisation, "losenord", Level.SIMPLE)
    if refusal:
        raise ValidationError(refusal)
    with_totp = _check_credentials(
        actor=actor, request=request, password=password, totp_code=totp_code,
        require_totp=meeting.organ.organisation.require_totp,
    )
    return _sign(meeting=meeting, actor=actor, version_number=version_number, method="losenord",
                 level=Level.SIMPLE, evidence={"totp": with_totp}, with_totp=with_totp)


def justering_sign_completed(
    *,
    meeting: Meeting,
    actor: Any,
    method: str,
    completed: Completed,
    reference: str,
    sha256: str,
    version_number: int | None = None,
) -> Signature:
    """Record a signature that a signing method (minutes/justering/signing/) has completed.

    `sha256` is what the method bound the signature to; it must be the current version's.
    `reference` is the method's own (BankID orderRef, the ID token's nonce, the WebAuthn
    challenge): the same one twice signs nothing. An e-ID identity must be the signer's
    personnummer. Refusals are ValidationErrors in Swedish, and nothing is saved."""
    meeting = Meeting.objects.select_related("organ__organisation").get(pk=meeting.pk)
    if not reference:
        raise ValidationError(_("Underskriften saknar referens och kan inte tas emot."))
    sign_checks(meeting, actor, version_number)
    refusal = signature_refusal(meeting.organ.organisation, method, completed.level)
    if refusal is None and method_family(method) in ("bankid", "oidc"):
        refusal = identity_refusal(person_of(actor), completed.identity_number)
    if refusal:
        raise ValidationError(refusal)
    try:
        return _sign(meeting=meeting, actor=actor, version_number=version_number, method=method,
                     level=completed.level, evidence=completed.evidence, reference=reference,
                     identity_masked=mask(completed.identity_number), signed_sha256=sha256)
    except IntegrityError as exc:  # two requests with the same reference at once
        raise ValidationError(_("Den här underskriften är redan använd. Ingenting har skrivits under.")) from exc


@transaction.atomic
def _sign(
    *,
    meeting: Meeting,
    actor: Any,
    version_number: int | None,
    method: str,
    level: str,
    evidence: dict[str, Any],
    reference: str = "",
    identity_masked: str = "",
    with_totp: bool = False,
    signed_sha256: str | None = None,
) -> Signature:
    meeting = Meeting.objects.select_for_update().select_related("organ__organisation").get(pk=meeting.pk)
    organisation = meeting.organ.organisation
    version, role, person = sign_checks(meeting, actor, version_number)
    if signed_sha256 is not None and signed_sha256 != version.sha256:
        raise ValidationError({"version": _(
            "Protokollet har ändrats sedan du började skriva under. Läs igenom den nya versionen och skriv under igen."
        )})
    if reference and Signature.objects.filter(method=method, reference=reference).exists():
        raise ValidationError(_("Den här underskriften är redan använd. Ingenting har skrivits under."))
    # The signal of an edit may not have arrived yet: what is signed must be what is stored.
    live = live_snapshot(meeting, secretary_person(meeting, version))
    if snapshot_sha256(live) != version.sha256:
        raise ValidationError({"version": _(
            "Protokollet har just ändrats. Läs igenom den nya versionen innan du skriver under."
        )})
    signature = Signature(
        version=version, person=person, user=actor, role=role, signed_at=timezone.now(),
        sha256=version.sha256, with_totp=with_totp, method=method, level=level, evidence=evidence,
        reference=reference, identity_masked=identity_masked,
    )
    save_with_actor(signature, actor)
    event_record(
        verb="justering.signed", actor=actor, organisation=organisation, target=meeting,
        summary=f"{person} ({signature.get_role_display()}) skrev under version {version.number}",
        data={"version": version.number, "role": role, "sha256": version.sha256, "totp": with_totp,
              "method": method, "level": level},
    )
    signed = set(version.signatures.values_list("person_id", flat=True))
    if all(s["person_id"] in signed for s in signers_of(version)):
        _justered(meeting, version, actor)
    return signature


def _justered(meeting: Meeting, version: MinutesVersion, actor: Any) -> None:
    """Every signature is in: lock the minutes, order the PDFs, tell the wings above."""
    now = timezone.now()
    version.status = MinutesVersion.Status.SIGNED
    version.justered_at = now
    save_with_actor(version, actor)
    meeting.status = Meeting.Status.SIGNED
    save_with_actor(meeting, actor)
    organisation = meeting.organ.organisation
    event_record(
        verb="minutes.justered", actor=actor, organisation=organisation, target=meeting,
        summary=f"{meeting} justerat (version {version.number})",
        data={"version": version.number, "sha256": version.sha256},
    )
    for kind in ("minutes.full", "minutes.public"):
        document_request(kind=kind, target=meeting, version=version.number, organisation=organisation, actor=actor)
    # The wings above answer in this transaction: the public page, the anslag (minutes/signals.py).
    minutes_justered.send(
        sender=Meeting, meeting=meeting, version=version, actor=actor, justered_on=timezone.localdate(now),
    )


def beside_the_justering(meeting: Meeting, actor: Any, verb: str, failure: str, step: Callable[[], object]) -> None:
    """A step that follows the justering (the public page, the notice) and must not undo it.

    It runs in a savepoint; if it fails, the failure is logged and recorded as `verb`, and the
    signatures stand. A page not stored is rendered at the first visit; a notice not posted is
    shown to the secretary.
    """
    try:
        with transaction.atomic():
            step()
    except Exception as exc:  # noqa: BLE001 - recorded and shown; the justering stands
        logger.warning("%s for meeting %s: %s", verb, meeting.pk, exc)
        event_record(
            verb=verb, actor=actor, organisation=meeting.organ.organisation, target=meeting,
            summary=f"{failure}: {exc}"[:300],
        )


# --- decline -------------------------------------------------------------------------------


@transaction.atomic
def justering_decline(*, meeting: Meeting, reason: str, actor: Any) -> JusteringDecline:
    """A signer declines with a reason: the minutes go back to the secretary."""
    meeting = Meeting.objects.select_for_update().select_related("organ__organisation").get(pk=meeting.pk)
    version, _role = _version_for_signer(meeting, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv varför du inte kan justera protokollet.")})
    person = person_of(actor)
    decline = JusteringDecline(version=version, person=person, user=actor, reason=reason)
    save_with_actor(decline, actor)
    version.status = MinutesVersion.Status.DECLINED
    save_with_actor(version, actor)
    meeting.status = Meeting.Status.DRAFTING
    save_with_actor(meeting, actor)
    secretary = secretary_person(meeting, version)
    mail_persons(
        [secretary] if secretary else [],
        f"Justeringen avböjd: protokollet {meeting.date:%Y-%m-%d}",
        f"{person} avböjer att justera version {version.number}:\n\n{reason}\n\n"
        f"Protokollet är tillbaka hos dig: {settings.SITE_URL}{reverse('minutes:editor', args=[meeting.pk])}\n",
        meeting=meeting, kind=OutgoingMail.Kind.JUSTERING_DECLINED, actor=actor,
    )
    event_record(
        verb="justering.declined", actor=actor, organisation=meeting.organ.organisation, target=meeting,
        summary=f"{person} avböjde justering av version {version.number}", data={"reason": reason},
    )
    return decline

