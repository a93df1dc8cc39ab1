"""Medlemsinsats: the year's state allocation, NNS fee, population key and equity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from board.formatting import format_amount
from board.models import MemberOrganisation, Membership
from board.permissions import Action, can, organisation_or_404
from finance.contributions import contribution_table
from finance.forms import (
    ContributionsForm,
)
from finance.models import (
    ContributionKey,
    Equity,
    StateAllocation,
)
from finance.selectors import visible_organisation
from finance.services.allocations import contributions_set, equity_set


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
                contributions_set(
                    organisation=organisation,
                    year=year,
                    allocation=data["allocation"],
                    nns_fee_per_mille=data["nns_fee_per_mille"],
                    nns_fee_proposed_per_mille=data["nns_fee_proposed_per_mille"],
                    populations={members[int(key.split("-")[1])]: data[key] for key in form.municipality_fields},
                    actor=request.user,
                )
                if data["equity_previous_year"] is not None:
                    equity_set(
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
