"""The register: the list, an intervention's page (with every form on it), its steering group,
documents and funding."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from board.forms import add_service_errors
from board.permissions import Action, can
from interventions.forms import (
    AgendaForm,
    DecideForm,
    DocumentForm,
    FundingForm,
    InterventionForm,
    SteeringMemberForm,
)
from interventions.models import InterventionDocument, SupplementaryRequest
from interventions.selectors import (
    funding_rows,
    intervention_for,
    interventions_of,
    may_decide,
    may_edit,
    may_follow_up,
    meetings_for_agenda,
    organisation_for,
    parties_summary,
    requests_of,
)
from interventions.services import registry

from .common import require


def intervention_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for(request.user, slug)
    return render(request, "interventions/list.html", {
        "organisation": organisation,
        "interventions": [(i, parties_summary(i.parties.all())) for i in interventions_of(organisation)],
        "can_edit": can(request.user, Action.EDIT_INTERVENTIONS, organisation),
    })


@require_http_methods(["GET", "POST"])
def intervention_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for(request.user, slug)
    require(can(request.user, Action.EDIT_INTERVENTIONS, organisation), "Bara kansliet registrerar insatser.")
    form = InterventionForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            intervention = registry.intervention_create(
                organisation=organisation, parties=list(data.pop("parties")), actor=request.user, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{intervention} är registrerad.")
            return redirect(intervention)
    return render(request, "interventions/form.html", {"organisation": organisation, "form": form, "intervention": None})


@require_http_methods(["GET", "POST"])
def intervention_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk)
    require(may_edit(request.user, intervention), "Bara kansliet ändrar insatser.")
    form = InterventionForm(request.POST or None, instance=intervention, organisation=intervention.organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parties = list(data.pop("parties"))
        try:
            registry.intervention_update(intervention=intervention, parties=parties, actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Ändringarna är sparade.")
            return redirect(intervention)
    return render(request, "interventions/form.html", {
        "organisation": intervention.organisation, "form": form, "intervention": intervention,
    })


def intervention_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk)
    return detail_page(request, intervention)


def detail_page(request: HttpRequest, intervention: Any, **forms: Form) -> HttpResponse:
    user = request.user
    edit = may_edit(user, intervention)
    decide = may_decide(user, intervention)
    requests = list(requests_of(intervention))
    agenda_forms = {}
    decide_forms = {}
    if decide:
        for r in requests:
            # Also when its agenda item or proposed paragraph was deleted from the minutes.
            lost = r.status == SupplementaryRequest.Status.ON_AGENDA and not (r.agenda_item_id or r.paragraph_id)
            if r.status == SupplementaryRequest.Status.RECEIVED or lost:
                agenda_forms[r.pk] = forms.get(f"agenda_{r.pk}") or AgendaForm(meetings=meetings_for_agenda(r), prefix=f"r{r.pk}")
            elif r.status == SupplementaryRequest.Status.ON_AGENDA:
                decide_forms[r.pk] = forms.get(f"decide_{r.pk}") or DecideForm(prefix=f"r{r.pk}", initial={"granted_amount": r.amount})
    context = {
        "organisation": intervention.organisation,
        "intervention": intervention,
        "parties": list(intervention.parties.order_by("name")),
        "steering": list(intervention.steering_group.select_related("person")),
        "documents": list(intervention.documents.filter(request__isnull=True)),
        "funding": funding_rows(intervention),
        "requests": [(r, agenda_forms.get(r.pk), decide_forms.get(r.pk)) for r in requests],
        "decisions": list(
            intervention.decisions.select_related("clause__paragraph__meeting").order_by("-clause__paragraph__meeting__date")
        ),
        "tasks": list(intervention.action_items.select_related("paragraph__meeting", "owner_person")),
        "can_edit": edit,
        "can_decide": decide,
        "can_follow_up": may_follow_up(user, intervention),
        "steering_form": forms.get("steering") or (SteeringMemberForm() if edit else None),
        "document_form": forms.get("document") or (DocumentForm() if edit else None),
        "funding_form": forms.get("funding") or (FundingForm(intervention=intervention) if edit else None),
    }
    status = 400 if forms else 200
    return render(request, "interventions/detail.html", context, status=status)


@require_POST
def steering_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk)
    require(may_edit(request.user, intervention), "Bara kansliet ändrar styrgruppen.")
    form = SteeringMemberForm(request.POST)
    if form.is_valid():
        try:
            registry.steering_member_add(intervention=intervention, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(intervention.get_absolute_url() + "#styrgrupp")
    return detail_page(request, intervention, steering=form)


@require_POST
def steering_remove(request: HttpRequest, slug: str, pk: int, member_pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk)
    require(may_edit(request.user, intervention), "Bara kansliet ändrar styrgruppen.")
    member = get_object_or_404(intervention.steering_group, pk=member_pk)
    registry.steering_member_remove(member=member, actor=request.user)
    return redirect(intervention.get_absolute_url() + "#styrgrupp")


@require_POST
def document_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk)
    require(may_edit(request.user, intervention), "Bara kansliet lägger till dokument.")
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            registry.document_add(
                intervention=intervention, upload=form.cleaned_data["file"], title=form.cleaned_data["title"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(intervention.get_absolute_url() + "#dokument")
    return detail_page(request, intervention, document=form)


def document_download(request: HttpRequest, slug: str, pk: int, document_pk: int) -> FileResponse:
    intervention = intervention_for(request.user, slug, pk)
    document = get_object_or_404(InterventionDocument, intervention=intervention, pk=document_pk)
    name = document.original_name or f"{document.title}.{document.file_type}"
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)


@require_POST
def funding_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk)
    require(may_edit(request.user, intervention), "Bara kansliet kopplar budgetrader.")
    form = FundingForm(request.POST, intervention=intervention)
    if form.is_valid():
        try:
            registry.funding_link(intervention=intervention, budget_line=form.cleaned_data["budget_line"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(intervention.get_absolute_url() + "#finansiering")
    return detail_page(request, intervention, funding=form)


