"""The attendance list (närvaro) of the minutes and the adjusters (justerare)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board.services import person_create

from ...models import Attendance
from .. import services
from ..forms import AdjustersForm, AttendanceForm, GuestForm
from .common import (
    attendees_of,
    candidates_for,
    editor_url,
    form_errors,
    meeting_or_404,
    posted_id,
    run_service,
)


@login_required
@require_POST
def attendance_prefill(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, edit=True)
    run_service(request, lambda: services.attendance_prefill(meeting=meeting, actor=request.user),
         _("Närvarolistan är hämtad från styrelsen."))
    return redirect(editor_url(meeting, "narvaro"))


@login_required
@require_POST
def attendance_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, edit=True)
    people = attendees_of(meeting) | candidates_for(meeting)
    form = AttendanceForm(request.POST, meeting=meeting, people=people.distinct())
    if request.POST.get("action") == "remove":
        row = get_object_or_404(Attendance, meeting=meeting, person_id=posted_id(request, "person"))
        run_service(request, lambda: services.attendance_remove(attendance=row, actor=request.user),
             _("%(p)s är borttagen ur närvarolistan.") % {"p": row.person})
        return redirect(editor_url(meeting, "narvaro"))
    if form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person")
        run_service(request, lambda: services.attendance_set(meeting=meeting, person=person, actor=request.user, **data),
             _("Närvaron för %(p)s är sparad.") % {"p": person})
        return redirect(editor_url(meeting, f"a{person.pk}"))
    form_errors(request, form)
    return redirect(editor_url(meeting, "narvaro"))


@login_required
@require_POST
def attendance_guest(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, edit=True)
    form = GuestForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(editor_url(meeting, "narvaro"))
    data = form.cleaned_data

    def add() -> None:
        person = person_create(first_name=data["first_name"], last_name=data["last_name"], actor=request.user)
        services.attendance_set(
            meeting=meeting, person=person, role=Attendance.Role.OTHER, role_text=data["role_text"],
            affiliation=data["affiliation"], actor=request.user,
        )

    run_service(request, add, _("Deltagaren är tillagd."))
    return redirect(editor_url(meeting, "narvaro"))


@login_required
@require_POST
def adjusters_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, edit=True)
    form = AdjustersForm(request.POST, people=attendees_of(meeting))
    if form.is_valid():
        run_service(request, lambda: services.adjusters_set(
            meeting=meeting, persons=list(form.cleaned_data["persons"]), actor=request.user
        ), _("Justerarna är sparade."))
    else:
        form_errors(request, form)
    return redirect(editor_url(meeting, "justerare"))
