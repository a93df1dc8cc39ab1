"""Registry endpoints. Organisations, members and board composition are public; people with
contact details and changes to seats and roles need a token (Authorization: Bearer <key>)
and go through the same services as the pages, so a ValidationError becomes a 422 with
field reasons (config/api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from board.models import Appointment, MemberOrganisation, Organ, Organisation, Person, StaffRole

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


def _organisation_out(org: Organisation) -> OrganisationOut:
    return OrganisationOut(
        id=org.pk,
        slug=org.slug,
        name=org.name,
        short_name=org.short_name,
        paragraph_prefix=org.paragraph_prefix,
        org_number=org.org_number,
        storage_place=org.storage_place,
        notice_place=org.notice_place,
        notice_responsible=org.notice_responsible.full_name if org.notice_responsible else None,
        active_from=org.active_from,
        active_until=org.active_until,
        successor=org.successor.slug if org.successor else None,
    )


@router.get("/organisations", response=list[OrganisationOut], auth=None)
def organisation_list(request: HttpRequest) -> list[OrganisationOut]:
    organisations = Organisation.objects.select_related("successor", "notice_responsible")
    return [_organisation_out(o) for o in organisations]


@router.get("/organisations/{slug}", response=OrganisationOut, auth=None)
def organisation_detail(request: HttpRequest, slug: str) -> OrganisationOut:
    organisations = Organisation.objects.select_related("successor", "notice_responsible")
    return _organisation_out(get_object_or_404(organisations, slug=slug))


class SeatOut(Schema):
    person_id: int
    name: str
    seat: str
    role: str
    appointed_by: str | None
    substitute_for_person_id: int | None
    call_order: int | None
    start: dt.date
    end: dt.date | None


class BoardOut(Schema):
    organ_id: int
    organ: str
    date: dt.date
    seats: list[SeatOut]
    warnings: list[str]


@router.get("/organisations/{slug}/board", response=list[BoardOut], auth=None)
def board_composition(request: HttpRequest, slug: str, date: dt.date | None = None) -> list[BoardOut]:
    """Board composition on a date (today by default)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    day = date or timezone.localdate()
    result = []
    for organ in organisation.organs.all():
        if not organ.is_board:
            continue
        appointments = list(selectors.board_on(organ, day))
        if not appointments:
            continue
        result.append(
            BoardOut(
                organ_id=organ.pk,
                organ=organ.name,
                date=day,
                seats=[
                    SeatOut(
                        person_id=a.person_id,
                        name=a.person.full_name,
                        seat=a.seat,
                        role=a.role,
                        appointed_by=a.appointed_by.name if a.appointed_by else None,
                        substitute_for_person_id=a.substitute_for.person_id if a.substitute_for else None,
                        call_order=a.call_order,
                        start=a.start,
                        end=a.end,
                    )
                    for a in appointments
                ],
                warnings=selectors.composition_warnings(organ, day, appointments),
            )
        )
    return result


# --- Member organisations (public) ---------------------------------------------------------


class MemberOrganisationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str


class MembershipOut(Schema):
    member: MemberOrganisationOut
    start: dt.date
    end: dt.date | None


def _member_out(m: MemberOrganisation) -> MemberOrganisationOut:
    return MemberOrganisationOut(id=m.pk, name=m.name, kind=m.kind, kind_label=str(m.get_kind_display()))


@router.get("/member-organisations", response=list[MemberOrganisationOut], auth=None)
def member_organisation_list(request: HttpRequest) -> list[MemberOrganisationOut]:
    """All member organisations (huvudmän) of any association."""
    return [_member_out(m) for m in MemberOrganisation.objects.order_by("name")]


@router.get("/organisations/{slug}/members", response=list[MembershipOut], auth=None)
def organisation_members(request: HttpRequest, slug: str, date: dt.date | None = None) -> list[MembershipOut]:
    """The association's members on a date (today by default)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    return [
        MembershipOut(member=_member_out(m.member), start=m.start, end=m.end)
        for m in selectors.members_on(organisation, date or timezone.localdate())
    ]


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


class StaffRoleIn(Schema):
    person_id: int
    role: str
    start: dt.date
    end: dt.date | None = None


def _person_out(p: Person) -> PersonOut:
    return PersonOut(id=p.pk, first_name=p.first_name, last_name=p.last_name, email=p.email, phone=p.phone)


def _appointment_out(a: Appointment) -> AppointmentOut:
    return AppointmentOut(
        id=a.pk, organ_id=a.organ_id, organ=a.organ.name, person=_person_out(a.person), seat=a.seat,
        role=a.role, appointed_by_id=a.appointed_by_id, substitute_for_id=a.substitute_for_id,
        call_order=a.call_order, start=a.start, end=a.end,
    )


def _staff_role_out(s: StaffRole) -> StaffRoleOut:
    return StaffRoleOut(id=s.pk, organisation=s.organisation.slug, person=_person_out(s.person), role=s.role,
                        start=s.start, end=s.end)


def _related(model: type[Any], pk: int | None, field: str, **filters: Any) -> Any:
    """A referenced row, or a 422 naming the field (not a 404 for the whole request)."""
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk, **filters).first()
    if found is None:
        raise ValidationError({field: "Finns inte."})
    return found


@router.get("/people/{person_id}", response=PersonOut, auth=token_auth)
def person_detail(request: HttpRequest, person_id: int) -> PersonOut:
    """A person with contact details, for users who may view an association the person is in."""
    person = get_object_or_404(Person, pk=person_id)
    if not may_view_any(request.user, selectors.person_organisation_ids(person)):
        raise Http404
    return _person_out(person)


@router.post("/organisations/{slug}/people", response={201: PersonOut}, auth=token_auth)
def person_add(request: HttpRequest, slug: str, payload: PersonIn) -> tuple[int, PersonOut]:
    """Add a person, to be given a seat or a role in the association."""
    organisation_or_404(request.user, slug, Action.MANAGE_REGISTRY)
    person = services.person_create(**payload.dict(), actor=request.user)
    return 201, _person_out(person)


@router.get("/organisations/{slug}/people", response=list[PersonOut], auth=token_auth)
def organisation_people(request: HttpRequest, slug: str, date: dt.date | None = None) -> list[PersonOut]:
    """Everyone with a seat or an office role on a date (today by default), with contact details."""
    organisation = organisation_or_404(request.user, slug, Action.VIEW)
    day = date or timezone.localdate()
    people = Person.objects.filter(
        Q(pk__in=Appointment.objects.active_on(day).filter(organ__organisation=organisation).values("person_id"))
        | Q(pk__in=StaffRole.objects.active_on(day).filter(organisation=organisation).values("person_id"))
    ).order_by("last_name", "first_name")
    return [_person_out(p) for p in people]


@router.get("/organisations/{slug}/appointments", response=list[AppointmentOut], auth=token_auth)
def appointment_list(request: HttpRequest, slug: str) -> list[AppointmentOut]:
    """Every appointment of the association's organs, past and present."""
    organisation = organisation_or_404(request.user, slug, Action.VIEW)
    appointments = Appointment.objects.filter(organ__organisation=organisation).select_related("organ", "person")
    return [_appointment_out(a) for a in appointments.order_by("-start", "pk")]


@router.post("/organisations/{slug}/appointments", response={201: AppointmentOut}, auth=token_auth)
def appointment_add(request: HttpRequest, slug: str, payload: AppointmentIn) -> tuple[int, AppointmentOut]:
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
    return 201, _appointment_out(appointment)


@router.post("/appointments/{appointment_id}/end", response=AppointmentOut, auth=token_auth)
def appointment_end(request: HttpRequest, appointment_id: int, payload: EndIn) -> AppointmentOut:
    appointment = get_object_or_404(Appointment.objects.select_related("organ"), pk=appointment_id)
    if not can(request.user, Action.MANAGE_REGISTRY, appointment.organ.organisation_id):
        raise Http404
    done = services.appointment_end(appointment=appointment, end=payload.end, actor=request.user)
    return _appointment_out(Appointment.objects.select_related("organ", "person").get(pk=done.pk))


@router.get("/organisations/{slug}/staff-roles", response=list[StaffRoleOut], auth=token_auth)
def staff_role_list(request: HttpRequest, slug: str) -> list[StaffRoleOut]:
    organisation = organisation_or_404(request.user, slug, Action.VIEW)
    roles = StaffRole.objects.filter(organisation=organisation).select_related("organisation", "person")
    return [_staff_role_out(s) for s in roles.order_by("-start", "pk")]


@router.post("/organisations/{slug}/staff-roles", response={201: StaffRoleOut}, auth=token_auth)
def staff_role_add(request: HttpRequest, slug: str, payload: StaffRoleIn) -> tuple[int, StaffRoleOut]:
    organisation = organisation_or_404(request.user, slug, Action.MANAGE_REGISTRY)
    staff_role = services.staff_role_add(
        organisation=organisation,
        person=_related(Person, payload.person_id, "person_id"),
        role=payload.role,
        start=payload.start,
        end=payload.end,
        actor=request.user,
    )
    return 201, _staff_role_out(staff_role)


@router.post("/staff-roles/{staff_role_id}/end", response=StaffRoleOut, auth=token_auth)
def staff_role_end(request: HttpRequest, staff_role_id: int, payload: EndIn) -> StaffRoleOut:
    staff_role = get_object_or_404(StaffRole, pk=staff_role_id)
    if not can(request.user, Action.MANAGE_REGISTRY, staff_role.organisation_id):
        raise Http404
    done = services.staff_role_end(staff_role=staff_role, end=payload.end, actor=request.user)
    return _staff_role_out(StaffRole.objects.select_related("organisation", "person").get(pk=done.pk))
