"""Registry endpoints. Organisations, members and board composition are public."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from . import selectors
from .models import Organisation

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
        active_from=org.active_from,
        active_until=org.active_until,
        successor=org.successor.slug if org.successor else None,
    )


@router.get("/organisations", response=list[OrganisationOut], auth=None)
def organisation_list(request: HttpRequest) -> list[OrganisationOut]:
    return [_organisation_out(o) for o in Organisation.objects.select_related("successor")]


@router.get("/organisations/{slug}", response=OrganisationOut, auth=None)
def organisation_detail(request: HttpRequest, slug: str) -> OrganisationOut:
    return _organisation_out(get_object_or_404(Organisation.objects.select_related("successor"), slug=slug))


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
