"""The versions of the minutes under justering: the first one, frozen when the secretary sends
the minutes, and a new one after every edit, which voids the signatures of the old one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from board.audit import acting_user, event_record, save_with_actor
from board.models import OutgoingMail
from board.permissions import Action, can

from ...drafting.selectors import minutes_document
from ...models import Meeting, MinutesVersion
from ..rules import (
    Role,
    deadline_for,
    live_snapshot,
    minutes_snapshot,
    required_signers,
    snapshot_sha256,
)
from ..selectors import current_version, person_of, secretary_person
from .mail import justering_url, mail_persons

# --- new versions --------------------------------------------------------------------------


def new_version(meeting: Meeting, snapshot: dict[str, Any], *, reason: str, actor: Any) -> MinutesVersion:
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
    return mail_persons(
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
    snapshot = live_snapshot(meeting, secretary)
    if old is not None and old.sha256 == snapshot_sha256(snapshot):
        return old
    new = new_version(meeting, snapshot, reason=_("Ändrad under justering") + (f" ({what})" if what else ""), actor=actor)
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
    signers = required_signers(doc, fallback_secretary=person_of(actor))
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
        version = new_version(meeting, snapshot, reason=_("Skickad för justering"), actor=actor)
    meeting.status = Meeting.Status.JUSTERING
    save_with_actor(meeting, actor)
    deadline = deadline_for(meeting)
    addresses = mail_persons(
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

