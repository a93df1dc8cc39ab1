"""Queries other apps share (interventions links its funding to budget lines by code)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from board.models import Organisation

from .models import Budget, BudgetAmount, BudgetLine


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
