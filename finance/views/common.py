"""What every finance page starts with: the budget or association the user may see, what they
may do with it (Access), and the report table's context."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.dateparse import parse_date

from board.models import Organisation
from board.permissions import Action, can
from finance.models import (
    Budget,
)
from finance.reports import Report, build_report
from finance.selectors import visible_budget, visible_organisation


class Access:
    """What the current user may do with one association's finances."""

    def __init__(self, request: HttpRequest, organisation: Organisation, public_only: bool) -> None:
        self.public_only = public_only
        self.can_view = not public_only
        self.can_edit = self.can_view and can(request.user, Action.EDIT_FINANCE, organisation)


def organisation_access(request: HttpRequest, slug: str) -> tuple[Organisation, Access]:
    organisation, public_only = visible_organisation(request.user, slug)
    return organisation, Access(request, organisation, public_only)


def budget_access(request: HttpRequest, slug: str, year: int, *, edit: bool = False) -> tuple[Budget, Access]:
    """The budget, if the user may see it; 404 for outsiders, 403 for readers who try to edit."""
    budget, public_only = visible_budget(request.user, slug, year, edit=edit)
    return budget, Access(request, budget.organisation, public_only)


def report_for(request: HttpRequest, budget: Budget, access: Access) -> Report:
    day = parse_day(request.GET.get("utfall", ""))
    return build_report(budget, outcome_date=day, adopted_only=access.public_only)


def report_context(report: Report, access: Access) -> dict[str, Any]:
    return {
        "report": report,
        "budget": report.budget,
        "organisation": report.budget.organisation,
        "access": access,
        "columns": len(report.versions) + 5 + (1 if access.can_edit else 0),
    }


def decimals_shown(amount: Any) -> int:
    """Show öre in a form only when there are any."""
    return 0 if amount == amount.to_integral_value() else 2


def parse_day(raw: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return parse_date(raw)
    except ValueError:
        return None
