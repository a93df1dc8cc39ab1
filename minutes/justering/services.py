"""Justering: send the minutes for signing, comment, sign, decline, unlock; extracts.

Every function here is a service: keyword-only, one transaction, takes the acting user,
records history and an AuditEvent where the act matters (sent, signed, justerat, declined,
unlocked). The rules:

* What is signed is a `MinutesVersion`: the canonical JSON of the minutes as
  `selectors.minutes_document` shows them (the same data as the preview and the PDF), and its
  SHA-256. A signature records that SHA-256.
* An edit while the minutes are under justering makes a new version (the `minutes_edited`
  signal, and a check at signing); the old one is `ersatt`, its signatures void, and those who
  had signed are told by e-mail.
* The minutes are justerade when the secretary, the chair and every
  justerare have signed the current version, in any order. Then the meeting is locked (the
  services refuse, and the database triggers of migrations 0005 and 0009 refuse raw SQL
  too), the PDFs are requested from the worker and the notice board is told.
* Only an unlock proposed by the chair and confirmed by one more member, with a written
  reason, opens justerade minutes again; it makes a new version and keeps the old one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from board.audit import acting_user, event_record, save_with_actor
from board.documents.models import RenderedDocument
from board.documents.services import document_request
from board.formatting import one_line
from board.mail import mail_queue
from board.models import Appointment, OutgoingMail, Person
from board.permissions import Action, can
from board.selectors import board_on, totp_devices
from board.services import credentials_check

from ..drafting.selectors import MinutesDocument, meeting_for, minutes_document
from ..models import (
    Attendance,
    JusteringComment,
    JusteringDecline,
    Meeting,
    MinutesUnlock,
    MinutesVersion,
    Paragraph,
    Signature,
)
from ..signals import minutes_justered

logger = logging.getLogger(__name__)

DEADLINE_DAYS = 14  # Kommunallagen 5 kap 69 §: justering within 14 days
WARN_DAYS = 3  # the deadline is "near" this many days before

Role = Signature.Role


# --- deadline ------------------------------------------------------------------------------


def justering_deadline(meeting: Meeting) -> dt.date:
    return meeting.date + dt.timedelta(days=DEADLINE_DAYS)


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    days_left: int

    @property
    def passed(self) -> bool:
        return self.days_left < 0

    @property
    def near(self) -> bool:
        return 0 <= self.days_left <= WARN_DAYS

    @property
    def text(self) -> str:
        if self.passed:
            return _("Sista dag för justering var %(d)s (%(n)s dagar sedan).") % {
                "d": self.date.isoformat(), "n": -self.days_left}
        if self.days_left == 0:
            return _("Sista dag för justering är i dag, %(d)s.") % {"d": self.date.isoformat()}
        return _("Sista dag för justering: %(d)s (om %(n)s dagar).") % {
            "d": self.date.isoformat(), "n": self.days_left}


def deadline_for(meeting: Meeting, today: dt.date | None = None) -> Deadline:
    day = justering_deadline(meeting)
    return Deadline(date=day, days_left=(day - (today or timezone.localdate())).days)


# --- the canonical snapshot ----------------------------------------------------------------


@dataclass(frozen=True)
class RequiredSigner:
    person: Person
    role: str

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def required_signers(doc: MinutesDocument, *, fallback_secretary: Person | None = None) -> list[RequiredSigner]:
    """Secretary (the meeting's, else the sender), chair, then the justerare, in that order."""
    result: list[RequiredSigner] = []
    secretary = doc.secretary.person if doc.secretary else fallback_secretary
    if secretary is not None:
        result.append(RequiredSigner(secretary, Role.SECRETARY))
    if doc.chair is not None:
        result.append(RequiredSigner(doc.chair.person, Role.CHAIR))
    for adjuster in doc.adjusters:
        if all(s.person.pk != adjuster.person_id for s in result):
            result.append(RequiredSigner(adjuster.person, Role.ADJUSTER))
    return result


def minutes_snapshot(doc: MinutesDocument, signers: list[RequiredSigner]) -> dict[str, Any]:
    """Everything the minutes say, as plain JSON: what is signed, hashed and attached to the PDF."""
    m = doc.meeting
    paragraphs = []
    for pv in doc.paragraphs:
        p = pv.paragraph
        paragraphs.append({
            "id": p.pk,
            "label": p.label,
            "number": p.number,
            "prefix": p.prefix,
            "title": p.title,
            "dnr": p.dnr,
            "body": p.body,
            "decision": pv.decision_lines,
            "confidential": p.is_confidential,
            "osl_reference": p.osl_reference,
            "immediate_justering": p.immediate_justering,
            "exp_till": p.exp_till,
            "kopia_till": p.kopia_till,
            "handlingar": [d.title for d in pv.handlingar],
            "jav": pv.recused_names,
            "reservations": [
                {"name": r.person.full_name, "motivation": r.motivation} for r in p.reservations.all()
            ],
            "notes": [
                {"name": n.person.full_name if n.person else "", "text": n.text} for n in p.notes.all()
            ],
            "votes": [
                {
                    "question": v.question,
                    "proposals": [
                        {"answer": pr.answer, "text": pr.text,
                         "proposer": pr.proposer.full_name if pr.proposer else ""}
                        for pr in v.proposals.all()
                    ],
                    "ballots": [{"name": b.person.full_name, "choice": b.choice} for b in v.ballots.all()],
                    "yes": v.yes_count, "no": v.no_count, "abstain": v.abstain_count,
                    "result": v.result, "decided_by": v.decided_by,
                }
                for v in pv.votes
            ],
        })
    return {
        "format": "samordna.minutes/1",
        "meeting": {
            "id": m.pk,
            "organisation": doc.organisation.name,
            "organ": m.organ.name,
            "date": m.date.isoformat(),
            "kind": m.kind,
            "place_and_time": doc.place_and_time,
        },
        "attendance": {
            "beslutande": doc.decision_makers,
            "ersattare": doc.substitutes,
            "ovriga": doc.others,
            "franvarande": doc.absent,
        },
        "adjusters": [a.person.full_name for a in doc.adjusters],
        "paragraph_range": doc.range_label,
        "signers": [
            {"person_id": s.person.pk, "name": s.person.full_name, "role": s.role} for s in signers
        ],
        "paragraphs": paragraphs,
    }


def canonical_bytes(snapshot: dict[str, Any]) -> bytes:
    """One byte sequence per content: sorted keys, no whitespace, UTF-8."""
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(snapshot)).hexdigest()


def _live_snapshot(meeting: Meeting, fallback_secretary: Person | None = None) -> dict[str, Any]:
    doc = minutes_document(meeting)
    return minutes_snapshot(doc, required_signers(doc, fallback_secretary=fallback_secretary))


# --- queries -------------------------------------------------------------------------------


def current_version(meeting: Meeting) -> MinutesVersion | None:
    return MinutesVersion.objects.filter(meeting=meeting, status=MinutesVersion.Status.CURRENT).first()


def justered_version(meeting: Meeting) -> MinutesVersion | None:
    return MinutesVersion.objects.filter(meeting=meeting, status=MinutesVersion.Status.SIGNED).first()


def _signers_of(version: MinutesVersion) -> list[dict[str, Any]]:
    return list(version.snapshot.get("signers", []))


def _person_of(user: Any) -> Person | None:
    if acting_user(user) is None:
        return None
    return Person.objects.filter(user=user).first()


def signer_role(version: MinutesVersion, user: Any) -> str | None:
    """The role the user signs this version in, or None if they are not a signer."""
    person = _person_of(user)
    if person is None:
        return None
    return next((s["role"] for s in _signers_of(version) if s["person_id"] == person.pk), None)


def is_signer_of(user: Any, meeting: Meeting) -> bool:
    """Whether the user signs (or signed) these minutes: the meeting's chair, secretary or a
    justerare, or a signer of one of its versions. They may read and sign the minutes even
    when their seat has ended since (the demo's 2023 chair, a chair who left the board)."""
    person = _person_of(user)
    if person is None:
        return False
    if meeting.attendances.filter(
        person=person, function__in=[Attendance.Function.CHAIR, Attendance.Function.SECRETARY]
    ).exists() or meeting.adjusters.filter(person=person).exists():
        return True
    return any(
        s.get("person_id") == person.pk
        for snapshot in meeting.versions.values_list("snapshot", flat=True)
        for s in snapshot.get("signers", [])
    )


def meeting_for_justering(user: Any, pk: int) -> Meeting:
    """The meeting if the user may see it or is one of its signers; 404 otherwise."""
    try:
        return meeting_for(user, pk)
    except Http404:
        meeting = Meeting.objects.select_related("organ__organisation").filter(pk=pk).first()
        if meeting is not None and is_signer_of(user, meeting):
            return meeting
        raise


def secretary_person(meeting: Meeting, version: MinutesVersion | None) -> Person | None:
    if version is not None:
        for s in _signers_of(version):
            if s["role"] == Role.SECRETARY:
                return Person.objects.filter(pk=s["person_id"]).first()
    row = meeting.attendances.filter(function=Attendance.Function.SECRETARY).select_related("person").first()
    return row.person if row else None


# --- e-mail --------------------------------------------------------------------------------


def justering_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("minutes:justering", args=[meeting.pk])


def _mail(persons: list[Person], subject: str, body: str, *, meeting: Meeting, kind: str, actor: Any = None) -> list[str]:
    sent = []
    for person in persons:
        if person.email:
            mail_queue(to=person, subject=subject, body=body, meeting=meeting, kind=kind, actor=actor)
            sent.append(person.email)
    return sent


def _persons(ids: list[int]) -> list[Person]:
    found = Person.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]


# --- new versions --------------------------------------------------------------------------


def _new_version(meeting: Meeting, snapshot: dict[str, Any], *, reason: str, actor: Any) -> MinutesVersion:
    """Supersede the current version (voiding its signatures) and store the next one."""
    old = MinutesVersion.objects.select_for_update().filter(
        meeting=meeting, status=MinutesVersion.Status.CURRENT
    ).first()
    if old is not None:
        old.status = MinutesVersion.Status.SUPERSEDED
        save_with_actor(old, actor)
    last = MinutesVersion.objects.filter(meeting=meeting).order_by("-number").values_list("number", flat=True).first()
    version = MinutesVersion(
        meeting=meeting, number=(last or 0) + 1, reason=reason, snapshot=snapshot,
        sha256=snapshot_sha256(snapshot),
        created_by=acting_user(actor),
    )
    save_with_actor(version, actor)
    return version


def _void_and_tell(meeting: Meeting, old: MinutesVersion | None, new: MinutesVersion, actor: Any) -> list[str]:
    """Tell the signers of `old` that their signatures no longer count."""
    if old is None:
        return []
    signed = list(old.signatures.select_related("person"))
    if not signed:
        return []
    event_record(
        verb="justering.signatures_voided", actor=actor, organisation=meeting.organ.organisation,
        target=meeting,
        summary=f"{meeting}: ändrat efter underskrift, version {old.number} ersatt av {new.number}",
        data={"old": old.number, "new": new.number, "signers": [s.person.full_name for s in signed]},
    )
    return _mail(
        [s.person for s in signed],
        f"Protokollet har ändrats: {meeting.organ.organisation}, {meeting.date:%Y-%m-%d}",
        (
            f"Protokollet från sammanträdet {meeting.date:%Y-%m-%d} har ändrats efter att du skrev under "
            f"version {old.number}. Din underskrift gäller inte längre. Läs version {new.number} och "
            f"skriv under igen:\n\n{justering_url(meeting)}\n\n{deadline_for(meeting).text}\n"
        ),
        meeting=meeting, kind=OutgoingMail.Kind.JUSTERING_VOIDED, actor=actor,
    )


@transaction.atomic
def justering_refresh_version(*, meeting: Meeting, actor: Any = None, what: str = "") -> MinutesVersion | None:
    """After an edit under justering: a new version if the content changed. Idempotent."""
    meeting = Meeting.objects.select_for_update().select_related("organ__organisation").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.JUSTERING:
        return None
    old = current_version(meeting)
    secretary = secretary_person(meeting, old)
    snapshot = _live_snapshot(meeting, secretary)
    if old is not None and old.sha256 == snapshot_sha256(snapshot):
        return old
    new = _new_version(meeting, snapshot, reason=_("Ändrad under justering") + (f" ({what})" if what else ""), actor=actor)
    _void_and_tell(meeting, old, new, actor)
    return new


# --- send ----------------------------------------------------------------------------------


@transaction.atomic
def minutes_send_for_justering(*, meeting: Meeting, actor: Any) -> MinutesVersion:
    """Freeze a version and ask the secretary, the chair and the justerare to sign it."""
    meeting = Meeting.objects.select_for_update().select_related("organ__organisation").get(pk=meeting.pk)
    organisation = meeting.organ.organisation
    if not can(actor, Action.EDIT_MINUTES, organisation):
        raise PermissionDenied(_("Bara sekreteraren skickar protokollet för justering."))
    if meeting.status not in (Meeting.Status.HELD, Meeting.Status.DRAFTING):
        raise ValidationError(
            _("Protokollet kan inte skickas för justering när det är: %(s)s.") % {"s": meeting.get_status_display()}
        )
    doc = minutes_document(meeting)
    errors = []
    if not doc.paragraphs:
        errors.append(_("Protokollet har inga paragrafer."))
    if doc.chair is None:
        errors.append(_("Ange vem som var ordförande i närvarolistan."))
    if not doc.adjusters:
        errors.append(_("Välj justerare under \"val av justerare\"."))
    signers = required_signers(doc, fallback_secretary=_person_of(actor))
    if not any(s.role == Role.SECRETARY for s in signers):
        errors.append(_("Ange sekreteraren i närvarolistan."))
    missing = [s.person.full_name for s in signers if s.person.user_id is None]
    if missing:
        errors.append(_("De här saknar inloggning och kan inte skriva under: %(n)s.") % {"n": ", ".join(missing)})
    if errors:
        raise ValidationError(errors)
    snapshot = minutes_snapshot(doc, signers)
    old = current_version(meeting)
    if old is not None and old.sha256 == snapshot_sha256(snapshot) and not old.signatures.exists():
        version = old  # sent again unchanged (e.g. after an unlock without edits)
    else:
        version = _new_version(meeting, snapshot, reason=_("Skickad för justering"), actor=actor)
    meeting.status = Meeting.Status.JUSTERING
    save_with_actor(meeting, actor)
    deadline = deadline_for(meeting)
    addresses = _mail(
        [s.person for s in signers],
        f"Protokoll att justera: {meeting.organ}, {organisation}, {meeting.date:%Y-%m-%d}",
        (
            f"Protokollet från sammanträdet {meeting.date:%Y-%m-%d} ({doc.range_label}) är klart för "
            f"justering. Läs, kommentera och skriv under här:\n\n{justering_url(meeting)}\n\n"
            f"{deadline.text}\n"
        ),
        meeting=meeting, kind=OutgoingMail.Kind.JUSTERING_SENT, actor=actor,
    )
    event_record(
        verb="justering.sent", actor=actor, organisation=organisation, target=meeting,
        summary=f"{meeting} skickat för justering (version {version.number})",
        data={"version": version.number, "to": addresses, "deadline": deadline.date.isoformat()},
    )
    return version


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
    person = _person_of(actor)
    comment = JusteringComment(
        meeting=meeting, version=version, paragraph=paragraph,
        paragraph_label=paragraph.label if paragraph else "", author=actor,
        author_name=person.full_name if person else actor.get_username(), text=text,
    )
    save_with_actor(comment, actor)
    secretary = secretary_person(meeting, version)
    _mail(
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


def _sign_checks(meeting: Meeting, actor: Any, version_number: int | None) -> tuple[Any, str, Person | None]:
    """The version `actor` is to sign now and as what, or why not."""
    version, role = _version_for_signer(meeting, actor)
    if version_number is not None and version_number != version.number:
        raise ValidationError({"version": _(
            "Protokollet har ändrats sedan du läste det (nu version %(v)s). Läs igenom det igen innan du skriver under."
        ) % {"v": version.number}})
    person = _person_of(actor)
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
    """Sign the current version; the last signature makes the minutes justerade.

    The password and the code are checked before the transaction: a wrong one is counted as
    a failed login for the user and the request's address (django-axes; enough of them refuse
    signing for the cool-off, the right password too), and a wrong code in the device's row
    (django-otp makes each next attempt wait longer). A rolled-back transaction would forget
    both and let the password or the code be guessed at the speed of requests. The checks of
    who signs what run before, so the answers stay in that order, and again under the lock."""
    meeting = Meeting.objects.select_related("organ__organisation").get(pk=meeting.pk)
    _sign_checks(meeting, actor, version_number)
    with_totp = _check_credentials(
        actor=actor, request=request, password=password, totp_code=totp_code,
        require_totp=meeting.organ.organisation.require_totp,
    )
    return _sign(meeting=meeting, actor=actor, with_totp=with_totp, version_number=version_number)


@transaction.atomic
def _sign(*, meeting: Meeting, actor: Any, with_totp: bool, version_number: int | None) -> Signature:
    meeting = Meeting.objects.select_for_update().select_related("organ__organisation").get(pk=meeting.pk)
    organisation = meeting.organ.organisation
    version, role, person = _sign_checks(meeting, actor, version_number)
    # The signal of an edit may not have arrived yet: what is signed must be what is stored.
    live = _live_snapshot(meeting, secretary_person(meeting, version))
    if snapshot_sha256(live) != version.sha256:
        raise ValidationError({"version": _(
            "Protokollet har just ändrats. Läs igenom den nya versionen innan du skriver under."
        )})
    signature = Signature(
        version=version, person=person, user=actor, role=role, signed_at=timezone.now(),
        sha256=version.sha256, with_totp=with_totp,
    )
    save_with_actor(signature, actor)
    event_record(
        verb="justering.signed", actor=actor, organisation=organisation, target=meeting,
        summary=f"{person} ({signature.get_role_display()}) skrev under version {version.number}",
        data={"version": version.number, "role": role, "sha256": version.sha256, "totp": with_totp},
    )
    signed = set(version.signatures.values_list("person_id", flat=True))
    if all(s["person_id"] in signed for s in _signers_of(version)):
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
    person = _person_of(actor)
    decline = JusteringDecline(version=version, person=person, user=actor, reason=reason)
    save_with_actor(decline, actor)
    version.status = MinutesVersion.Status.DECLINED
    save_with_actor(version, actor)
    meeting.status = Meeting.Status.DRAFTING
    save_with_actor(meeting, actor)
    secretary = secretary_person(meeting, version)
    _mail(
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


# --- unlock --------------------------------------------------------------------------------


def _chair_ids(meeting: Meeting) -> set[int]:
    """The chair of the meeting, and whoever chairs the organ today."""
    ids = set(meeting.attendances.filter(function=Attendance.Function.CHAIR).values_list("person_id", flat=True))
    ids |= {a.person_id for a in board_on(meeting.organ_id, timezone.localdate()) if a.role == Appointment.Role.CHAIR}
    return ids


def _member_ids(meeting: Meeting) -> set[int]:
    """Who may second an unlock: the board today, and those who decided at the meeting."""
    ids = {a.person_id for a in board_on(meeting.organ_id, timezone.localdate())}
    ids |= set(
        meeting.attendances.filter(role__in=Attendance.VOTING_ROLES).values_list("person_id", flat=True)
    )
    return ids


@transaction.atomic
def unlock_propose(*, meeting: Meeting, reason: str, actor: Any) -> MinutesUnlock:
    """The chair proposes to open justerade minutes for a correction."""
    meeting = Meeting.objects.select_for_update().select_related("organ__organisation").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SIGNED:
        raise ValidationError(_("Bara justerade protokoll kan låsas upp."))
    person = _person_of(actor)
    if person is None or person.pk not in _chair_ids(meeting):
        raise PermissionDenied(_("Bara ordföranden kan föreslå en upplåsning."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv skälet till upplåsningen.")})
    if meeting.unlocks.filter(status=MinutesUnlock.Status.PROPOSED).exists():
        raise ValidationError(_("Det finns redan ett förslag om upplåsning som väntar på bekräftelse."))
    version = justered_version(meeting)
    unlock = MinutesUnlock(meeting=meeting, from_version=version, reason=reason, chair=person, chair_user=actor)
    save_with_actor(unlock, actor)
    event_record(
        verb="justering.unlock_proposed", actor=actor, organisation=meeting.organ.organisation,
        target=meeting, summary=f"{person} föreslår upplåsning av {meeting}", data={"reason": reason},
    )
    return unlock


@transaction.atomic
def unlock_confirm(*, unlock: MinutesUnlock, actor: Any) -> MinutesUnlock:
    """One more member confirms: the minutes open again as a new version; the old one stays."""
    unlock = MinutesUnlock.objects.select_for_update().select_related("meeting__organ__organisation").get(pk=unlock.pk)
    meeting = Meeting.objects.select_for_update().select_related("organ__organisation").get(pk=unlock.meeting_id)
    if unlock.status != MinutesUnlock.Status.PROPOSED or meeting.status != Meeting.Status.SIGNED:
        raise ValidationError(_("Upplåsningen är redan genomförd."))
    person = _person_of(actor)
    if person is None or person.pk not in _member_ids(meeting):
        raise PermissionDenied(_("Bara en ledamot kan bekräfta upplåsningen."))
    if person.pk == unlock.chair_id:
        raise ValidationError(_("Upplåsningen ska bekräftas av en annan ledamot än ordföranden."))
    # The confirmed unlock row first: it is what the database accepts as the key to this
    # justering's lock (migration 0009), and it can be neither changed nor removed afterwards.
    unlock.second = person
    unlock.second_user = actor
    unlock.confirmed_at = timezone.now()
    unlock.status = MinutesUnlock.Status.DONE
    save_with_actor(unlock, actor)
    old = unlock.from_version
    old.status = MinutesVersion.Status.UNLOCKED
    save_with_actor(old, actor)
    meeting.status = Meeting.Status.DRAFTING
    save_with_actor(meeting, actor)
    new = _new_version(
        meeting, dict(old.snapshot), reason=(_("Upplåst: %(r)s") % {"r": unlock.reason})[:280], actor=actor
    )
    unlock.to_version = new
    save_with_actor(unlock, actor)
    event_record(
        verb="justering.unlocked", actor=actor, organisation=meeting.organ.organisation, target=meeting,
        summary=f"{meeting} upplåst av {unlock.chair} och {person}",
        data={"reason": unlock.reason, "from": old.number, "to": new.number},
    )
    return unlock


# --- extracts ------------------------------------------------------------------------------


def extract_request(*, paragraph: Paragraph, actor: Any) -> RenderedDocument:
    """Order the protokollsutdrag of a § of justerade minutes (rendered by the worker)."""
    meeting = paragraph.meeting
    version = justered_version(meeting)
    if meeting.status != Meeting.Status.SIGNED or version is None:
        raise ValidationError(_("Protokollsutdrag kan bara göras ur ett justerat protokoll."))
    return document_request(
        kind="minutes.extract", target=paragraph, version=version.number,
        organisation=meeting.organ.organisation, actor=actor,
    )


def exp_till_recipients(paragraph: Paragraph) -> tuple[list[str], list[str]]:
    """(addresses, names without an address) from "Exp. till": addresses or people's names."""
    addresses: list[str] = []
    unknown: list[str] = []
    for token in re.split(r"[,;\n]+", paragraph.exp_till or ""):
        token = token.strip()
        if not token:
            continue
        if "@" in token:
            addresses.append(token)
            continue
        first, _sep, last = token.rpartition(" ")
        person = Person.objects.filter(first_name__iexact=first, last_name__iexact=last).exclude(email="").first()
        if person is not None:
            addresses.append(person.email)
        else:
            unknown.append(token)
    return list(dict.fromkeys(addresses)), unknown


@transaction.atomic
def extract_send(*, paragraph: Paragraph, actor: Any) -> list[str]:
    """E-mail the sealed extract to the § "Exp. till" recipients that have an address."""
    paragraph = Paragraph.objects.select_related("meeting__organ__organisation").get(pk=paragraph.pk)
    meeting = paragraph.meeting
    if not can(actor, Action.EDIT_MINUTES, meeting.organ.organisation):
        raise PermissionDenied(_("Bara sekreteraren skickar protokollsutdrag."))
    document = extract_request(paragraph=paragraph, actor=actor)
    if not document.is_done:
        raise ValidationError(_("Utdraget skapas fortfarande; försök igen om en stund."))
    addresses, unknown = exp_till_recipients(paragraph)
    if not addresses:
        raise ValidationError({"exp_till": _("\"Exp. till\" har ingen mottagare med e-postadress.")})
    for address in addresses:
        mail_queue(
            subject=one_line(f"Protokollsutdrag {paragraph.label} {paragraph.title}"),
            body=(
                f"Protokollsutdrag ur {meeting.organ}, {meeting.organ.organisation}, "
                f"sammanträde {meeting.date:%Y-%m-%d}, {paragraph.label} {paragraph.title}.\n\n"
                f"Utdraget är förseglat; äktheten kan kontrolleras på {settings.SITE_URL}{reverse('board:verify')}\n"
            ),
            to=address, meeting=meeting, kind=OutgoingMail.Kind.JUSTERING_EXTRACT, actor=actor,
            attachments=[document],
        )
    event_record(
        verb="justering.extract_sent", actor=actor, organisation=meeting.organ.organisation,
        target=paragraph, summary=f"Utdrag {paragraph.label} skickat till {len(addresses)} mottagare",
        data={"to": addresses, "without_address": unknown},
    )
    return addresses


# --- reminders -----------------------------------------------------------------------------

REMIND_ON_DAYS_LEFT = frozenset({WARN_DAYS, 1, 0, -1})  # three days before, the last days, once late


def justering_remind_signers(*, today: dt.date | None = None) -> list[str]:
    """E-mail the signers who have not signed when the deadline nears (and once when passed)."""
    today = today or timezone.localdate()
    sent: list[str] = []
    for meeting in Meeting.objects.filter(status=Meeting.Status.JUSTERING).select_related("organ__organisation"):
        deadline = deadline_for(meeting, today)
        if deadline.days_left not in REMIND_ON_DAYS_LEFT:
            continue
        version = current_version(meeting)
        if version is None:
            continue
        signed = set(version.signatures.values_list("person_id", flat=True))
        waiting = _persons([s["person_id"] for s in _signers_of(version) if s["person_id"] not in signed])
        addresses = _mail(
            waiting,
            f"Påminnelse: justera protokollet {meeting.date:%Y-%m-%d}, {meeting.organ.organisation}",
            f"{deadline.text}\n\nLäs och skriv under här:\n{justering_url(meeting)}\n",
            meeting=meeting, kind=OutgoingMail.Kind.JUSTERING_REMINDER,
        )
        if addresses:
            event_record(
                verb="justering.reminded", organisation=meeting.organ.organisation, target=meeting,
                summary=f"Påminnelse om justering till {len(addresses)}", data={"to": addresses},
            )
        sent += addresses
    return sent


@shared_task(name="minutes.justering_reminders")
def justering_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind signers as the 14-day deadline nears."""
    return len(justering_remind_signers())
