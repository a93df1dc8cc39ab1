"""Finance pages. Thin: find the budget the user may see (404 otherwise), call a service, render.

Who may do what: board members, auditors and the office read (Action.VIEW); the förbundschef
and the ekonom change outcomes and forecasts (Action.EDIT_FINANCE); anyone may read adopted
budgets when the association has made them public (Organisation.budgets_public).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_http_methods

from board.documents.services import BROKER_UNREACHABLE
from board.formatting import format_amount
from board.forms import add_service_errors, error_texts
from board.models import Organisation
from board.permissions import Action, can, organisation_or_404
from config.http import HtmxHttpRequest

from . import services
from .charts import build_chart
from .contributions import contribution_table
from .excel import report_xlsx
from .forms import (
    AdoptForm,
    BudgetCreateForm,
    ContributionsForm,
    DecisionForm,
    ForecastForm,
    ImportMappingForm,
    ImportUploadForm,
    LineAddForm,
    OutcomeDateForm,
    SettingsForm,
    VersionForm,
)
from .models import (
    Budget,
    BudgetAmount,
    BudgetLine,
    BudgetVersion,
    ContributionKey,
    Equity,
    ForecastEntry,
    Outcome,
    OutcomeImport,
    StateAllocation,
)
from .pdf import current_document, report_request
from .reports import Report, build_report, settings_for
from .selectors import visible_budget, visible_organisation


class Access:
    """What the current user may do with one association's finances."""

    def __init__(self, request: HttpRequest, organisation: Organisation, public_only: bool) -> None:
        self.public_only = public_only
        self.can_view = not public_only
        self.can_edit = self.can_view and can(request.user, Action.EDIT_FINANCE, organisation)


def _organisation_for(request: HttpRequest, slug: str) -> tuple[Organisation, Access]:
    organisation, public_only = visible_organisation(request.user, slug)
    return organisation, Access(request, organisation, public_only)


def _budget_for(request: HttpRequest, slug: str, year: int, *, edit: bool = False) -> tuple[Budget, Access]:
    """The budget, if the user may see it; 404 for outsiders, 403 for readers who try to edit."""
    budget, public_only = visible_budget(request.user, slug, year, edit=edit)
    return budget, Access(request, budget.organisation, public_only)


def _report(request: HttpRequest, budget: Budget, access: Access) -> Report:
    day = _parse_day(request.GET.get("utfall", ""))
    return build_report(budget, outcome_date=day, adopted_only=access.public_only)


def _report_context(report: Report, access: Access) -> dict[str, Any]:
    return {
        "report": report,
        "budget": report.budget,
        "organisation": report.budget.organisation,
        "access": access,
        "columns": len(report.versions) + 5 + (1 if access.can_edit else 0),
    }


def budget_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, access = _organisation_for(request, slug)
    budgets = Budget.objects.filter(organisation=organisation).order_by("-year")
    if access.public_only:
        budgets = budgets.filter(versions__adopted=True).distinct()
    return render(
        request,
        "finance/budget_list.html",
        {"organisation": organisation, "budgets": budgets.prefetch_related("versions"), "access": access},
    )


def budget_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    budget, access = _budget_for(request, slug, year)
    report = _report(request, budget, access)
    context = _report_context(report, access)
    context["chart"] = build_chart(report)
    context["balance"] = report.balance
    context["pdf_document"] = current_document(budget) if access.can_view else None
    return render(request, "finance/budget_detail.html", context)


def budget_excel(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    budget, access = _budget_for(request, slug, year)
    report = _report(request, budget, access)
    response = HttpResponse(
        report_xlsx(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="budget-{budget.organisation.slug}-{year}.xlsx"'
    return response


@require_http_methods(["POST"])
def budget_pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Ask for the sealed PDF of the table as it is now; the page shows its status."""
    budget, access = _budget_for(request, slug, year)
    if not access.can_view:
        raise Http404
    if report_request(budget=budget, actor=request.user).broker_unreachable:
        messages.warning(request, f"PDF:en är beställd. {BROKER_UNREACHABLE}")
    else:
        messages.info(request, "PDF:en skapas i bakgrunden och visas här när den är klar.")
    return redirect(reverse("finance:budget", args=[slug, year]) + "#pdf")


def _line_for(budget: Budget, code: str) -> BudgetLine:
    return get_object_or_404(BudgetLine.objects.select_related("group"), budget=budget, code=code)


def _row_of(report: Report, line: BudgetLine) -> Any:
    return next(r for r in report.rows if r.line.pk == line.pk)


@require_http_methods(["GET", "POST"])
def line_detail(request: HtmxHttpRequest, slug: str, year: int, code: str) -> HttpResponse:
    """A line's forecast history, outcomes and (for director and accountant) the forecast form.

    With HTMX the form opens in place in the table row and a saved forecast redraws the table;
    without JavaScript this is an ordinary page and an ordinary POST.
    """
    budget, access = _budget_for(request, slug, year, edit=request.method == "POST")
    line = _line_for(budget, code)
    latest = ForecastEntry.objects.filter(line=line).order_by("-id").first()
    fragment = request.htmx and request.GET.get("fragment") == "rad"
    form: ForecastForm | None = None
    status = 200
    if request.method == "POST":
        form = ForecastForm(request.POST)
        if form.is_valid():
            try:
                services.forecast_update(
                    line=line,
                    amount=form.cleaned_data["amount"],
                    comment=form.cleaned_data["comment"],
                    based_on=form.cleaned_data["based_on"],
                    actor=request.user,
                )
            except services.ForecastConflict as exc:
                # Keep what the user typed; point the form at the entry they have now seen.
                data = request.POST.copy()
                data["based_on"] = str(exc.current.pk)
                form = ForecastForm(data)
                form.is_valid()
                form.add_error(None, exc.messages[0])
                latest = exc.current
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
                status = 422
            else:
                if request.htmx:
                    report = _report(request, budget, access)
                    return render(request, "finance/_report.html", {**_report_context(report, access), "updated": line.pk})
                messages.success(request, f"Prognosen för {line.name} är sparad.")
                return redirect(reverse("finance:budget", args=[slug, year]) + f"#rad-{line.code}")
        else:
            status = 422
        if request.htmx:
            report = _report(request, budget, access)
            response = render(
                request,
                "finance/_forecast_row.html",
                {**_report_context(report, access), "row": _row_of(report, line), "form": form},
                status=200,  # HTMX swaps only 2xx answers by default; the form carries the error
            )
            response["HX-Retarget"] = f"#rad-{line.code}"
            response["HX-Reswap"] = "outerHTML"
            return response
    elif access.can_edit:
        form = ForecastForm(
            initial={
                "amount": format_amount(latest.amount, decimals=_decimals(latest.amount)) if latest else None,
                "comment": latest.comment if latest else "",
                "based_on": latest.pk if latest else None,
            }
        )
    report = _report(request, budget, access)
    row = _row_of(report, line)
    if form is not None and not form.is_bound and latest is None:
        form.initial["amount"] = format_amount(row.budget, decimals=_decimals(row.budget))
    if fragment and form is not None:
        return render(request, "finance/_forecast_row.html", {**_report_context(report, access), "row": row, "form": form})
    history = [
        (entry, entry.amount - row.budget)
        for entry in ForecastEntry.objects.filter(line=line).select_related("author").order_by("-id")
    ]
    outcomes = list(Outcome.objects.filter(line=line).order_by("date"))
    return render(
        request,
        "finance/line_detail.html",
        {
            **_report_context(report, access),
            "line": line,
            "row": row,
            "form": form,
            "history": history,
            "outcomes": outcomes,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def outcome_entry(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Type the outcome per line for a reporting date; all lines are saved together or none."""
    budget, access = _budget_for(request, slug, year, edit=True)
    lines = list(BudgetLine.objects.filter(budget=budget).select_related("group").order_by("order", "pk"))
    raw_date = request.POST.get("date") or request.GET.get("datum") or ""
    date_form = OutcomeDateForm(request.POST if request.method == "POST" else {"date": raw_date} if raw_date else None)
    day = date_form.cleaned_data["date"] if date_form.is_bound and date_form.is_valid() else None
    existing = dict(Outcome.objects.filter(line__budget=budget, date=day).values_list("line_id", "amount")) if day else {}
    errors: list[str] = []
    values: dict[int, str] = {}
    if request.method == "POST":
        values = {line.pk: request.POST.get(f"rad-{line.pk}", "").strip() for line in lines}
        if day is None:
            errors.append("Ange ett giltigt datum (ÅÅÅÅ-MM-DD).")
        else:
            rows = [(i, line.code, values[line.pk], None) for i, line in enumerate(lines, start=1) if values[line.pk]]
            try:
                services.outcomes_record(budget=budget, date=day, rows=rows, actor=request.user, source="webbformulär")
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, f"Utfallet per {day:%Y-%m-%d} är sparat.")
                return redirect(reverse("finance:budget", args=[slug, year]) + f"?utfall={day:%Y-%m-%d}")
    fields = [
        {"line": line, "name": f"rad-{line.pk}", "value": values.get(line.pk, existing.get(line.pk, ""))}
        for line in lines
    ]
    return render(
        request,
        "finance/outcome_entry.html",
        {"budget": budget, "organisation": budget.organisation, "date_form": date_form, "fields": fields,
         "errors": errors, "access": access},
        status=422 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    budget, access = _budget_for(request, slug, year, edit=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imp = services.outcome_import_start(
                budget=budget, filename=upload.name, content=upload.read(), date=form.cleaned_data["date"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("finance:import_preview", slug, year, imp.pk)
    return render(
        request,
        "finance/import_start.html",
        {"budget": budget, "organisation": budget.organisation, "form": form, "access": access,
         "max_rows": services.IMPORT_MAX_ROWS_TEXT, "max_columns": services.IMPORT_MAX_COLUMNS},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    """Step 2 and 3: map columns, see every row with its problems, then save."""
    budget, access = _budget_for(request, slug, year, edit=True)
    imp = get_object_or_404(OutcomeImport, budget=budget, pk=pk)
    preview = services.outcome_import_preview(imp=imp)
    initial = {
        "line_column": imp.line_column,
        "amount_column": imp.amount_column,
        "year_column": imp.year_column,
        "costs_positive": imp.costs_positive,
    }
    form = ImportMappingForm(initial=initial, header=preview.header)
    commit_errors: list[str] = []
    status = 200
    if request.method == "POST" and imp.committed_at is None:
        if request.POST.get("action") == "spara":
            try:
                saved = services.outcome_import_commit(imp=imp, actor=request.user)
            except ValidationError as exc:
                commit_errors = exc.messages
                status = 422
            else:
                messages.success(request, f"{len(saved)} utfallsrader per {imp.date:%Y-%m-%d} är sparade.")
                return redirect(reverse("finance:budget", args=[slug, year]) + f"?utfall={imp.date:%Y-%m-%d}")
        else:
            form = ImportMappingForm(request.POST, header=preview.header)
            if form.is_valid():
                try:
                    services.outcome_import_map(
                        imp=imp,
                        line_column=form.cleaned_data["line_column"],
                        amount_column=form.cleaned_data["amount_column"],
                        year_column=form.cleaned_data["year_column"],
                        costs_positive=form.cleaned_data["costs_positive"],
                        actor=request.user,
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                    status = 422
                else:
                    return redirect("finance:import_preview", slug, year, imp.pk)
            else:
                status = 422
    return render(
        request,
        "finance/import_preview.html",
        {
            "budget": budget,
            "organisation": budget.organisation,
            "imp": imp,
            "form": form,
            "preview": preview,
            "commit_errors": commit_errors,
            "access": access,
        },
        status=status,
    )


def contributions(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Medlemsinsats for a year, the NNS fee and equity at each year end (readers only)."""
    organisation = organisation_or_404(request.user, slug)
    table = contribution_table(organisation.pk, year)
    equity = list(Equity.objects.filter(organisation=organisation).order_by("year"))
    return render(
        request,
        "finance/contributions.html",
        {
            "organisation": organisation,
            "year": year,
            "table": table,
            "equity": equity,
            "can_edit": can(request.user, Action.EDIT_FINANCE, organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def contributions_edit(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The state's allocation, the NNS fee, the population key and last year's equity."""
    from board.models import MemberOrganisation, Membership

    organisation = visible_organisation(request.user, slug, edit=True)[0]
    members = {
        m.member.pk: m.member
        for m in Membership.objects.active_on(dt.date(year, 1, 1))
        .filter(organisation=organisation, member__kind=MemberOrganisation.Kind.MUNICIPALITY)
        .select_related("member")
        .order_by("member__name")
    }
    keys: dict[int, int] = {}
    # Municipalities in last year's key but no longer members still show, so nothing is hidden.
    for key in ContributionKey.objects.filter(organisation=organisation, year=year).select_related("member"):
        keys[key.member_id] = key.population
        members.setdefault(key.member_id, key.member)
    allocation = StateAllocation.objects.filter(organisation=organisation, year=year).first()
    equity = Equity.objects.filter(organisation=organisation, year=year - 1).first()
    initial: dict[str, Any] = {
        "allocation": format_amount(allocation.amount) if allocation else "",
        "nns_fee_per_mille": allocation.nns_fee_per_mille if allocation else Decimal("2"),
        "nns_fee_proposed_per_mille": allocation.nns_fee_proposed_per_mille if allocation else None,
        "equity_previous_year": format_amount(equity.amount) if equity else "",
        **{f"invanare-{pk}": population for pk, population in keys.items()},
    }
    form = ContributionsForm(
        request.POST or None, initial=initial, municipalities=[(pk, m.name) for pk, m in members.items()]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.contributions_set(
                    organisation=organisation,
                    year=year,
                    allocation=data["allocation"],
                    nns_fee_per_mille=data["nns_fee_per_mille"],
                    nns_fee_proposed_per_mille=data["nns_fee_proposed_per_mille"],
                    populations={members[int(key.split("-")[1])]: data[key] for key in form.municipality_fields},
                    actor=request.user,
                )
                if data["equity_previous_year"] is not None:
                    services.equity_set(
                        organisation=organisation, year=year - 1, amount=data["equity_previous_year"], actor=request.user
                    )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"Medlemsinsatsen för {year} är sparad.")
            return redirect("finance:contributions", slug, year)
    return render(
        request,
        "finance/contributions_edit.html",
        {"organisation": organisation, "year": year, "form": form},
        status=422 if form.errors else 200,
    )


def _decimals(amount: Any) -> int:
    """Show öre in a form only when there are any."""
    return 0 if amount == amount.to_integral_value() else 2


def _parse_day(raw: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return parse_date(raw)
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def budget_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = visible_organisation(request.user, slug, edit=True)[0]
    budgets = {b.year: b for b in Budget.objects.filter(organisation=organisation)}
    form = BudgetCreateForm(request.POST or None, years=sorted(budgets, reverse=True))
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.budget_create(
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
    from minutes.models import Paragraph

    paragraphs = (
        Paragraph.objects.filter(organ__organisation=budget.organisation, year__in=[budget.year - 1, budget.year])
        .select_related("meeting")
        .order_by("-meeting__date", "number")
    )
    return [(p.pk, f"{p.meeting.date:%Y-%m-%d} {p.label} {p.title}"[:120]) for p in paragraphs]


def _decided_in(form: DecisionForm) -> Any:
    """The paragraph chosen in the form (one of the association's, offered by _paragraph_choices)."""
    from minutes.models import Paragraph

    pk = form.cleaned_data["decided_in"]
    return Paragraph.objects.filter(pk=pk).first() if pk else None


@require_http_methods(["GET", "POST"])
def version_create(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The first version of a budget, or a revision: every line's amount, and the decision."""
    budget, access = _budget_for(request, slug, year, edit=True)
    lines = list(BudgetLine.objects.filter(budget=budget).select_related("group").order_by("order", "pk"))
    current = budget.versions.order_by("-number").first()
    amounts = dict(BudgetAmount.objects.filter(version=current).values_list("line_id", "amount")) if current else {}
    paragraphs = _paragraph_choices(budget)
    default_label = f"Reviderad budget {year}" if current else f"Budget {year}"
    form = VersionForm(request.POST or None, initial={"label": default_label}, paragraphs=paragraphs)
    line_form = LineAddForm(groups=[(g.pk, g.name) for g in budget.groups.all()], prefix="rad")
    values = {
        line.pk: request.POST.get(f"belopp-{line.pk}", "") if request.method == "POST"
        else format_amount(amounts.get(line.pk, 0), decimals=_decimals(amounts.get(line.pk, 0)))
        for line in lines
    }
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            version = services.budget_version_create(
                budget=budget,
                label=form.cleaned_data["label"],
                amounts={line.code: values[line.pk] or "0" for line in lines},
                adopted=form.cleaned_data["adopted"],
                adopted_on=form.cleaned_data["adopted_on"],
                decision_reference=form.cleaned_data["decision_reference"],
                decided_in=_decided_in(form),
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
    budget, access = _budget_for(request, slug, year, edit=True)
    version = get_object_or_404(BudgetVersion, budget=budget, pk=pk, adopted=False)
    form = AdoptForm(request.POST or None, paragraphs=_paragraph_choices(budget),
                     initial={"decision_reference": version.decision_reference})
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_version_adopt(
                version=version,
                adopted_on=form.cleaned_data["adopted_on"],
                decision_reference=form.cleaned_data["decision_reference"],
                decided_in=_decided_in(form),
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
    budget, _access = _budget_for(request, slug, year, edit=True)
    form = LineAddForm(request.POST, groups=[(g.pk, g.name) for g in budget.groups.all()], prefix="rad")
    if form.is_valid():
        try:
            line = services.budget_line_add(
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
            services.finance_settings_update(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Inställningarna är sparade.")
            return redirect("finance:budgets", slug)
    return render(
        request, "finance/settings.html", {"organisation": organisation, "form": form},
        status=422 if form.errors else 200,
    )
