"""Who may see which budget (the pages and the API ask the same), and queries other apps share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from board.models import Organisation
from board.permissions import Action, can

from .models import Budget, BudgetAmount, BudgetLine, ForecastEntry, Outcome


def visible_organisation(user: Any, slug: str, *, edit: bool = False) -> tuple[Organisation, bool]:
    """The association and whether the user sees only what is public (adopted budgets).

    Anyone may read the adopted budgets of an association that publishes them
    (Organisation.budgets_public); otherwise outsiders get 404. Changing anything needs
    Action.EDIT_FINANCE (förbundschef, ekonom): 404 to outsiders, 403 to readers.
    """
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can(user, Action.VIEW, organisation):
        if edit or not organisation.budgets_public:
            raise Http404
        return organisation, True
    if edit and not can(user, Action.EDIT_FINANCE, organisation):
        raise PermissionDenied("Bara förbundschef och ekonom ändrar budget, utfall och prognoser.")
    return organisation, False


def visible_budget(user: Any, slug: str, year: int, *, edit: bool = False) -> tuple[Budget, bool]:
    """The budget and whether the user sees only what is public; 404 for a budget with no
    adopted version to those who see only what is public."""
    organisation, public_only = visible_organisation(user, slug, edit=edit)
    budget = get_object_or_404(Budget.objects.select_related("organisation"), organisation=organisation, year=year)
    if public_only and not budget.versions.filter(adopted=True).exists():
        raise Http404
    return budget, public_only


def budget_for(organisation: Organisation | int, year: int) -> Budget | None:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return Budget.objects.filter(organisation_id=org_id, year=year).first()


def budget_lines(organisation: Organisation | int, year: int) -> QuerySet[BudgetLine]:
    """The lines of the association's budget for a year, in table order, with their group."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return (
        BudgetLine.objects.filter(budget__organisation_id=org_id, budget__year=year)
        .select_related("group")
        .order_by("group__order", "order", "pk")
    )


def current_amounts(budget: Budget) -> dict[int, Decimal]:
    """{line id: amount} in the latest adopted version (the latest version if none is adopted)."""
    version = budget.versions.filter(adopted=True).order_by("-number").first() or budget.versions.order_by(
        "-number"
    ).first()
    if version is None:
        return {}
    return dict(BudgetAmount.objects.filter(version=version).values_list("line_id", "amount"))


def latest_forecast(line: BudgetLine) -> ForecastEntry | None:
    return ForecastEntry.objects.filter(line=line).order_by("-id").first()


def forecast_history(line: BudgetLine, budgeted: Decimal) -> list[tuple[ForecastEntry, Decimal]]:
    """The line's forecasts, newest first, each with its deviation from the budgeted amount."""
    entries = ForecastEntry.objects.filter(line=line).select_related("author__person").order_by("-id")
    return [(entry, entry.amount - budgeted) for entry in entries]


def line_outcomes(line: BudgetLine) -> list[Outcome]:
    return list(Outcome.objects.filter(line=line).order_by("date"))
