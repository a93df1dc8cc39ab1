"""Action items (uppdrag): the list, progress, tasks read from a meeting's decisions, and the
follow-up item on the next agenda."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from board.permissions import Action, can
from board.selectors import family_ids
from interventions import action_items
from interventions.forms import ActionItemForm, MeetingChoiceForm
from interventions.selectors import action_items_of, open_action_items_for, organisation_for
from minutes.models import Meeting

from .common import require


def _meetings(organisation: Any, *, editable: bool = False) -> QuerySet[Meeting]:
    """Meetings of the association and of those that merged into it; `editable`: minutes still open."""
    meetings = Meeting.objects.filter(organ__organisation_id__in=family_ids(organisation))
    return meetings.filter(status__in=list(Meeting.EDITABLE_STATUSES)) if editable else meetings


def action_item_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for(request.user, slug)
    status = request.GET.get("status", "oppna")
    editable = can(request.user, Action.EDIT_INTERVENTIONS, organisation)
    items = list(action_items_of(organisation, status=status if status != "alla" else ""))
    meetings = _meetings(organisation).select_related("organ").order_by("-date")
    return render(request, "interventions/action_items.html", {
        "organisation": organisation,
        "items": [(i, ActionItemForm(prefix=f"u{i.pk}", initial={
            "status": i.status, "due_date": i.due_date, "owner_text": i.owner_text, "report": i.report,
        }) if editable else None) for i in items],
        "status": status,
        "can_edit": editable,
        "scan_form": MeetingChoiceForm(meetings=meetings, prefix="skanna") if editable else None,
        "agenda_form": MeetingChoiceForm(
            meetings=meetings.filter(status__in=list(Meeting.EDITABLE_STATUSES)), prefix="dagordning"
        ) if can(request.user, Action.EDIT_MINUTES, organisation) else None,
    })


@require_POST
def action_item_update(request: HttpRequest, slug: str, item_pk: int) -> HttpResponse:
    organisation = organisation_for(request.user, slug)
    item = get_object_or_404(action_items_of(organisation), pk=item_pk)
    require(can(request.user, Action.EDIT_INTERVENTIONS, organisation), "Bara kansliet följer upp uppdrag.")
    form = ActionItemForm(request.POST, prefix=f"u{item.pk}")
    if form.is_valid():
        try:
            action_items.action_item_update(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Uppdraget är uppdaterat.")
    else:
        messages.error(request, "Uppdraget kunde inte sparas: kontrollera fälten.")
    return redirect("interventions:action_items", slug)


@require_POST
def action_items_scan(request: HttpRequest, slug: str) -> HttpResponse:
    """Make action items of the task-giving decisions of one meeting's minutes."""
    organisation = organisation_for(request.user, slug)
    require(can(request.user, Action.EDIT_INTERVENTIONS, organisation), "Bara kansliet registrerar uppdrag.")
    form = MeetingChoiceForm(request.POST, meetings=_meetings(organisation), prefix="skanna")
    if form.is_valid():
        created = []
        for paragraph in form.cleaned_data["meeting"].paragraphs.order_by("position"):
            created += action_items.action_items_from_paragraph(paragraph=paragraph, actor=request.user)
        messages.success(request, f"{len(created)} nya uppdrag hittades i protokollet.")
    return redirect("interventions:action_items", slug)


@require_POST
def action_items_agenda(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for(request.user, slug)
    require(can(request.user, Action.EDIT_MINUTES, organisation), "Bara sekreteraren ändrar dagordningen.")
    form = MeetingChoiceForm(request.POST, meetings=_meetings(organisation, editable=True), prefix="dagordning")
    if form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            item = action_items.action_items_to_agenda(meeting=meeting, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            count = open_action_items_for(meeting).count()
            messages.success(
                request,
                f"”{action_items.FOLLOW_UP_TITLE}” med {count} uppdrag står på dagordningen {meeting}."
                if item else "Inga öppna uppdrag att följa upp.",
            )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("interventions:action_items", slug)
