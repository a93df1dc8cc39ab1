"""Opening justerade minutes again: the chair proposes with a written reason, one more member
confirms; the minutes become a new version to draft, and the justerad one is kept."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board.audit import event_record, save_with_actor

from ...models import Meeting, MinutesUnlock, MinutesVersion
from ..rules import chair_ids, member_ids
from ..selectors import justered_version, person_of
from .versions import new_version


@transaction.atomic
def unlock_propose(*, meeting: Meeting, reason: str, actor: Any) -> MinutesUnlock:
    """The chair proposes to open justerade minutes for a correction."""
    meeting = Meeting.objects.select_for_update().select_related("organ__organisation").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SIGNED:
        raise ValidationError(_("Bara justerade protokoll kan låsas upp."))
    person = person_of(actor)
    if person is None or person.pk not in chair_ids(meeting):
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
    person = person_of(actor)
    if person is None or person.pk not in member_ids(meeting):
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
    new = new_version(
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
