"""Attendance (närvaro) and the meeting's justerare.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from board.audit import save_with_actor
from board.models import Appointment, Person, StaffRole
from board.selectors import board_on, staff_on

from ...models import (
    Attendance,
    Meeting,
    MinutesAdjuster,
    Paragraph,
)
from .editing import delete_row, require_editable, send_edited

# The chair, then the vice chair, then the others (in the order of the call list).
_CHAIR_FIRST: dict[str, int] = {Appointment.Role.CHAIR: 0, Appointment.Role.VICE_CHAIR: 1}


@transaction.atomic
def attendance_prefill(*, meeting: Meeting, actor: Any) -> list[Attendance]:
    """Fill attendance from the board on the meeting date; people already listed are kept.

    Ledamöter start as beslutande and ersättare as närvarande ersättare; the chair's and
    vice chair's roles come from their seats. The secretary from the office is added as an
    övrig deltagare. The secretary then corrects who was absent or served.
    """
    meeting = Meeting.objects.select_for_update().select_related("organ").get(pk=meeting.pk)
    require_editable(meeting)
    existing = set(meeting.attendances.values_list("person_id", flat=True))
    has_chair = meeting.attendances.filter(function=Attendance.Function.CHAIR).exists()
    position = (meeting.attendances.aggregate(m=Max("position"))["m"] or 0)
    created: list[Attendance] = []
    appointments = sorted(
        board_on(meeting.organ, meeting.date),
        key=lambda a: (
            a.seat != Appointment.Seat.MEMBER,
            _CHAIR_FIRST.get(a.role, 2),
            a.call_order or 0,
        ),
    )
    for appointment in appointments:
        if appointment.person_id in existing:
            continue
        existing.add(appointment.person_id)
        position += 1
        function = ""
        if appointment.role == Appointment.Role.CHAIR and not has_chair:
            function = Attendance.Function.CHAIR
            has_chair = True
        elif appointment.role == Appointment.Role.VICE_CHAIR:
            function = Attendance.Function.VICE_CHAIR
        row = Attendance(
            meeting=meeting, person=appointment.person, appointment=appointment,
            role=Attendance.Role.MEMBER if appointment.seat == Appointment.Seat.MEMBER
            else Attendance.Role.SUBSTITUTE,
            function=function,
            affiliation=str(appointment.appointed_by or ""), position=position,
        )
        save_with_actor(row, actor)
        created.append(row)
    for staff in staff_on(meeting.organ.organisation_id, meeting.date):
        if staff.person_id in existing or staff.role not in {
            StaffRole.Role.SECRETARY, StaffRole.Role.DIRECTOR
        }:
            continue
        existing.add(staff.person_id)
        position += 1
        row = Attendance(
            meeting=meeting, person=staff.person, role=Attendance.Role.OTHER,
            function=Attendance.Function.SECRETARY if staff.role == StaffRole.Role.SECRETARY else "",
            role_text=staff.get_role_display().lower(), position=position,
        )
        save_with_actor(row, actor)
        created.append(row)
    send_edited(meeting, actor, "attendance.prefilled")
    return created


ATTENDANCE_FIELDS = (
    "role", "function", "replacing", "role_text", "affiliation", "party", "is_remote",
    "present_from", "present_until", "from_paragraph", "until_paragraph",
)


@transaction.atomic
def attendance_set(*, meeting: Meeting, person: Person, actor: Any, **values: Any) -> Attendance:
    """Add or change one person's attendance."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_editable(meeting)
    unknown = set(values) - set(ATTENDANCE_FIELDS)
    if unknown:
        raise ValidationError(_("Okända fält: %(f)s") % {"f": ", ".join(sorted(unknown))})
    row = Attendance.objects.filter(meeting=meeting, person=person).first()
    if row is None:
        last = meeting.attendances.aggregate(m=Max("position"))["m"] or 0
        row = Attendance(meeting=meeting, person=person, position=last + 1)
        if "role" not in values:
            raise ValidationError({"role": _("Ange närvaro.")})
    for name, value in values.items():
        setattr(row, name, value if value is not None or name not in {"role_text", "affiliation", "party", "function"} else "")
    errors: dict[str, str] = {}
    if row.role != Attendance.Role.SERVING_SUBSTITUTE:
        row.replacing = None
    if row.replacing_id is not None:
        if row.replacing_id == person.pk:
            errors["replacing"] = _("En person kan inte ersätta sig själv.")
        else:
            replaced = Attendance.objects.filter(meeting=meeting, person_id=row.replacing_id).first()
            if replaced is not None and replaced.role == Attendance.Role.MEMBER and not replaced.is_partial:
                errors["replacing"] = _("%(p)s är själv beslutande hela mötet.") % {"p": replaced.person}
    if row.role == Attendance.Role.ABSENT:
        row.function = ""
        row.present_from = row.present_until = None
        row.from_paragraph = row.until_paragraph = None
        row.is_remote = False
    for name in ("from_paragraph", "until_paragraph"):
        para = getattr(row, name)
        if para is not None and para.meeting_id != meeting.pk:
            errors[name] = _("Paragrafen hör till ett annat möte.")
    if (
        row.from_paragraph is not None
        and row.until_paragraph is not None
        and row.until_paragraph.position < row.from_paragraph.position
    ):
        errors["until_paragraph"] = _("T o m-paragrafen kommer före fr o m-paragrafen.")
    if row.role == Attendance.Role.OTHER and not row.role_text and not row.affiliation:
        errors["role_text"] = _("Ange roll eller vem personen företräder.")
    if row.function == Attendance.Function.CHAIR and row.role not in Attendance.VOTING_ROLES:
        errors["function"] = _("Ordföranden måste vara beslutande.")
    if row.function == Attendance.Function.CHAIR and Attendance.objects.filter(
        meeting=meeting, function=Attendance.Function.CHAIR
    ).exclude(pk=row.pk).exists():
        errors["function"] = _("Mötet har redan en ordförande.")
    if errors:
        raise ValidationError(errors)
    save_with_actor(row, actor)
    send_edited(meeting, actor, "attendance.set")
    return row


@transaction.atomic
def attendance_remove(*, attendance: Attendance, actor: Any) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=attendance.meeting_id)
    require_editable(meeting)
    delete_row(attendance, actor)
    send_edited(meeting, actor, "attendance.removed")


@transaction.atomic
def adjusters_set(
    *, meeting: Meeting, persons: Sequence[Person], actor: Any, chosen_in: Paragraph | None = None
) -> list[MinutesAdjuster]:
    """The justerare chosen in "val av justerare"; they sign the minutes with the chair."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_editable(meeting)
    if chosen_in is None:
        chosen_in = meeting.paragraphs.filter(kind=Paragraph.Kind.ADJUSTERS).first()
    if chosen_in is not None and chosen_in.meeting_id != meeting.pk:
        raise ValidationError({"chosen_in": _("Paragrafen hör till ett annat möte.")})
    present = dict(
        meeting.attendances.exclude(role=Attendance.Role.ABSENT).values_list("person_id", "function")
    )
    unique: list[Person] = []
    for person in persons:
        if person.pk not in present:
            raise ValidationError({"persons": _("%(p)s var inte med på mötet.") % {"p": person}})
        if present[person.pk] == Attendance.Function.CHAIR:
            raise ValidationError({"persons": _("Ordföranden justerar redan; välj någon annan.")})
        if person.pk not in {p.pk for p in unique}:
            unique.append(person)
    for old in meeting.adjusters.all():
        delete_row(old, actor)
    result = []
    for i, person in enumerate(unique, start=1):
        adjuster = MinutesAdjuster(meeting=meeting, person=person, position=i, chosen_in=chosen_in)
        save_with_actor(adjuster, actor)
        result.append(adjuster)
    send_edited(meeting, actor, "adjusters.set")
    return result
