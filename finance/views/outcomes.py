"""Outcomes: typed per line for a reporting date, or imported from the accounting system
(upload, map columns, preview, save; the steps are finance.imports)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from board.forms import add_service_errors
from finance.forms import (
    ImportMappingForm,
    ImportUploadForm,
    OutcomeDateForm,
)
from finance.imports import (
    IMPORT_MAX_COLUMNS,
    outcome_import_commit,
    outcome_import_map,
    outcome_import_preview,
    outcome_import_start,
)
from finance.models import (
    BudgetLine,
    Outcome,
    OutcomeImport,
)
from finance.services.outcomes import IMPORT_MAX_ROWS_TEXT, outcomes_record

from .common import budget_access


@require_http_methods(["GET", "POST"])
def outcome_entry(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Type the outcome per line for a reporting date; all lines are saved together or none."""
    budget, access = budget_access(request, slug, year, edit=True)
    lines = list(BudgetLine.objects.filter(budget=budget).select_related("group").order_by("order", "pk"))
    raw_date = request.POST.get("date") or request.GET.get("datum") or ""
    date_form = OutcomeDateForm(request.POST if request.method == "POST" else {"date": raw_date} if raw_date else None)
    day = date_form.cleaned_data["date"] if date_form.is_bound and date_form.is_valid() else None
    existing = dict(Outcome.objects.filter(line__budget=budget, date=day).order_by().values_list("line_id", "amount")) if day else {}
    values: dict[int, str] = {}
    if request.method == "POST":
        values = {line.pk: request.POST.get(f"rad-{line.pk}", "").strip() for line in lines}
        if day is not None:  # otherwise the date's error is on the form
            rows = [(i, line.code, values[line.pk], None) for i, line in enumerate(lines, start=1) if values[line.pk]]
            try:
                outcomes_record(budget=budget, date=day, rows=rows, actor=request.user, source="webbformulär")
            except ValidationError as exc:
                add_service_errors(date_form, exc)  # the rows' errors above the form, the date's on it
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
         "access": access},
        status=422 if request.method == "POST" and date_form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    budget, access = budget_access(request, slug, year, edit=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imp = outcome_import_start(
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
         "max_rows": IMPORT_MAX_ROWS_TEXT, "max_columns": IMPORT_MAX_COLUMNS},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    """Step 2 and 3: map columns, see every row with its problems, then save."""
    budget, access = budget_access(request, slug, year, edit=True)
    imp = get_object_or_404(OutcomeImport, budget=budget, pk=pk)
    preview = outcome_import_preview(imp=imp)
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
                saved = outcome_import_commit(imp=imp, actor=request.user)
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
                    outcome_import_map(
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
