"""Registry pages. Board composition is public; contact details and forms are not."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_date

from . import selectors
from .models import Organisation
from .permissions import Action, can


def _day_from(request: HttpRequest) -> tuple[dt.date, str | None]:
    """The ?datum= of a page, today when absent; an error text when it is not a date."""
    raw = request.GET.get("datum", "").strip()
    if not raw:
        return timezone.localdate(), None
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        return timezone.localdate(), "Ogiltigt datum – ange det som ÅÅÅÅ-MM-DD."
    return day, None


def home(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.select_related("successor").order_by("name")
    return render(request, "board/home.html", {"organisations": organisations})


def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.select_related("successor").prefetch_related("predecessors")
    return render(request, "board/organisation_list.html", {"organisations": organisations})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("successor").prefetch_related("predecessors", "organs"),
        slug=slug,
    )
    day, date_error = _day_from(request)
    boards = []
    for organ in organisation.organs.all():
        if not organ.is_board:
            continue
        appointments = list(selectors.board_on(organ, day))
        if not appointments and not (
            (organ.active_from is None or organ.active_from <= day)
            and (organ.active_until is None or day <= organ.active_until)
        ):
            continue
        boards.append(
            {
                "organ": organ,
                "rows": selectors.board_table(appointments),
                "warnings": selectors.composition_warnings(organ, day, appointments),
            }
        )
    context = {
        "organisation": organisation,
        "day": day,
        "date_error": date_error,
        "boards": boards,
        "members": selectors.members_on(organisation, day),
        "staff": selectors.staff_on(organisation, day),
        "can_manage": can(request.user, Action.MANAGE_REGISTRY, organisation),
        "can_view": can(request.user, Action.VIEW, organisation),
    }
    return render(request, "board/organisation_detail.html", context)
