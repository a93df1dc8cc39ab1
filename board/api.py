"""Registry endpoints. Organisations, members and board composition are public; people with
contact details and changes to seats and roles need a token (Authorization: Bearer <key>)
and go through the same services as the pages, so a ValidationError becomes a 422 with
field reasons (config/api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.responses import Status

from board.models import (
    Appointment,
    MemberOrganisation,
    Membership,
    Organ,
    Organisation,
    Person,
    StaffRole,
)

from . import selectors, services
from .auth import token_auth
from .permissions import Action, can, may_view_any, organisation_or_404

router = Router(tags=["register"])


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    short_name: str
    paragraph_prefix: str
    org_number: str
    storage_place: str
    notice_place: str
    notice_responsible: str | None
    active_from: dt.date | None
    active_until: dt.date | None
    successor: str | None

    @staticmethod
    def resolve_notice_responsible(org: Organisation) -> str | None:
        return org.notice_responsible.full_name if org.notice_responsible else None

    @staticmethod
    def resolve_successor(org: Organisation) -> str | None:
        return org.successor.slug if org.successor else None


class OnDateFilter(FilterSchema):
    # The rows in force on a day (today without `date`): started by then and not ended before.

    date: dt.date | None = Field(None, description="Dagen (ÅÅÅÅ-MM-DD); utan: i dag.")

    @property
    def day(self) -> dt.date:
        return self.date or timezone.localdate()

    def custom_expression(self) -> Q:
        # PeriodQuerySet.active_on's condition, as a Q for FilterSchema.filter.
        day = self.day
        return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


@router.get("/organisations", response=list[OrganisationOut], auth=None)
def organisation_list(request: HttpRequest) -> QuerySet[Organisation]:
    return Organisation.objects.select_related("successor", "notice_responsible")


@router.get("/organisations/{slug}", response=OrganisationOut, auth=None)
def organisation_detail(request: HttpRequest, slug: str) -> Organisation:
    organisations = Organisation.objects.select_related("successor", "notice_responsible")
    return get_object_or_404(organisations, slug=slug)


class SeatOut(Schema):
    # One appointment on the board (selectors.board_on), read from the Appointment.

    person_id: int
    name: str
    seat: str
    role: str
    appointed_by: str | None
    substitute_for_person_id: int | None
    call_order: int | None
    start: dt.date
    end: dt.date | None

    @staticmethod
    def resolve_name(a: Appointment) -> str:
        return a.person.full_name

    @staticmethod
    def resolve_appointed_by(a: Appointment) -> str | None:
        return a.appointed_by.name if a.appointed_by else None

    @staticmethod
    def resolve_substitute_for_person_id(a: Appointment) -> int | None:
        return a.substitute_for.person_id if a.substitute_for else None


class BoardOut(Schema):
    organ_id: int
    organ: str
    date: dt.date
    seats: list[SeatOut]
    warnings: list[str]


@router.get("/organisations/{slug}/board", response=list[BoardOut], auth=None)
def board_composition(request: HttpRequest, slug: str, filters: Query[OnDateFilter]) -> list[dict[str, Any]]:
    """Board composition on a date (today by default)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    day = filters.day
    result = []
    for organ in organisation.organs.all():
        if not organ.is_board:
            continue
        appointments = list(selectors.board_on(organ, day))
        if not appointments:
            continue
        result.append({
            "organ_id": organ.pk, "organ": organ.name, "date": day, "seats": appointments,
            "warnings": selectors.composition_warnings(organ, day, appointments),
        })
    return result


# --- Member organisations (public) ---------------------------------------------------------


class MemberOrganisationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str

    @staticmethod
    def resolve_kind_label(m: MemberOrganisation) -> str:
        return str(m.get_kind_display())


class MembershipOut(Schema):
    member: MemberOrganisationOut
    start: dt.date
    end: dt.date | None


@router.get("/member-organisations", response=list[MemberOrganisationOut], auth=None)
def member_organisation_list(request: HttpRequest) -> QuerySet[MemberOrganisation]:
    """All member organisations (huvudmän) of any association."""
    return MemberOrganisation.objects.order_by("name")


@router.get("/organisations/{slug}/members", response=list[MembershipOut], auth=None)
def organisation_members(request: HttpRequest, slug: str, filters: Query[OnDateFilter]) -> QuerySet[Membership]:
    """The association's members on a date (today by default)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    return filters.filter(Membership.objects.filter(organisation=organisation).select_related("member"))


# --- People, appointments, staff roles (token) ---------------------------------------------


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str


class PersonIn(Schema):
    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""


class AppointmentOut(Schema):
    id: int
    organ_id: int
    organ: str
    person: PersonOut
    seat: str
    role: str
    appointed_by_id: int | None
    substitute_for_id: int | None
    call_order: int | None
    start: dt.date
    end: dt.date | None

    @staticmethod
    def resolve_organ(a: Appointment) -> str:
        return a.organ.name


class AppointmentIn(Schema):
    organ_id: int
    person_id: int
    seat: str
    start: dt.date
    end: dt.date | None = None
    appointed_by_id: int | None = None
    role: str = ""
    substitute_for_id: int | None = None
    call_order: int | None = None


class EndIn(Schema):
    end: dt.date


class StaffRoleOut(Schema):
    id: int
    organisation: str
    person: PersonOut
    role: str
    start: dt.date
    end: dt.date | None

    @staticmethod
    def resolve_organisation(s: StaffRole) -> str:
        return s.organisation.slug


class StaffRoleIn(Schema):
    person_id: int
    role: str
    start: dt.date
    end: dt.date | None = None


def _related(model: type[Any], pk: int | None, field: str, **filters: Any) -> Any:
    """A referenced row, or a 422 naming the field (not a 404 for the whole request)."""
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk, **filters).first()
    if found is None:
        raise ValidationError({field: "Finns inte."})
    return found


@router.get("/people/{person_id}", response=PersonOut, auth=token_auth)
def person_detail(request: HttpRequest, person_id: int) -> Person:
    """A person with contact details, for users who may view an association the person is in."""
    person = get_object_or_404(Person, pk=person_id)
    if not may_view_any(request.user, selectors.person_organisation_ids(person)):
        raise Http404
    return person


@router.post("/organisations/{slug}/people", response={201: PersonOut}, auth=token_auth)
def person_add(request: HttpRequest, slug: str, payload: PersonIn) -> Status[Any]:
    """Add a person, to be given a seat or a role in the association."""
    organisation_or_404(request.user, slug, Action.MANAGE_REGISTRY)
    person = services.person_create(**payload.dict(), actor=request.user)
    return Status(201, person)


@router.get("/organisations/{slug}/people", response=list[PersonOut], auth=token_auth)
def organisation_people(
    request: HttpRequest, slug: str, filters: Query[OnDateFilter]
) -> QuerySet[Person]:
    """Everyone with a seat or an office role on a date (today by default), with contact details."""
    organisation = organisation_or_404(request.user, slug, Action.VIEW)
    seats = filters.filter(Appointment.objects.filter(organ__organisation=organisation))
    roles = filters.filter(StaffRole.objects.filter(organisation=organisation))
    return Person.objects.filter(
        Q(pk__in=seats.values("person_id")) | Q(pk__in=roles.values("person_id"))
    ).order_by("last_name", "first_name")


@router.get("/organisations/{slug}/appointments", response=list[AppointmentOut], auth=token_auth)
def appointment_list(request: HttpRequest, slug: str) -> QuerySet[Appointment]:
    """Every appointment of the association's organs, past and present."""
    organisation = organisation_or_404(request.user, slug, Action.VIEW)
    appointments = Appointment.objects.filter(organ__organisation=organisation).select_related("organ", "person")
    return appointments.order_by("-start", "pk")


@router.post("/organisations/{slug}/appointments", response={201: AppointmentOut}, auth=token_auth)
def appointment_add(request: HttpRequest, slug: str, payload: AppointmentIn) -> Status[Any]:
    """Add a seat (same rules as the form: end after start, pairing only ersättare -> ledamot)."""
    organisation = organisation_or_404(request.user, slug, Action.MANAGE_REGISTRY)
    appointment = services.appointment_add(
        organ=_related(Organ, payload.organ_id, "organ_id", organisation=organisation),
        person=_related(Person, payload.person_id, "person_id"),
        seat=payload.seat,
        start=payload.start,
        end=payload.end,
        appointed_by=_related(MemberOrganisation, payload.appointed_by_id, "appointed_by_id"),
        role=payload.role,
        substitute_for=_related(Appointment, payload.substitute_for_id, "substitute_for_id"),
        call_order=payload.call_order,
        actor=request.user,
    )
    return Status(201, appointment)


@router.post("/appointments/{appointment_id}/end", response=AppointmentOut, auth=token_auth)
def appointment_end(request: HttpRequest, appointment_id: int, payload: EndIn) -> Appointment:
    appointment = get_object_or_404(Appointment.objects.select_related("organ"), pk=appointment_id)
    if not can(request.user, Action.MANAGE_REGISTRY, appointment.organ.organisation_id):
        raise Http404
    done = services.appointment_end(appointment=appointment, end=payload.end, actor=request.user)
    return Appointment.objects.select_related("organ", "person").get(pk=done.pk)


@router.get("/organisations/{slug}/staff-roles", response=list[StaffRoleOut], auth=token_auth)
def staff_role_list(request: HttpRequest, slug: str) -> QuerySet[StaffRole]:
    organisation = organisation_or_404(request.user, slug, Action.VIEW)
    roles = StaffRole.objects.filter(organisation=organisation).select_related("organisation", "person")
    return roles.order_by("-start", "pk")


@router.post("/organisations/{slug}/staff-roles", response={201: StaffRoleOut}, auth=token_auth)
def staff_role_add(request: HttpRequest, slug: str, payload: StaffRoleIn) -> Status[Any]:
    organisation = organisation_or_404(request.user, slug, Action.MANAGE_REGISTRY)
    staff_role = services.staff_role_add(
        organisation=organisation,
        person=_related(Person, payload.person_id, "person_id"),
        role=payload.role,
        start=payload.start,
        end=payload.end,
        actor=request.user,
    )
    return Status(201, staff_role)


@router.post("/staff-roles/{staff_role_id}/end", response=StaffRoleOut, auth=token_auth)
def staff_role_end(request: HttpRequest, staff_role_id: int, payload: EndIn) -> StaffRole:
    staff_role = get_object_or_404(StaffRole, pk=staff_role_id)
    if not can(request.user, Action.MANAGE_REGISTRY, staff_role.organisation_id):
        raise Http404
    done = services.staff_role_end(staff_role=staff_role, end=payload.end, actor=request.user)
    return StaffRole.objects.select_related("organisation", "person").get(pk=done.pk)
