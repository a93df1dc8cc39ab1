"""Loads the demo registry (board.demo.data): four associations, their members, boards, office
and logins.

The seeds spell some names differently (OCR, typos: "Rahaf Ramado"/"Ramdo"); each person
has one canonical name and `person_named()` also accepts the other spellings, so other apps'
demo loaders can find people by the name their seed uses; they also use `upsert`.

Idempotent: every row is found by its natural key and saved only when it differs (`upsert`),
so a second run changes nothing, not even the history tables.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any, TextIO, TypeVar

from django.contrib.auth import get_user_model
from django.core.management.base import OutputWrapper
from django.db import models

from board.demo.data import (
    AF,
    ALIASES,
    BOARD_2024,
    DEMO_IDENTITY_NUMBERS,
    FK,
    INTERIM_2023_MEMBERS,
    INTERIM_2023_SUBSTITUTES,
    LAST_DAY_BEFORE_MERGER,
    MERGER,
    MUNICIPALITIES,
    NVSAM_2023_MEMBERS,
    NVSAM_2023_SUBSTITUTES,
    ORGANISATIONS,
    ORGANS,
    PASSWORD,
    REGION,
    STAFF,
    SVM_MEMBERS,
    SVM_SUBSTITUTES,
    USERS,
    VASTERAS_MEMBERS,
    VASTERAS_SUBSTITUTES,
)
from board.identity import Level
from board.models import (
    Appointment,
    MemberOrganisation,
    Membership,
    Organ,
    Organisation,
    Person,
    StaffRole,
)

M = TypeVar("M", bound=models.Model)


def upsert(model: type[M], defaults: dict[str, Any] | None = None, **lookup: Any) -> M:
    """update_or_create that saves only when something differs.

    A save that changes nothing would still add a history row; a second run of load_demo
    must leave every table, history included, as it was.
    """
    defaults = defaults or {}
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        return model._default_manager.create(**lookup, **defaults)
    changed = []
    for name, value in defaults.items():
        field = model._meta.get_field(name)
        if field.is_relation:
            differs = getattr(instance, getattr(field, "attname", name)) != (value.pk if value is not None else None)
        else:
            differs = getattr(instance, name) != value
        if differs:
            setattr(instance, name, value)
            changed.append(name)
    if changed:
        instance.save()
    return instance


def canonical(name: str) -> str:
    return ALIASES.get(name, name)


def _split(name: str) -> tuple[str, str]:
    first, _, last = canonical(name).partition(" ")
    return first, last


def person_named(name: str) -> Person:
    """The demo person by any spelling the seeds use ("Rahaf Ramdo" or "Rahaf Ramado")."""
    first, last = _split(name)
    return Person.objects.get(first_name=first, last_name=last)


def _person(name: str) -> Person:
    first, last = _split(name)
    # ASCII only: Django's EmailValidator refuses "åsa.brodd@…", and the admin would too.
    local = unicodedata.normalize("NFKD", f"{first}.{last}".lower().replace(" ", "-"))
    local = local.encode("ascii", "ignore").decode()
    return upsert(Person, {"email": f"{local}@example.se"}, first_name=first, last_name=last)


def _seat(
    organ: Organ,
    name: str,
    seat: str,
    member: MemberOrganisation,
    start: dt.date,
    end: dt.date | None,
    *,
    role: str = "",
    substitute_for: Appointment | None = None,
    call_order: int | None = None,
) -> Appointment:
    return upsert(
        Appointment,
        organ=organ,
        person=_person(name),
        seat=seat,
        start=start,
        defaults={
            "appointed_by": member,
            "end": end,
            "role": role,
            "substitute_for": substitute_for,
            "call_order": call_order,
        },
    )


def _load_board(
    organ: Organ,
    members: dict[str, MemberOrganisation],
    rows: list[tuple[str, str, str]],
    substitutes: list[tuple[str, str]],
    start: dt.date,
    end: dt.date | None,
) -> None:
    by_member: dict[str, Appointment] = {}
    for name, role, member in rows:
        by_member[member] = _seat(organ, name, Appointment.Seat.MEMBER, members[member], start, end, role=role)
    for name, member in substitutes:
        _seat(
            organ, name, Appointment.Seat.SUBSTITUTE, members[member], start, end,
            substitute_for=by_member.get(member), call_order=1,
        )


def load(*, stdout: TextIO) -> None:
    members = {
        name: upsert(MemberOrganisation, {"kind": kind}, name=name)
        for name, kind in [
            (FK, MemberOrganisation.Kind.FK),
            (AF, MemberOrganisation.Kind.AF),
            (REGION, MemberOrganisation.Kind.REGION),
            *[(m, MemberOrganisation.Kind.MUNICIPALITY) for m in MUNICIPALITIES],
        ]
    }

    orgs: dict[str, Organisation] = {}
    # The successor first, so the predecessors can point at it.
    for spec in ORGANISATIONS:
        org = upsert(
            Organisation,
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "short_name": spec["short_name"],
                "paragraph_prefix": spec["paragraph_prefix"],
                "storage_place": spec["storage_place"],
                "notice_place": spec["notice_place"],
                "active_from": spec["active_from"],
                "active_until": spec["active_until"],
                "successor": orgs[spec["successor"]] if spec["successor"] else None,
                # The demo accepts every method, the simple one too, so each can be tried; a
                # new association starts at advanced (Organisation.signing_min_level).
                "signing_min_level": Level.SIMPLE,
                # The demo is a record of years past, shown whole on the public pages; a new
                # association keeps minutes 48 months and taken-down notices 3 months on the web.
                "minutes_retention_months": 600,
                "notice_retention_months": 600,
            },
        )
        orgs[spec["slug"]] = org
        for member_name in spec["members"]:
            upsert(
                Membership,
                organisation=org,
                member=members[member_name],
                start=spec["members_from"],
                defaults={"end": spec["active_until"]},
            )

    organs: dict[tuple[str, str], Organ] = {}
    for slug, name, kind, start, end in ORGANS:
        organs[(slug, name)] = upsert(
            Organ,
            organisation=orgs[slug],
            name=name,
            defaults={"kind": kind, "active_from": start, "active_until": end},
        )

    # Västmanland 2024: each ersättare is paired with the ledamot on the same row.
    board = organs[("vastmanland", "Styrelsen")]
    for name, role, substitute, member in BOARD_2024:
        seat = _seat(board, name, Appointment.Seat.MEMBER, members[member], MERGER, None, role=role)
        _seat(
            board, substitute, Appointment.Seat.SUBSTITUTE, members[member], MERGER, None,
            substitute_for=seat, call_order=1,
        )
    _load_board(
        organs[("vastmanland", "Interimsstyrelsen")], members, INTERIM_2023_MEMBERS,
        INTERIM_2023_SUBSTITUTES, dt.date(2023, 1, 1), LAST_DAY_BEFORE_MERGER,
    )
    _load_board(
        organs[("norra-vastmanland", "Styrelsen")], members, NVSAM_2023_MEMBERS,
        NVSAM_2023_SUBSTITUTES, dt.date(2023, 1, 1), LAST_DAY_BEFORE_MERGER,
    )
    _load_board(
        organs[("vastra-malardalen", "Styrelsen")], members, SVM_MEMBERS, SVM_SUBSTITUTES,
        dt.date(2019, 1, 1), dt.date(2022, 12, 31),
    )
    _load_board(
        organs[("vasteras", "Styrelsen")], members, VASTERAS_MEMBERS, VASTERAS_SUBSTITUTES,
        dt.date(2019, 1, 1), dt.date(2022, 12, 31),
    )

    for slug, name, role, start, end in STAFF:
        upsert(
            StaffRole,
            organisation=orgs[slug], person=_person(name), role=role, start=start,
            defaults={"end": end},
        )
    # Seed 000: the interim board's minutes were taken by Mikael Thesslund, but its ANSLAG/BEVIS
    # names Ann Rilegård as "Ansvarig för anslag": the association names her for its notices.
    upsert(Organisation, {"notice_responsible": _person("Ann Rilegård")}, slug="vastmanland")

    _load_users()


def _load_users() -> None:
    User = get_user_model()
    for username, person_name, superuser in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@example.se", "is_staff": superuser, "is_superuser": superuser},
        )
        # The password is set once: re-hashing on every run would change the row (new salt).
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        if person_name is not None:
            person = _person(person_name)
            if person.user_id != user.pk:
                Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
                person.user = user
                person.save(update_fields=["user"])
            number = DEMO_IDENTITY_NUMBERS.get(person_name, "")
            if number and person.personal_identity_number != number:
                person.personal_identity_number = number
                person.save(update_fields=["personal_identity_number"])


def print_logins(stdout: TextIO | OutputWrapper) -> None:
    """Called by load_demo after every app has loaded, so the logins are the last lines."""
    stdout.write(f"Demoinloggningar (lösenord för alla: {PASSWORD}):\n")
    for username, person_name, _superuser in USERS:
        stdout.write(f"  {username:<13} {person_name or 'webbplatsadministratör'}\n")
