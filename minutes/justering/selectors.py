"""Reads of the justering for its pages and the wings above: the versions, who signs as what,
whether a user is a signer, the meeting as a signer may see it.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from board.audit import acting_user
from board.models import Person

from ..drafting.selectors import meeting_for
from ..models import Attendance, Meeting, MinutesVersion, Signature


def current_version(meeting: Meeting) -> MinutesVersion | None:
    return MinutesVersion.objects.filter(meeting=meeting, status=MinutesVersion.Status.CURRENT).first()


def justered_version(meeting: Meeting) -> MinutesVersion | None:
    return MinutesVersion.objects.filter(meeting=meeting, status=MinutesVersion.Status.SIGNED).first()


def signers_of(version: MinutesVersion) -> list[dict[str, Any]]:
    """Who signs this version, as its snapshot names them: person_id, name and role."""
    return list(version.snapshot.get("signers", []))


def person_of(user: Any) -> Person | None:
    """The person the user is; None for nobody (anonymous, the system) or a user without one."""
    if acting_user(user) is None:
        return None
    return Person.objects.filter(user=user).first()


def signer_role(version: MinutesVersion, user: Any) -> str | None:
    """The role the user signs this version in, or None if they are not a signer."""
    person = person_of(user)
    if person is None:
        return None
    return next((s["role"] for s in signers_of(version) if s["person_id"] == person.pk), None)


def is_signer_of(user: Any, meeting: Meeting) -> bool:
    """Whether the user signs (or signed) these minutes: the meeting's chair, secretary or a
    justerare, or a signer of one of its versions. They may read and sign the minutes even
    when their seat has ended since (the demo's 2023 chair, a chair who left the board)."""
    person = person_of(user)
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
        for s in signers_of(version):
            if s["role"] == Signature.Role.SECRETARY:
                return Person.objects.filter(pk=s["person_id"]).first()
    row = meeting.attendances.filter(function=Attendance.Function.SECRETARY).select_related("person").first()
    return row.person if row else None

