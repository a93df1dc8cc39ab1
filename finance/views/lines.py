"""One budget line: its forecast history and outcomes, and the forecast form.

With HTMX the form opens in place in the table row and a saved forecast redraws the table;
without JavaScript the same view is an ordinary page and an ordinary POST.
"""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from board.formatting import format_amount
from config.http import HtmxHttpRequest
from finance.forms import ForecastForm
from finance.models import Budget, BudgetLine, ForecastEntry
from finance.reports import Report, Row
from finance.selectors import forecast_history, latest_forecast, line_outcomes
from finance.services.forecasts import ForecastConflict, forecast_update

from .common import Access, budget_access, decimals_shown, report_context, report_for


@require_http_methods(["GET", "POST"])
def line_detail(request: HtmxHttpRequest, slug: str, year: int, code: str) -> HttpResponse:
    """A line's forecast history, outcomes and (for director and accountant) the forecast form."""
    budget, access = budget_access(request, slug, year, edit=request.method == "POST")
    line = get_object_or_404(BudgetLine.objects.select_related("group"), budget=budget, code=code)
    latest = latest_forecast(line)
    form: ForecastForm | None = None
    status = HTTPStatus.OK
    if request.method == "POST":
        form, status, latest = _forecast_save(request, line, latest)
        if status == HTTPStatus.OK:
            return _forecast_saved(request, budget, access, line)
        if request.htmx:
            return _form_in_row(request, report_for(request, budget, access), access, line, form, retarget=True)
    elif access.can_edit:
        form = _forecast_form(latest)
    report = report_for(request, budget, access)
    row = _row_of(report, line)
    if form is not None and not form.is_bound and latest is None:
        form.initial["amount"] = _amount_text(row.budget)
    if form is not None and request.htmx and request.GET.get("fragment") == "rad":
        return _form_in_row(request, report, access, line, form)
    return render(
        request,
        "finance/line_detail.html",
        {
            **report_context(report, access),
            "line": line,
            "row": row,
            "form": form,
            "history": forecast_history(line, row.budget),
            "outcomes": line_outcomes(line),
        },
        status=status,
    )


def _forecast_save(
    request: HtmxHttpRequest, line: BudgetLine, latest: ForecastEntry | None
) -> tuple[ForecastForm, HTTPStatus, ForecastEntry | None]:
    """Save the posted forecast: OK when saved, CONFLICT when someone else changed the forecast
    meanwhile (the form then points at their entry, which becomes the latest shown),
    UNPROCESSABLE_ENTITY when the form or the service refuses it."""
    form = ForecastForm(request.POST)
    if not form.is_valid():
        return form, HTTPStatus.UNPROCESSABLE_ENTITY, latest
    try:
        forecast_update(
            line=line,
            amount=form.cleaned_data["amount"],
            comment=form.cleaned_data["comment"],
            based_on=form.cleaned_data["based_on"],
            actor=request.user,
        )
    except ForecastConflict as exc:
        # Keep what the user typed; point the form at the entry they have now seen.
        data = request.POST.copy()
        data["based_on"] = str(exc.current.pk)
        form = ForecastForm(data)
        form.is_valid()
        form.add_error(None, exc.messages[0])
        return form, HTTPStatus.CONFLICT, exc.current
    except ValidationError as exc:
        form.add_error(None, exc.messages[0])
        return form, HTTPStatus.UNPROCESSABLE_ENTITY, latest
    return form, HTTPStatus.OK, latest


def _forecast_saved(request: HtmxHttpRequest, budget: Budget, access: Access, line: BudgetLine) -> HttpResponse:
    """With HTMX the redrawn table with the line marked; otherwise back to the table."""
    if request.htmx:
        report = report_for(request, budget, access)
        return render(request, "finance/_report.html", {**report_context(report, access), "updated": line.pk})
    messages.success(request, f"Prognosen för {line.name} är sparad.")
    return redirect(reverse("finance:budget", args=[budget.organisation.slug, budget.year]) + f"#rad-{line.code}")


def _form_in_row(
    request: HtmxHttpRequest, report: Report, access: Access, line: BudgetLine, form: ForecastForm,
    *, retarget: bool = False,
) -> HttpResponse:
    """The table row with the forecast form in it. A refused POST answers 200 (HTMX swaps only
    2xx answers by default; the form carries the error) and retargets the swap to the row.
    Opened in place, the amount takes the focus (HTMX focuses [autofocus] in what it swaps
    in); a refused form's error summary takes it instead."""
    if not form.errors:
        form.fields["amount"].widget.attrs["autofocus"] = True
    response = render(
        request,
        "finance/_forecast_row.html",
        {**report_context(report, access), "row": _row_of(report, line), "form": form},
    )
    if retarget:
        response["HX-Retarget"] = f"#rad-{line.code}"
        response["HX-Reswap"] = "outerHTML"
    return response


def _forecast_form(latest: ForecastEntry | None) -> ForecastForm:
    """The form filled in from the latest forecast (from the budget when there is none yet)."""
    return ForecastForm(
        initial={
            "amount": _amount_text(latest.amount) if latest else None,
            "comment": latest.comment if latest else "",
            "based_on": latest.pk if latest else None,
        }
    )


def _amount_text(amount: Decimal) -> str:
    return format_amount(amount, decimals=decimals_shown(amount))


def _row_of(report: Report, line: BudgetLine) -> Row:
    return next(r for r in report.rows if r.line.pk == line.pk)
