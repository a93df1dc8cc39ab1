"""The association's finance settings and each year's state allocation, population key
(medlemsinsatser) and equity.

Like every finance service: one transaction, the acting user in the history, an audit event
where the act matters.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from board.audit import event_record, save_with_actor
from board.models import MemberOrganisation, Organisation
from finance.models import (
    ContributionKey,
    Equity,
    FinanceSettings,
    StateAllocation,
)

from .amounts import money


@transaction.atomic
def finance_settings_update(
    *,
    organisation: Organisation,
    deviation_threshold: Decimal | None = None,
    individual_target_percent: Decimal | None = None,
    actor: Any,
) -> FinanceSettings:
    settings, _ = FinanceSettings.objects.select_for_update().get_or_create(organisation=organisation)
    if deviation_threshold is not None:
        settings.deviation_threshold = deviation_threshold
    if individual_target_percent is not None:
        if not 0 <= individual_target_percent <= 100:
            raise ValidationError({"individual_target_percent": "Ange en andel mellan 0 och 100 %."})
        settings.individual_target_percent = individual_target_percent
    save_with_actor(settings, actor)
    return settings


@transaction.atomic
def state_allocation_set(
    *,
    organisation: Organisation,
    year: int,
    amount: Decimal,
    nns_fee_per_mille: Decimal = Decimal("2"),
    nns_fee_proposed_per_mille: Decimal | None = None,
    actor: Any,
) -> StateAllocation:
    if amount != amount.to_integral_value():
        raise ValidationError({"amount": "Medelstilldelningen anges i hela kronor."})
    allocation = StateAllocation.objects.filter(organisation=organisation, year=year).first() or StateAllocation(
        organisation=organisation, year=year
    )
    allocation.amount = amount
    allocation.nns_fee_per_mille = nns_fee_per_mille
    allocation.nns_fee_proposed_per_mille = nns_fee_proposed_per_mille
    save_with_actor(allocation, actor)
    return allocation


@transaction.atomic
def contribution_key_set(
    *, organisation: Organisation, year: int, member: MemberOrganisation, population: int, actor: Any
) -> ContributionKey:
    if member.kind != MemberOrganisation.Kind.MUNICIPALITY:
        raise ValidationError({"member": "Fördelningsnyckeln gäller kommunerna."})
    key = ContributionKey.objects.filter(organisation=organisation, year=year, member=member).first() or ContributionKey(
        organisation=organisation, year=year, member=member
    )
    key.population = population
    save_with_actor(key, actor)
    return key


@transaction.atomic
def equity_set(*, organisation: Organisation, year: int, amount: Decimal, actor: Any) -> Equity:
    equity = Equity.objects.filter(organisation=organisation, year=year).first() or Equity(
        organisation=organisation, year=year
    )
    equity.amount = money(amount)
    save_with_actor(equity, actor)
    return equity


@transaction.atomic
def contributions_set(
    *,
    organisation: Organisation,
    year: int,
    allocation: Decimal,
    nns_fee_per_mille: Decimal,
    nns_fee_proposed_per_mille: Decimal | None,
    populations: Mapping[MemberOrganisation, int],
    actor: Any,
) -> StateAllocation:
    """The year's allocation and population key together: all saved, or nothing."""
    if not populations:
        raise ValidationError({"populations": "Ange invånarantal för minst en kommun."})
    if any(p <= 0 for p in populations.values()):
        raise ValidationError({"populations": "Invånarantalet måste vara större än noll."})
    result = state_allocation_set(
        organisation=organisation,
        year=year,
        amount=allocation,
        nns_fee_per_mille=nns_fee_per_mille,
        nns_fee_proposed_per_mille=nns_fee_proposed_per_mille,
        actor=actor,
    )
    for member, population in populations.items():
        contribution_key_set(organisation=organisation, year=year, member=member, population=population, actor=actor)
    event_record(
        verb="finance.contributions_set",
        actor=actor,
        organisation=organisation,
        target=result,
        summary=f"Medelstilldelning och fördelningsnyckel {year}",
    )
    return result
