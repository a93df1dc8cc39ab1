"""Follow-up: the figures per period, the indicators, and the report's sealed PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from board.documents.services import BROKER_UNREACHABLE
from board.forms import add_service_errors
from interventions.forms import FollowUpForm, IndicatorForm
from interventions.pdf import current_document, report_request
from interventions.selectors import follow_up_report, intervention_for, may_edit, may_follow_up
from interventions.services.follow_up import follow_up_record, indicator_define

from .common import require


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk, contact_too=True)
    allowed = may_follow_up(request.user, intervention)
    indicators = list(intervention.indicators.all())
    form = FollowUpForm(request.POST or None, indicators=indicators) if allowed else None
    indicator_form = IndicatorForm() if may_edit(request.user, intervention) else None
    status = 200
    if request.method == "POST":
        require(allowed, "Bara insatsens kontaktperson och kansliet lämnar uppföljning.")
        if form.is_valid():  # type: ignore[union-attr]
            data = dict(form.cleaned_data)  # type: ignore[union-attr]
            try:
                follow_up_record(
                    intervention=intervention, values=form.values(), actor=request.user,  # type: ignore[union-attr]
                    **{k: data[k] for k in ("period_start", "period_end", "enrolled", "new", "closed",
                                            "steps_work", "steps_studies", "comment")},
                )
            except ValidationError as exc:
                add_service_errors(form, exc)  # type: ignore[arg-type]
            else:
                messages.success(request, "Uppföljningen är sparad.")
                return redirect("interventions:follow_up", slug, pk)
        status = 400
    return _report_page(request, intervention, form, indicator_form, status)


def _report_page(request: HttpRequest, intervention: Any, form: Any, indicator_form: Any, status: int = 200) -> HttpResponse:
    return render(request, "interventions/follow_up.html", {
        "organisation": intervention.organisation, "intervention": intervention,
        "report": follow_up_report(intervention), "form": form, "indicator_form": indicator_form,
        "pdf_document": current_document(intervention),
    }, status=status)


@require_POST
def indicator_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk)
    require(may_edit(request.user, intervention), "Bara kansliet definierar indikatorer.")
    form = IndicatorForm(request.POST)
    if form.is_valid():
        try:
            indicator_define(intervention=intervention, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("interventions:follow_up", slug, pk)
    allowed = may_follow_up(request.user, intervention)
    follow_form = FollowUpForm(indicators=list(intervention.indicators.all())) if allowed else None
    return _report_page(request, intervention, follow_form, form, 400)


@require_POST
def report_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk, contact_too=True)
    if report_request(intervention=intervention, actor=request.user).broker_unreachable:
        messages.warning(request, f"Rapporten är beställd. {BROKER_UNREACHABLE}")
    else:
        messages.info(request, "Rapporten skapas i bakgrunden.")
    return redirect("interventions:follow_up", slug, pk)
