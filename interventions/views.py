"""Intervention pages. Thin: find what the user may see (404 otherwise), check the right to
change (403), bind a form, call a service, redirect.

Who may do what: everyone with a role in the association reads (Action.VIEW); the office
(Action.EDIT_INTERVENTIONS) keeps the registry and registers requests; the secretary (who
also writes the minutes, Action.EDIT_MINUTES) puts requests on the agenda and records the
board's decision; follow-up figures are entered by the office or the intervention's contact.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from board.documents.services import BROKER_UNREACHABLE
from board.forms import add_service_errors
from board.permissions import Action, can
from board.selectors import family_ids
from minutes.models import Meeting

from . import services
from .forms import (
    ActionItemForm,
    AgendaForm,
    DecideForm,
    DocumentForm,
    FollowUpForm,
    FundingForm,
    IndicatorForm,
    InterventionForm,
    MeetingChoiceForm,
    RequestForm,
    SteeringMemberForm,
)
from .models import InterventionDocument, SupplementaryRequest
from .pdf import current_document, report_request
from .selectors import (
    action_items_of,
    follow_up_report,
    funding_rows,
    intervention_for,
    interventions_of,
    may_decide,
    may_edit,
    may_follow_up,
    meetings_for_agenda,
    open_action_items_for,
    organisation_for,
    parties_summary,
    requests_of,
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- registry -------------------------------------------------------------------------------


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
    _require(can(request.user, Action.EDIT_INTERVENTIONS, organisation), "Bara kansliet registrerar insatser.")
    form = InterventionForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            intervention = services.intervention_create(
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
    _require(may_edit(request.user, intervention), "Bara kansliet ändrar insatser.")
    form = InterventionForm(request.POST or None, instance=intervention, organisation=intervention.organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parties = list(data.pop("parties"))
        try:
            services.intervention_update(intervention=intervention, parties=parties, actor=request.user, **data)
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
    return _detail(request, intervention)


def _detail(request: HttpRequest, intervention: Any, **forms: Form) -> HttpResponse:
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
    _require(may_edit(request.user, intervention), "Bara kansliet ändrar styrgruppen.")
    form = SteeringMemberForm(request.POST)
    if form.is_valid():
        try:
            services.steering_member_add(intervention=intervention, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(intervention.get_absolute_url() + "#styrgrupp")
    return _detail(request, intervention, steering=form)


@require_POST
def steering_remove(request: HttpRequest, slug: str, pk: int, member_pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk)
    _require(may_edit(request.user, intervention), "Bara kansliet ändrar styrgruppen.")
    member = get_object_or_404(intervention.steering_group, pk=member_pk)
    services.steering_member_remove(member=member, actor=request.user)
    return redirect(intervention.get_absolute_url() + "#styrgrupp")


@require_POST
def document_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk)
    _require(may_edit(request.user, intervention), "Bara kansliet lägger till dokument.")
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(
                intervention=intervention, upload=form.cleaned_data["file"], title=form.cleaned_data["title"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(intervention.get_absolute_url() + "#dokument")
    return _detail(request, intervention, document=form)


def document_download(request: HttpRequest, slug: str, pk: int, document_pk: int) -> FileResponse:
    intervention = intervention_for(request.user, slug, pk)
    document = get_object_or_404(InterventionDocument, intervention=intervention, pk=document_pk)
    name = document.original_name or f"{document.title}.{document.file_type}"
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)


@require_POST
def funding_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk)
    _require(may_edit(request.user, intervention), "Bara kansliet kopplar budgetrader.")
    form = FundingForm(request.POST, intervention=intervention)
    if form.is_valid():
        try:
            services.funding_link(intervention=intervention, budget_line=form.cleaned_data["budget_line"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(intervention.get_absolute_url() + "#finansiering")
    return _detail(request, intervention, funding=form)


# --- supplementary requests -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk)
    _require(may_edit(request.user, intervention), "Bara kansliet registrerar tilläggsäskanden.")
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # the request and its file, or neither
                supplementary = services.request_register(
                    intervention=intervention, year=data["year"], amount=data["amount"], reason=data["reason"],
                    received_on=data["received_on"], actor=request.user,
                )
                if data.get("file"):
                    services.document_add(
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
    _require(may_decide(request.user, intervention), "Bara sekreteraren för äskanden till styrelsen.")
    return intervention, supplementary


@require_POST
def request_agenda(request: HttpRequest, slug: str, pk: int, request_pk: int) -> HttpResponse:
    intervention, supplementary = _request_for(request, slug, pk, request_pk)
    form = AgendaForm(request.POST, meetings=meetings_for_agenda(supplementary), prefix=f"r{supplementary.pk}")
    if form.is_valid():
        try:
            services.request_put_on_agenda(request=supplementary, meeting=form.cleaned_data["meeting"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Äskandet är satt på dagordningen.")
            return redirect(intervention.get_absolute_url() + "#tillaggsaskanden")
    return _detail(request, intervention, **{f"agenda_{supplementary.pk}": form})


@require_POST
def request_decide(request: HttpRequest, slug: str, pk: int, request_pk: int) -> HttpResponse:
    intervention, supplementary = _request_for(request, slug, pk, request_pk)
    form = DecideForm(request.POST, prefix=f"r{supplementary.pk}")
    if form.is_valid():
        try:
            decided = services.request_decide(
                request=supplementary, granted_amount=form.cleaned_data["granted_amount"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            label = decided.paragraph.label if decided.paragraph else ""
            messages.success(request, f"Beslutet är protokollfört ({label}).")
            return redirect(intervention.get_absolute_url() + "#tillaggsaskanden")
    return _detail(request, intervention, **{f"decide_{supplementary.pk}": form})


# --- follow-up ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = intervention_for(request.user, slug, pk, contact_too=True)
    allowed = may_follow_up(request.user, intervention)
    indicators = list(intervention.indicators.all())
    form = FollowUpForm(request.POST or None, indicators=indicators) if allowed else None
    indicator_form = IndicatorForm() if may_edit(request.user, intervention) else None
    status = 200
    if request.method == "POST":
        _require(allowed, "Bara insatsens kontaktperson och kansliet lämnar uppföljning.")
        if form.is_valid():  # type: ignore[union-attr]
            data = dict(form.cleaned_data)  # type: ignore[union-attr]
            try:
                services.follow_up_record(
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
    _require(may_edit(request.user, intervention), "Bara kansliet definierar indikatorer.")
    form = IndicatorForm(request.POST)
    if form.is_valid():
        try:
            services.indicator_define(intervention=intervention, actor=request.user, **form.cleaned_data)
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


# --- action items ---------------------------------------------------------------------------


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
    _require(can(request.user, Action.EDIT_INTERVENTIONS, organisation), "Bara kansliet följer upp uppdrag.")
    form = ActionItemForm(request.POST, prefix=f"u{item.pk}")
    if form.is_valid():
        try:
            services.action_item_update(item=item, actor=request.user, **form.cleaned_data)
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
    _require(can(request.user, Action.EDIT_INTERVENTIONS, organisation), "Bara kansliet registrerar uppdrag.")
    form = MeetingChoiceForm(request.POST, meetings=_meetings(organisation), prefix="skanna")
    if form.is_valid():
        created = []
        for paragraph in form.cleaned_data["meeting"].paragraphs.order_by("position"):
            created += services.action_items_from_paragraph(paragraph=paragraph, actor=request.user)
        messages.success(request, f"{len(created)} nya uppdrag hittades i protokollet.")
    return redirect("interventions:action_items", slug)


@require_POST
def action_items_agenda(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_for(request.user, slug)
    _require(can(request.user, Action.EDIT_MINUTES, organisation), "Bara sekreteraren ändrar dagordningen.")
    form = MeetingChoiceForm(request.POST, meetings=_meetings(organisation, editable=True), prefix="dagordning")
    if form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            item = services.action_items_to_agenda(meeting=meeting, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            count = open_action_items_for(meeting).count()
            messages.success(
                request,
                f"”{services.FOLLOW_UP_TITLE}” med {count} uppdrag står på dagordningen {meeting}."
                if item else "Inga öppna uppdrag att följa upp.",
            )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("interventions:action_items", slug)
