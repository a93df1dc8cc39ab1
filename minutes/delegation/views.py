"""The delegation pages: the order, the register (search, year, Excel export), recording a
decision, and the buttons for the report paragraph and the notice of a decision.

Anyone who may see the association reads the order and the register; an outsider gets 404
and a visitor not logged in is sent to the login. The secretary and the förbundschef change the
order; whoever holds a delegate role of a line in force records decisions; the secretary adds
the report paragraph to a meeting. Anyone else who may see the association gets 403.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from board.forms import add_service_errors
from board.models import Organisation
from board.permissions import Action, can, organisation_or_404
from board.spreadsheets import text_cell

from ..drafting.views.common import meeting_or_404
from ..models import DelegationDecision, DelegationLine
from . import services
from .forms import DelegationDecisionForm, DelegationLineForm, NoticeDayForm


def _editable_order(request: HttpRequest, slug: str) -> Organisation:
    organisation = organisation_or_404(request.user, slug)
    if not can(request.user, Action.EDIT_DELEGATION, organisation):
        raise PermissionDenied
    return organisation


def _lines_of_user(request: HttpRequest, organisation: Organisation) -> QuerySet[DelegationLine]:
    person = getattr(request.user, "person", None)
    return services.lines_for(person, organisation, timezone.localdate())


@login_required
@require_GET
def delegation_order(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_or_404(request.user, slug)
    lines = DelegationLine.objects.filter(organisation=organisation).order_by("code", "valid_from")
    return render(request, "minutes/delegation/order.html", {
        "organisation": organisation, "lines": lines, "today": timezone.localdate(),
        "may_edit": can(request.user, Action.EDIT_DELEGATION, organisation),
    })


@login_required
@require_http_methods(["GET", "POST"])
def delegation_line_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _editable_order(request, slug)
    form = DelegationLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            line = services.delegation_line_add(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Punkt {line.code} är tillagd i delegationsordningen.")
            return redirect("minutes:delegation_order", organisation.slug)
    return render(request, "minutes/delegation/form.html", {
        "organisation": organisation, "form": form, "title": "Ny punkt i delegationsordningen",
        "button": "Lägg till punkten", "back": reverse("minutes:delegation_order", args=[organisation.slug]),
    }, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def delegation_line_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _editable_order(request, slug)
    line = get_object_or_404(DelegationLine, pk=pk, organisation=organisation)
    has_decisions = line.decisions.exists()
    form = DelegationLineForm(
        request.POST or None, initial={name: getattr(line, name) for name in services.LINE_FIELDS},
        only_end=has_decisions,
    )
    if request.method == "POST" and form.is_valid():
        try:
            line = services.delegation_line_update(line=line, actor=request.user, **form.changed_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Punkt {line.code} i delegationsordningen är sparad.")
            return redirect("minutes:delegation_order", organisation.slug)
    return render(request, "minutes/delegation/form.html", {
        "organisation": organisation, "form": form, "title": f"Punkt {line.code} i delegationsordningen",
        "button": "Spara", "back": reverse("minutes:delegation_order", args=[organisation.slug]),
        "lead": (
            "Beslut är registrerade under punkten. För att registret ska visa vad delegationen var när de "
            "fattades kan punkten bara avslutas; ändra den genom att avsluta den och lägga till en ny."
        ) if has_decisions else "",
    }, status=422 if form.errors else 200)


def _search(request: HttpRequest, organisation: Organisation) -> tuple[QuerySet[DelegationDecision], str, int | None]:
    # Bad input narrows nothing rather than failing: a NUL PostgreSQL cannot take, a year
    # outside the calendar.
    q = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    try:
        year: int | None = int(request.GET.get("ar", ""))
    except ValueError:
        year = None
    if year is not None and not 1 <= year <= 9999:
        year = None
    decisions = DelegationDecision.objects.filter(organisation=organisation).select_related(
        "line", "decided_by", "reported_in", "notice",
    )
    if q:
        decisions = decisions.filter(Q(matter__icontains=q) | Q(decision__icontains=q))
    if year is not None:
        decisions = decisions.filter(decided_on__year=year)
    return decisions, q, year


@login_required
@require_GET
def delegation_register(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_or_404(request.user, slug)
    decisions, q, year = _search(request, organisation)
    years = DelegationDecision.objects.filter(organisation=organisation).dates("decided_on", "year", order="DESC")
    return render(request, "minutes/delegation/register.html", {
        "organisation": organisation, "decisions": decisions, "q": q, "year": year,
        "years": [d.year for d in years],
        "may_record": _lines_of_user(request, organisation).exists(),
        "may_post": can(request.user, Action.EDIT_DELEGATION, organisation), "today": timezone.localdate(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def delegation_decision_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_or_404(request.user, slug)
    lines = _lines_of_user(request, organisation)
    if not lines.exists():
        raise PermissionDenied
    # The choice is every line of the association: a line not in force or of another role is
    # refused by the service with its reason, not hidden.
    form = DelegationDecisionForm(
        request.POST or None, lines=DelegationLine.objects.filter(organisation=organisation).order_by("code"),
        initial={"decided_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.delegation_decision_record(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Delegationsbeslutet är registrerat.")
            return redirect("minutes:delegation_register", organisation.slug)
    return render(request, "minutes/delegation/form.html", {
        "organisation": organisation, "form": form, "title": "Nytt delegationsbeslut",
        "button": "Registrera beslutet", "back": reverse("minutes:delegation_register", args=[organisation.slug]),
    }, status=422 if form.errors else 200)


@login_required
@require_GET
def delegation_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The register as shown (same search and year) as an Excel file; typed text stays text."""
    organisation = organisation_or_404(request.user, slug)
    decisions, _q, _year = _search(request, organisation)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Delegationsbeslut"
    ws.append(["Beslutsdatum", "Punkt", "Ärende", "Beslut", "Belopp (kr)", "Beslutsfattare",
               "Kan överklagas", "Anmält i", "Anmält"])
    for d in decisions:
        ws.append([
            d.decided_on, text_cell(ws, d.line.code), text_cell(ws, d.matter), text_cell(ws, d.decision),
            d.amount, text_cell(ws, d.decided_by.full_name), "Ja" if d.appealable else "Nej",
            d.reported_in.label if d.reported_in else "", d.reported_on,
        ])
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="delegationsbeslut-{organisation.slug}-{dt.date.today():%Y%m%d}.xlsx"'
    )
    return response


@login_required
@require_POST
def delegation_notice(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(DelegationDecision.objects.select_related("organisation"), pk=pk)
    organisation = decision.organisation
    if not can(request.user, Action.VIEW, organisation):
        raise Http404
    if not can(request.user, Action.EDIT_DELEGATION, organisation):
        raise PermissionDenied
    form = NoticeDayForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("minutes:delegation_register", organisation.slug)
    try:
        notice = services.delegation_notice_post(
            decision=decision, actor=request.user, posted_on=form.cleaned_data["posted_on"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Beslutet är anslaget, sista dag för överklagande {notice.last_appeal_day:%Y-%m-%d}.",
        )
    return redirect("minutes:delegation_register", organisation.slug)


@login_required
@require_POST
def delegation_report(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk, edit=True)
    try:
        paragraph = services.delegation_report_add(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("minutes:editor", meeting.pk)
    messages.success(request, f"Anmälan av delegationsbeslut är tillagd som {paragraph.label}.")
    return redirect(paragraph.get_absolute_url())
