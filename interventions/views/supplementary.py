"""Supplementary requests: registered by the office, put on the agenda and decided by the secretary."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from board.forms import add_service_errors
from interventions.forms import AgendaForm, DecideForm, RequestForm
from interventions.models import SupplementaryRequest
from interventions.selectors import intervention_for, may_decide, may_edit, meetings_for_agenda
from interventions.services import registry
from interventions.services import supplementary as request_services

from .common import require
from .registry import detail_page


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk)
    require(may_edit(request.user, intervention), "Bara kansliet registrerar tilläggsäskanden.")
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # the request and its file, or neither
                supplementary = request_services.request_register(
                    intervention=intervention, year=data["year"], amount=data["amount"], reason=data["reason"],
                    received_on=data["received_on"], actor=request.user,
                )
                if data.get("file"):
                    registry.document_add(
                        intervention=intervention, request=supplementary, upload=data["file"],
                        title=f"Tilläggsäskande {data['received_on']:%Y-%m-%d}", actor=request.user,
                    )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Tilläggsäskandet är registrerat.")
            return redirect(intervention.get_absolute_url() + "#tillaggsaskanden")
    return render(request, "interventions/request_form.html", {
        "organisation": intervention.organisation, "intervention": intervention, "form": form,
    })


def _request_for(request: HttpRequest, slug: str, pk: int, request_pk: int) -> tuple[Any, SupplementaryRequest]:
    intervention = intervention_for(request.user, slug, pk)
    supplementary = get_object_or_404(
        SupplementaryRequest.objects.select_related("budget_line__budget"), intervention=intervention, pk=request_pk
    )
    require(may_decide(request.user, intervention), "Bara sekreteraren för äskanden till styrelsen.")
    return intervention, supplementary


@require_POST
def request_agenda(request: HttpRequest, slug: str, pk: int, request_pk: int) -> HttpResponse:
    intervention, supplementary = _request_for(request, slug, pk, request_pk)
    form = AgendaForm(request.POST, meetings=meetings_for_agenda(supplementary), prefix=f"r{supplementary.pk}")
    if form.is_valid():
        try:
            request_services.request_put_on_agenda(request=supplementary, meeting=form.cleaned_data["meeting"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Äskandet är satt på dagordningen.")
            return redirect(intervention.get_absolute_url() + "#tillaggsaskanden")
    return detail_page(request, intervention, **{f"agenda_{supplementary.pk}": form})


@require_POST
def request_decide(request: HttpRequest, slug: str, pk: int, request_pk: int) -> HttpResponse:
    intervention, supplementary = _request_for(request, slug, pk, request_pk)
    form = DecideForm(request.POST, prefix=f"r{supplementary.pk}")
    if form.is_valid():
        try:
            decided = request_services.request_decide(
                request=supplementary, granted_amount=form.cleaned_data["granted_amount"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            label = decided.paragraph.label if decided.paragraph else ""
            messages.success(request, f"Beslutet är protokollfört ({label}).")
            return redirect(intervention.get_absolute_url() + "#tillaggsaskanden")
    return detail_page(request, intervention, **{f"decide_{supplementary.pk}": form})
