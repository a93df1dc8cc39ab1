"""Queries that pages, the API and other apps share."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from board.models import Appointment, Membership, Organ, Organisation, Person, StaffRole


def family_ids(organisation: Organisation | int) -> set[int]:
    """The association and every association that merged into it (its archive)."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    found = {org_id}
    frontier = {org_id}
    while frontier:
        frontier = set(
            Organisation.objects.filter(successor_id__in=frontier).exclude(pk__in=found).values_list("pk", flat=True)
        )
        found |= frontier
    return found


def person_organisation_ids(person: Person) -> set[int]:
    """Associations a person has or had a seat or an office role in."""
    return set(person.appointments.values_list("organ__organisation_id", flat=True)) | set(
        person.staff_roles.values_list("organisation_id", flat=True)
    )


def board_on(organ: Organ | int, day: dt.date) -> QuerySet[Appointment]:
    """Who sat on the organ on a day: the one query every part of the product uses."""
    organ_id = organ if isinstance(organ, int) else organ.pk
    return (
        Appointment.objects.active_on(day)
        .filter(organ_id=organ_id)
        .select_related("person", "appointed_by", "substitute_for")
        .order_by("seat", "appointed_by__name", "call_order", "person__last_name")
    )


def staff_on(organisation: Organisation | int, day: dt.date) -> QuerySet[StaffRole]:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return (
        StaffRole.objects.active_on(day)
        .filter(organisation_id=org_id)
        .select_related("person")
        .order_by("role", "person__last_name")
    )


def members_on(organisation: Organisation | int, day: dt.date) -> QuerySet[Membership]:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return Membership.objects.active_on(day).filter(organisation_id=org_id).select_related("member")


def main_board(organisation: Organisation, day: dt.date) -> Organ | None:
    """The board (or interim board) active on the day; the board if several."""
    organs = [
        organ
        for organ in organisation.organs.all()
        if organ.is_board
        and (organ.active_from is None or organ.active_from <= day)
        and (organ.active_until is None or day <= organ.active_until)
    ]
    organs.sort(key=lambda o: (o.kind != Organ.Kind.BOARD, o.name))
    return organs[0] if organs else None


@dataclass
class BoardRow:
    """One line of the board table of seed 003: Ledamot | Ersättare | Utsedd av."""

    member: Appointment | None
    substitutes: list[Appointment] = field(default_factory=list)
    appointed_by: str = ""


def board_table(appointments: list[Appointment]) -> list[BoardRow]:
    """Pair each ledamot with their ersättare.

    An ersättare is paired through `substitute_for`; otherwise with a ledamot appointed by
    the same member organisation; an ersättare with neither gets a row of their own.
    """
    members = [a for a in appointments if a.seat == Appointment.Seat.MEMBER]
    substitutes = [a for a in appointments if a.seat == Appointment.Seat.SUBSTITUTE]
    rows = {a.pk: BoardRow(member=a, appointed_by=str(a.appointed_by or "")) for a in members}
    by_member_org: dict[int | None, list[BoardRow]] = defaultdict(list)
    for a in members:
        by_member_org[a.appointed_by_id].append(rows[a.pk])
    loose: list[BoardRow] = []
    for sub in sorted(substitutes, key=lambda s: (s.call_order or 0, s.person.last_name)):
        if sub.substitute_for_id in rows:
            rows[sub.substitute_for_id].substitutes.append(sub)
            continue
        candidates = by_member_org.get(sub.appointed_by_id)
        if candidates:
            min(candidates, key=lambda r: len(r.substitutes)).substitutes.append(sub)
        else:
            loose.append(BoardRow(member=None, substitutes=[sub], appointed_by=str(sub.appointed_by or "")))

    def order(row: BoardRow) -> tuple[int, str]:
        role = row.member.role if row.member else ""
        rank = {str(Appointment.Role.CHAIR): 0, str(Appointment.Role.VICE_CHAIR): 1}.get(role, 2)
        return (rank, row.appointed_by)

    return sorted(rows.values(), key=order) + loose


def composition_warnings(organ: Organ, day: dt.date, appointments: list[Appointment] | None = None) -> list[str]:
    """What is missing from a board's composition on a day (Finsam 10 §).

    These are warnings, not errors: appointments arrive one at a time, so a board is
    often incomplete for a while and saving must not be blocked.
    """
    if appointments is None:
        appointments = list(board_on(organ, day))
    warnings: list[str] = []
    if organ.is_board:
        counts: dict[int, dict[str, int]] = defaultdict(lambda: {"ledamot": 0, "ersattare": 0})
        for a in appointments:
            if a.appointed_by_id is not None:
                counts[a.appointed_by_id][a.seat] += 1
        for membership in members_on(organ.organisation_id, day):
            c = counts.get(membership.member_id, {"ledamot": 0, "ersattare": 0})
            if c["ledamot"] < 1:
                warnings.append(_("%(member)s har ingen ledamot.") % {"member": membership.member})
            if c["ersattare"] < max(1, c["ledamot"]):
                warnings.append(
                    _("%(member)s har %(subs)s ersättare men %(members)s ledamöter; det ska vara lika många.")
                    % {"member": membership.member, "subs": c["ersattare"], "members": c["ledamot"]}
                )
    chairs = [a for a in appointments if a.role == Appointment.Role.CHAIR]
    if len(chairs) == 0:
        warnings.append(_("Ingen ordförande är utsedd."))
    elif len(chairs) > 1:
        warnings.append(
            _("Flera ordförande samtidigt: %(names)s.")
            % {"names": ", ".join(a.person.full_name for a in chairs)}
        )
    vice = [a for a in appointments if a.role == Appointment.Role.VICE_CHAIR]
    if len(vice) > 1:
        warnings.append(
            _("Flera vice ordförande samtidigt: %(names)s.")
            % {"names": ", ".join(a.person.full_name for a in vice)}
        )
    return warnings


def totp_devices(user: Any) -> list[TOTPDevice]:
    """The user's confirmed authenticator apps: with one, signing asks for its code."""
    return list(TOTPDevice.objects.devices_for_user(user, confirmed=True))


def totp_pending(user: Any) -> TOTPDevice | None:
    """The app the user has begun to add and not yet confirmed with a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
