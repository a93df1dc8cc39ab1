"""What a user may do follows from their current appointments and staff roles.

A user has a set of roles per association on a day: from board seats (ledamot, ersättare,
ordförande) and from staff roles (sekreterare, förbundschef, ekonom, revisor,
utvecklingsledare, arkivarie). An association that merged into another keeps its archive there: the
roles a user holds in the successor apply to the predecessors too (the secretary of
Samordningsförbundet Västmanland keeps the minutes of the three associations it replaced). Actions map to the roles that may take them. A site admin
(is_superuser) may do everything. Justerare is not an association role: it is chosen per
meeting in "val av justerare", and the minutes app checks it there.

Views and the API ask `can(user, Action.X, organisation)`; a lookup that fails answers 404 so
that a user of one association cannot even learn what another association keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils import timezone

from board.models import Appointment, Organisation, StaffRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser  # annotations only


class Role(StrEnum):
    SECRETARY = "sekreterare"
    CHAIR = "ordforande"
    MEMBER = "ledamot"  # ledamot or ersättare on one of the association's organs
    DIRECTOR = "forbundschef"
    ACCOUNTANT = "ekonom"
    DEVELOPER = "utvecklingsledare"
    AUDITOR = "revisor"
    ARCHIVIST = "arkivarie"


class Action(StrEnum):
    VIEW = "view"  # anything non-public of the association
    MANAGE_REGISTRY = "registry.change"  # appointments, people, staff roles
    EDIT_MINUTES = "minutes.change"  # meetings, agenda, attendance, paragraphs, notices
    EDIT_FINANCE = "finance.change"  # outcomes, forecasts, budgets
    EDIT_INTERVENTIONS = "interventions.change"  # interventions, requests, follow-up
    DELIVER_ARCHIVE = "archive.deliver"  # build and download the yearly E-ARK / FGS package
    EDIT_DELEGATION = "delegation.change"  # the delegation order (who may decide what)


ALL_ROLES = frozenset(Role)
ALLOWED: dict[Action, frozenset[Role]] = {
    Action.VIEW: ALL_ROLES,
    Action.MANAGE_REGISTRY: frozenset({Role.SECRETARY}),
    Action.EDIT_MINUTES: frozenset({Role.SECRETARY}),
    Action.EDIT_FINANCE: frozenset({Role.DIRECTOR, Role.ACCOUNTANT}),
    Action.EDIT_INTERVENTIONS: frozenset({Role.DIRECTOR, Role.SECRETARY, Role.DEVELOPER}),
    Action.DELIVER_ARCHIVE: frozenset({Role.SECRETARY, Role.ARCHIVIST}),
    Action.EDIT_DELEGATION: frozenset({Role.SECRETARY, Role.DIRECTOR}),
}

_STAFF_TO_ROLE = {
    StaffRole.Role.SECRETARY: Role.SECRETARY,
    StaffRole.Role.DIRECTOR: Role.DIRECTOR,
    StaffRole.Role.ACCOUNTANT: Role.ACCOUNTANT,
    StaffRole.Role.DEVELOPER: Role.DEVELOPER,
    StaffRole.Role.AUDITOR: Role.AUDITOR,
    StaffRole.Role.ARCHIVIST: Role.ARCHIVIST,
}


def _person_id(user: AbstractBaseUser | AnonymousUser | None) -> int | None:
    if user is None or not user.is_authenticated:
        return None
    person = getattr(user, "person", None)
    return person.pk if person is not None else None


def roles_by_organisation(
    user: AbstractBaseUser | AnonymousUser | None, on: dt.date | None = None
) -> dict[int, frozenset[Role]]:
    """{organisation id: roles} for the user on a day; three queries, cached on the user."""
    person_id = _person_id(user)
    if person_id is None:
        return {}
    day = on or timezone.localdate()
    cache: dict[dt.date, dict[int, frozenset[Role]]] = user.__dict__.setdefault(
        "_samordna_roles", {}
    )
    if day in cache:
        return cache[day]
    found: dict[int, set[Role]] = {}
    for org_id, role in (
        Appointment.objects.active_on(day)
        .filter(person_id=person_id)
        .values_list("organ__organisation_id", "role")
    ):
        found.setdefault(org_id, set()).add(Role.MEMBER)
        if role == Appointment.Role.CHAIR:
            found[org_id].add(Role.CHAIR)
    for org_id, staff_role in (
        StaffRole.objects.active_on(day)
        .filter(person_id=person_id)
        .values_list("organisation_id", "role")
    ):
        found.setdefault(org_id, set()).add(_STAFF_TO_ROLE[StaffRole.Role(staff_role)])
    # Roles in a successor reach back to its predecessors, through any number of mergers.
    successor_of = dict(
        Organisation.objects.filter(successor__isnull=False).values_list("pk", "successor_id")
    )
    for org_id in successor_of:
        inherited: set[Role] = set()
        seen = {org_id}
        current = successor_of.get(org_id)
        while current is not None and current not in seen:
            inherited |= found.get(current, set())
            seen.add(current)
            current = successor_of.get(current)
        if inherited:
            found.setdefault(org_id, set()).update(inherited)
    result = {org_id: frozenset(roles) for org_id, roles in found.items()}
    cache[day] = result
    return result


def roles_for(
    user: AbstractBaseUser | AnonymousUser | None,
    organisation: Organisation | int,
    on: dt.date | None = None,
) -> frozenset[Role]:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return roles_by_organisation(user, on).get(org_id, frozenset())


def is_site_admin(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and getattr(user, "is_superuser", False))


def can(
    user: AbstractBaseUser | AnonymousUser | None,
    action: Action,
    organisation: Organisation | int,
    on: dt.date | None = None,
) -> bool:
    if is_site_admin(user):
        return True
    return bool(roles_for(user, organisation, on) & ALLOWED[action])


def organisation_or_404(
    user: AbstractBaseUser | AnonymousUser | None, slug: str, action: Action = Action.VIEW
) -> Organisation:
    """The association by slug if the user may take the action there; 404 otherwise.

    404 rather than 403: an outsider cannot tell another association's secret from nothing.
    """
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not can(user, action, organisation):
        raise Http404
    return organisation


def organisation_ids_for(
    user: AbstractBaseUser | AnonymousUser | None,
    action: Action = Action.VIEW,
    on: dt.date | None = None,
) -> Iterable[int] | None:
    """Ids of associations where the user may take the action; None means all (site admin)."""
    if is_site_admin(user):
        return None
    return [
        org_id
        for org_id, roles in roles_by_organisation(user, on).items()
        if roles & ALLOWED[action]
    ]


def may_view_any(user: AbstractBaseUser | AnonymousUser | None, organisation_ids: Iterable[int]) -> bool:
    """Whether the user may VIEW at least one of these associations (a site admin may all)."""
    allowed = organisation_ids_for(user, Action.VIEW)
    return allowed is None or not set(allowed).isdisjoint(organisation_ids)
