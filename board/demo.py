"""Demo registry from the seeds: four associations, their members, boards, office and logins.

Sources (in /work/shared/seeds):
- 003 (delårsrapport 2024): Samordningsförbundet Västmanland's board 2024, 13 rows
  Ledamot | Ersättare | Utsedd av; chair Shpetim Pirraku, vice chair Maria Kesselring.
- 000 (interimsstyrelsen 2023-08-29): the interim board of 2023 from the attendance list.
- 004 (NVSam 2023-11-02): Norra Västmanlands Samordningsförbund's board; Ann Rilegård
  secretary, Elisabet Pettersson chair, Roger Ingvarsson adjuster.
- 001 (SVM 2020-09-03): Samordningsförbundet Västra Mälardalen's board and office.
- 002 (Samordningsförbundet Västerås 2022-06-17): its board, office and auditors.

The seeds spell some names differently (OCR, typos: "Rahaf Ramado"/"Ramdo"); each person
has one canonical name here and `person_named()` also accepts the other spellings, so
other apps' demo loaders can find people by the name their seed uses.

Where the seeds are silent we choose, and say so: the seeds do not name Samordningsförbundet
Västmanland's förbundschef, ekonom or revisor for 2024, so the demo gives those roles to
people the seeds name in the same roles at the predecessor associations.

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
D = dt.date
PASSWORD = "samordna-demo"
MERGER = D(2024, 1, 1)
LAST_DAY_BEFORE_MERGER = D(2023, 12, 31)

FK = "Försäkringskassan"
AF = "Arbetsförmedlingen"
REGION = "Region Västmanland"
MUNICIPALITIES = [
    "Arboga kommun",
    "Fagersta kommun",
    "Hallstahammars kommun",
    "Kungsörs kommun",
    "Köpings kommun",
    "Norbergs kommun",
    "Sala kommun",
    "Skinnskattebergs kommun",
    "Surahammars kommun",
    "Västerås stad",
]

# Other spellings in the seeds -> the canonical name used here.
ALIASES = {
    "Lena Eldstahl": "Lena Eldståhl",
    "Rahaf Ramdo": "Rahaf Ramado",
    "Linda Söder-Jonsson": "Linda Söder Jonsson",
    "Staffan Egerberg": "Staffan Egeberg",
    "Jennie Fernroos": "Jennie Fernros",
    "Sirpa Jarvenpéd": "Sirpa Järvenpää",
    "Elisabeth Fonelius": "Elisabeth Fornelius",
}

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "slug": "vastmanland",
        "name": "Samordningsförbundet Västmanland",
        "short_name": "SF Västmanland",
        "paragraph_prefix": "",
        "storage_place": "Stöd och styrning, Fagersta kommun",
        "notice_place": "Förbundets webbplats",
        "active_from": MERGER,
        "active_until": None,
        "successor": None,
        "members": [FK, AF, REGION, *MUNICIPALITIES],
        "members_from": MERGER,
    },
    {
        "slug": "norra-vastmanland",
        "name": "Norra Västmanlands Samordningsförbund",
        "short_name": "NVSam",
        "paragraph_prefix": "NVSam",
        "storage_place": "Stöd och styrning, Fagersta kommun",
        "notice_place": "Förbundets webbplats",
        "active_from": None,
        "active_until": LAST_DAY_BEFORE_MERGER,
        "successor": "vastmanland",
        "members": [
            FK, AF, REGION, "Fagersta kommun", "Hallstahammars kommun", "Norbergs kommun",
            "Sala kommun", "Skinnskattebergs kommun", "Surahammars kommun",
        ],
        "members_from": D(2010, 1, 1),
    },
    {
        "slug": "vastra-malardalen",
        "name": "Samordningsförbundet Västra Mälardalen",
        "short_name": "SVM",
        "paragraph_prefix": "SVM",
        "storage_place": "Social- och arbetsmarknadsförvaltningen, Nibblesbackevägen 17, Köping",
        "notice_place": "Förbundets webbplats",
        "active_from": D(2010, 1, 1),
        "active_until": LAST_DAY_BEFORE_MERGER,
        "successor": "vastmanland",
        "members": [FK, AF, REGION, "Arboga kommun", "Köpings kommun", "Kungsörs kommun"],
        "members_from": D(2010, 1, 1),
    },
    {
        "slug": "vasteras",
        "name": "Samordningsförbundet Västerås",
        "short_name": "SF Västerås",
        "paragraph_prefix": "",
        "storage_place": "Samordningsförbundet Västerås kansli",
        "notice_place": "Förbundets webbplats",
        "active_from": None,
        "active_until": LAST_DAY_BEFORE_MERGER,
        "successor": "vastmanland",
        "members": [FK, AF, REGION, "Västerås stad"],
        "members_from": D(2010, 1, 1),
    },
]

# (organisation slug, organ name, kind, active from, active until)
ORGANS = [
    ("vastmanland", "Styrelsen", Organ.Kind.BOARD, MERGER, None),
    ("vastmanland", "Interimsstyrelsen", Organ.Kind.INTERIM_BOARD, D(2023, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("norra-vastmanland", "Styrelsen", Organ.Kind.BOARD, None, LAST_DAY_BEFORE_MERGER),
    ("vastra-malardalen", "Styrelsen", Organ.Kind.BOARD, None, LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Styrelsen", Organ.Kind.BOARD, None, LAST_DAY_BEFORE_MERGER),
]

CHAIR = Appointment.Role.CHAIR
VICE = Appointment.Role.VICE_CHAIR

# Seed 003: (ledamot, role, ersättare, utsedd av). The board from the merger, open-ended.
BOARD_2024 = [
    ("Shpetim Pirraku", CHAIR, "Staffan Egeberg", "Köpings kommun"),
    ("Maria Kesselring", VICE, "Anna Maria Romlid", "Västerås stad"),
    ("Anela Sakambet", "", "Oskar Söderberg", AF),
    ("Rahaf Ramado", "", "Martina Fransson", "Arboga kommun"),
    ("Lena Eldståhl", "", "Kristina Hellman", "Fagersta kommun"),
    ("Åsa Brodd", "", "Lena Kruse", FK),
    ("Jenny Hödefors", "", "Rolf Korsbäck", "Hallstahammars kommun"),
    ("Linda Söder Jonsson", "", "Marita Pettersson", "Kungsörs kommun"),
    ("Marianne Ångström", "", "Karin Hurtig", "Norbergs kommun"),
    ("Mikael Söderlund", "", "Ulrika Spårebo", REGION),
    ("Ingela Kilholm Lindström", "", "Eva Bergling", "Sala kommun"),
    ("Roger Ingvarsson", "", "Elisabeth Åberg", "Skinnskattebergs kommun"),
    ("Inge Larsson", "", "Leif Carlberg", "Surahammars kommun"),
]

# Seed 000 attendance: the interim board of 2023. Seats the list names; the rest unknown.
INTERIM_2023_MEMBERS = [
    ("Shpetim Pirraku", CHAIR, "Köpings kommun"),
    ("Maria Kesselring", VICE, "Västerås stad"),
    ("Lena Eldståhl", "", "Fagersta kommun"),
    ("Mikael Söderlund", "", REGION),
    ("Åsa Brodd", "", FK),
    ("Anela Sakambet", "", AF),
    ("Jenny Hödefors", "", "Hallstahammars kommun"),
    ("Inge Larsson", "", "Surahammars kommun"),
    ("Linda Söder Jonsson", "", "Kungsörs kommun"),
    ("Rahaf Ramado", "", "Arboga kommun"),
]
INTERIM_2023_SUBSTITUTES = [
    ("Marita Pettersson", "Kungsörs kommun"),
    ("Oskar Söderberg", AF),
    ("Rolf Korsbäck", "Hallstahammars kommun"),
    ("Ulrika Spårebo", REGION),
    ("Staffan Egeberg", "Köpings kommun"),
    ("Kristina Hellman", "Fagersta kommun"),
]

# Seed 004: Norra Västmanland 2023 (beslutande and the ersättare present).
NVSAM_2023_MEMBERS = [
    ("Elisabet Pettersson", CHAIR, "Sala kommun"),
    ("Karin Hurtig", "", "Norbergs kommun"),
    ("Åsa Brodd", "", FK),
    ("Rolf Korsgren", "", "Hallstahammars kommun"),
    ("Roger Ingvarsson", "", "Skinnskattebergs kommun"),
    ("Inge Larsson", "", "Surahammars kommun"),
    ("Kristina Hellman", "", "Fagersta kommun"),
]
NVSAM_2023_SUBSTITUTES = [("Eva Bergling", "Sala kommun")]

# Seed 001: Västra Mälardalen, term 2019–2022. Carl-Inge Westberg chaired the meeting as
# an ersättare; the seed does not name the elected chair, so the board page warns.
SVM_MEMBERS = [
    ("Marie-Louise Söderström", "", "Arboga kommun"),
    ("Richard Fallqvist", "", REGION),
    ("Ove Båhlström", "", FK),
    ("Britt-Mari Enholm Gahnström", "", AF),
]
SVM_SUBSTITUTES = [
    ("Carl-Inge Westberg", "Köpings kommun"),
    ("Yvonne Ericsson", "Kungsörs kommun"),
    ("Joakim Rönnberg", REGION),
    ("Roger Lindberg", AF),
]

# Seed 002: Västerås, 2022.
VASTERAS_MEMBERS = [
    ("Ann-Louise Molin Östling", CHAIR, "Västerås stad"),
    ("Dennis Nilsson", VICE, REGION),
    ("Anela Sakambet", "", AF),
    ("Anna Fallgren", "", FK),
]
VASTERAS_SUBSTITUTES = [
    ("Carin Lidman", "Västerås stad"),
    ("Maria Vallgren Eriksson", REGION),
    ("Darin Isaksson", FK),
]

S = StaffRole.Role
# (organisation, person, role, start, end)
STAFF = [
    # Seed 004: Ann Rilegård, sekreterare and responsible for notices at NVSam.
    ("norra-vastmanland", "Ann Rilegård", S.SECRETARY, D(2023, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vastmanland", "Ann Rilegård", S.SECRETARY, MERGER, None),
    # Seed 000: Mikael Thesslund, Fagersta kommun, took the interim board's minutes.
    ("vastmanland", "Mikael Thesslund", S.SECRETARY, D(2023, 1, 1), LAST_DAY_BEFORE_MERGER),
    # Seeds 001/002: the predecessors' offices.
    ("vastra-malardalen", "Linda Anderfjäll", S.DIRECTOR, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vastra-malardalen", "Emma Bertheussen", S.SECRETARY, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vastra-malardalen", "Sirpa Järvenpää", S.ACCOUNTANT, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Catarina Örtengren", S.DIRECTOR, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Anna Lena Bäckvall Hallin", S.SECRETARY, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Sirpa Järvenpää", S.ACCOUNTANT, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Barbro Hillring", S.AUDITOR, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Hans Stergel", S.AUDITOR, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    ("vasteras", "Cecilia Qvist", S.AUDITOR, D(2019, 1, 1), LAST_DAY_BEFORE_MERGER),
    # Demo choice (the seeds do not name them for 2024): people the seeds name in the
    # same roles at the predecessors carry on in Samordningsförbundet Västmanland.
    ("vastmanland", "Catarina Örtengren", S.DIRECTOR, MERGER, None),
    ("vastmanland", "Sirpa Järvenpää", S.ACCOUNTANT, MERGER, None),
    ("vastmanland", "Barbro Hillring", S.AUDITOR, MERGER, None),
]

# Demo login -> the seed person it belongs to (None: no person).
USERS: list[tuple[str, str | None, bool]] = [
    ("admin", None, True),
    ("sekreterare", "Ann Rilegård", False),
    ("ordforande", "Elisabet Pettersson", False),  # chair, seed 004
    ("justerare", "Roger Ingvarsson", False),  # adjuster, seed 004; ledamot in seed 003
    ("ledamot", "Mikael Söderlund", False),  # ledamot, seed 003
    ("forbundschef", "Catarina Örtengren", False),
    ("ekonom", "Sirpa Järvenpää", False),
    ("revisor", "Barbro Hillring", False),
]


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
        INTERIM_2023_SUBSTITUTES, D(2023, 1, 1), LAST_DAY_BEFORE_MERGER,
    )
    _load_board(
        organs[("norra-vastmanland", "Styrelsen")], members, NVSAM_2023_MEMBERS,
        NVSAM_2023_SUBSTITUTES, D(2023, 1, 1), LAST_DAY_BEFORE_MERGER,
    )
    _load_board(
        organs[("vastra-malardalen", "Styrelsen")], members, SVM_MEMBERS, SVM_SUBSTITUTES,
        D(2019, 1, 1), D(2022, 12, 31),
    )
    _load_board(
        organs[("vasteras", "Styrelsen")], members, VASTERAS_MEMBERS, VASTERAS_SUBSTITUTES,
        D(2019, 1, 1), D(2022, 12, 31),
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


def print_logins(stdout: TextIO | OutputWrapper) -> None:
    """Called by load_demo after every app has loaded, so the logins are the last lines."""
    stdout.write(f"Demoinloggningar (lösenord för alla: {PASSWORD}):\n")
    for username, person_name, _superuser in USERS:
        stdout.write(f"  {username:<13} {person_name or 'webbplatsadministratör'}\n")
