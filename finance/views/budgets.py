"""Budget pages: the list, the table (with its Excel and PDF), a new budget, its versions,
adoption and lines, and the association's finance settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from board.documents.services import BROKER_UNREACHABLE
from board.formatting import format_amount
from board.forms import add_service_errors, error_texts
from finance.charts import build_chart
from finance.excel import report_xlsx
from finance.forms import (
    AdoptForm,
    BudgetCreateForm,
    DecisionForm,
    LineAddForm,
    SettingsForm,
    VersionForm,
)
from finance.models import Budget, BudgetAmount, BudgetLine, BudgetVersion
from finance.pdf import current_document, report_request
from finance.reports import settings_for
from finance.selectors import visible_organisation
from finance.services import budgets as budget_services
from finance.services.allocations import finance_settings_update
from minutes.drafting.selectors import decision_paragraph, decision_paragraphs

from .common import budget_access, decimals_shown, organisation_access, report_context, report_for


def budget_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, access = organisation_access(request, slug)
    budgets = Budget.objects.filter(organisation=organisation).order_by("-year")
    if access.public_only:
        budgets = budgets.filter(versions__adopted=True).distinct()
    return render(
        request,
        "finance/budget_list.html",
        {"organisation": organisation, "budgets": budgets.prefetch_related("versions"), "access": access},
    )


def budget_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    budget, access = budget_access(request, slug, year)
    report = report_for(request, budget, access)
    context = report_context(report, access)
    context["chart"] = build_chart(report)
    context["balance"] = report.balance
    context["pdf_document"] = current_document(budget) if access.can_view else None
    return render(request, "finance/budget_detail.html", context)


def budget_excel(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    budget, access = budget_access(request, slug, year)
    report = report_for(request, budget, access)
    response = HttpResponse(
        report_xlsx(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="budget-{budget.organisation.slug}-{year}.xlsx"'
    return response


@require_http_methods(["POST"])
def budget_pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Ask for the sealed PDF of the table as it is now; the page shows its status."""
    budget, access = budget_access(request, slug, year)
    if not access.can_view:
        raise Http404
    if report_request(budget=budget, actor=request.user).broker_unreachable:
        messages.warning(request, f"PDF:en är beställd. {BROKER_UNREACHABLE}")
    else:
        messages.info(request, "PDF:en skapas i bakgrunden och visas här när den är klar.")
    return redirect(reverse("finance:budget", args=[slug, year]) + "#pdf")


@require_http_methods(["GET", "POST"])
def budget_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = visible_organisation(request.user, slug, edit=True)[0]
    budgets = {b.year: b for b in Budget.objects.filter(organisation=organisation)}
    form = BudgetCreateForm(request.POST or None, years=sorted(budgets, reverse=True))
    if request.method == "POST" and form.is_valid():
        try:
            budget = budget_services.budget_create(
                organisation=organisation,
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                copy_from=budgets.get(form.cleaned_data["copy_from"]) if form.cleaned_data["copy_from"] else None,
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{budget} är skapad. Lägg till rader och den första versionen.")
            return redirect("finance:version_create", slug, budget.year)
    return render(
        request, "finance/budget_create.html", {"organisation": organisation, "form": form},
        status=422 if form.errors else 200,
    )


def _paragraph_choices(budget: Budget) -> list[tuple[int, str]]:
    """Paragraphs of the association's minutes from the budget year and the year before."""
    paragraphs = decision_paragraphs(budget.organisation, [budget.year - 1, budget.year])
    return [(p.pk, f"{p.meeting.date:%Y-%m-%d} {p.label} {p.title}"[:120]) for p in paragraphs]


def _decided_in(budget: Budget, form: DecisionForm) -> Any:
    """The paragraph chosen in the form (one of the association's, offered by _paragraph_choices)."""
    pk = form.cleaned_data["decided_in"]
    return decision_paragraph(budget.organisation, pk) if pk else None


@require_http_methods(["GET", "POST"])
def version_create(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The first version of a budget, or a revision: every line's amount, and the decision."""
    budget, access = budget_access(request, slug, year, edit=True)
    lines = list(BudgetLine.objects.filter(budget=budget).select_related("group").order_by("order", "pk"))
    current = budget.versions.order_by("-number").first()
    amounts = dict(BudgetAmount.objects.filter(version=current).values_list("line_id", "amount")) if current else {}
    paragraphs = _paragraph_choices(budget)
    default_label = f"Reviderad budget {year}" if current else f"Budget {year}"
    form = VersionForm(request.POST or None, initial={"label": default_label}, paragraphs=paragraphs)
    line_form = LineAddForm(groups=[(g.pk, g.name) for g in budget.groups.all()], prefix="rad")
    values = {
        line.pk: request.POST.get(f"belopp-{line.pk}", "") if request.method == "POST"
        else format_amount(amounts.get(line.pk, 0), decimals=decimals_shown(amounts.get(line.pk, 0)))
        for line in lines
    }
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            version = budget_services.budget_version_create(
                budget=budget,
                label=form.cleaned_data["label"],
                amounts={line.code: values[line.pk] or "0" for line in lines},
                adopted=form.cleaned_data["adopted"],
                adopted_on=form.cleaned_data["adopted_on"],
                decision_reference=form.cleaned_data["decision_reference"],
                decided_in=_decided_in(budget, form),
                actor=request.user,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"{version.label} är sparad.")
            return redirect("finance:budget", slug, year)
    return render(
        request,
        "finance/version_create.html",
        {
            "budget": budget,
            "organisation": budget.organisation,
            "form": form,
            "line_form": line_form,
            "rows": [(line, values[line.pk]) for line in lines],
            "errors": errors,
            "current": current,
            "access": access,
        },
        status=422 if errors or form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def version_adopt(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    """The board has adopted a draft version: when, and in which decision."""
    budget, access = budget_access(request, slug, year, edit=True)
    version = get_object_or_404(BudgetVersion, budget=budget, pk=pk, adopted=False)
    form = AdoptForm(request.POST or None, paragraphs=_paragraph_choices(budget),
                     initial={"decision_reference": version.decision_reference})
    if request.method == "POST" and form.is_valid():
        try:
            budget_services.budget_version_adopt(
                version=version,
                adopted_on=form.cleaned_data["adopted_on"],
                decision_reference=form.cleaned_data["decision_reference"],
                decided_in=_decided_in(budget, form),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{version.label} är antagen.")
            return redirect("finance:budget", slug, year)
    return render(
        request,
        "finance/version_adopt.html",
        {"budget": budget, "organisation": budget.organisation, "version": version, "form": form},
        status=422 if form.errors else 200,
    )


@require_http_methods(["POST"])
def line_add(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    budget, _access = budget_access(request, slug, year, edit=True)
    form = LineAddForm(request.POST, groups=[(g.pk, g.name) for g in budget.groups.all()], prefix="rad")
    if form.is_valid():
        try:
            line = budget_services.budget_line_add(
                budget=budget,
                group=budget.groups.get(pk=form.cleaned_data["group"]),
                name=form.cleaned_data["name"],
                code=form.cleaned_data["code"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Raden {line.name} är tillagd.")
    else:
        messages.error(request, "Raden kunde inte läggas till: " + " ".join(error_texts(form)))
    return redirect("finance:version_create", slug, year)


@require_http_methods(["GET", "POST"])
def finance_settings(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = visible_organisation(request.user, slug, edit=True)[0]
    current = settings_for(organisation.pk)
    form = SettingsForm(
        request.POST or None,
        initial={
            "deviation_threshold": format_amount(current.deviation_threshold),
            "individual_target_percent": current.individual_target_percent,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            finance_settings_update(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Inställningarna är sparade.")
            return redirect("finance:budgets", slug)
    return render(
        request, "finance/settings.html", {"organisation": organisation, "form": form},
        status=422 if form.errors else 200,
    )
