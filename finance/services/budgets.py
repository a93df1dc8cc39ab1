"""Budgets, their groups and lines, and their versions: drafts, adoption and revisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from board.audit import event_record, save_with_actor
from board.models import Organisation
from finance.models import Budget, BudgetAmount, BudgetGroup, BudgetLine, BudgetVersion

from .amounts import money, parse_amount

DEFAULT_GROUPS: list[tuple[str, str]] = [
    (BudgetGroup.Kind.INCOME, "Intäkter"),
    (BudgetGroup.Kind.BOARD, "Styrelse"),
    (BudgetGroup.Kind.ADMINISTRATION, "Administration"),
    (BudgetGroup.Kind.INDIVIDUAL, "Individinsatser"),
    (BudgetGroup.Kind.STRUCTURAL, "Strukturpåverkande insatser"),
]


@transaction.atomic
def budget_create(
    *,
    organisation: Organisation,
    year: int,
    title: str = "",
    default_groups: bool = True,
    copy_from: Budget | None = None,
    actor: Any,
) -> Budget:
    """A new budget with the standard groups, or with the groups and lines of `copy_from`."""
    if Budget.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError({"year": f"Det finns redan en budget för {year}."})
    if copy_from is not None and copy_from.organisation_id != organisation.pk:
        raise ValidationError({"copy_from": "Budgeten att kopiera hör till ett annat förbund."})
    budget = Budget(organisation=organisation, year=year, title=title or f"Budget {year}")
    save_with_actor(budget, actor)
    if copy_from is not None:
        groups: dict[int, BudgetGroup] = {}
        for old in copy_from.groups.order_by("order", "pk"):
            groups[old.pk] = BudgetGroup(budget=budget, kind=old.kind, name=old.name, order=old.order)
            save_with_actor(groups[old.pk], actor)
        for line in copy_from.lines.order_by("order", "pk"):
            save_with_actor(
                BudgetLine(budget=budget, group=groups[line.group_id], code=line.code, name=line.name, order=line.order),
                actor,
            )
    elif default_groups:
        for order, (kind, name) in enumerate(DEFAULT_GROUPS, start=1):
            save_with_actor(BudgetGroup(budget=budget, kind=kind, name=name, order=order * 10), actor)
    event_record(verb="budget.created", actor=actor, organisation=organisation, target=budget, summary=str(budget))
    return budget


@transaction.atomic
def budget_group_add(*, budget: Budget, kind: str, name: str, order: int | None = None, actor: Any) -> BudgetGroup:
    if order is None:
        order = (budget.groups.aggregate(m=Max("order"))["m"] or 0) + 10
    group = BudgetGroup(budget=budget, kind=kind, name=name, order=order)
    save_with_actor(group, actor)
    return group


@transaction.atomic
def budget_line_add(
    *, budget: Budget, group: BudgetGroup, name: str, code: str = "", order: int | None = None, actor: Any
) -> BudgetLine:
    if group.budget_id != budget.pk:
        raise ValidationError({"group": "Gruppen hör till en annan budget."})
    code = code or slugify(name)
    if not code:
        raise ValidationError({"code": "Raden behöver en kod."})
    if budget.lines.filter(code=code).exists():
        raise ValidationError({"code": f"Koden {code} används redan i budgeten."})
    if order is None:
        order = (budget.lines.aggregate(m=Max("order"))["m"] or 0) + 10
    line = BudgetLine(budget=budget, group=group, code=code, name=name, order=order)
    save_with_actor(line, actor)
    return line


def lines_by_key(budget: Budget) -> dict[str, BudgetLine]:
    """Lines by code and by lower-cased name, for exports and the API."""
    found: dict[str, BudgetLine] = {}
    for line in budget.lines.all():
        found[line.code.lower()] = line
        found.setdefault(line.name.strip().casefold(), line)
    return found


def _resolve_amounts(budget: Budget, amounts: Mapping[str, Decimal | int | str]) -> dict[int, Decimal]:
    lines = lines_by_key(budget)
    resolved: dict[int, Decimal] = {}
    errors: list[str] = []
    for key, raw in amounts.items():
        line = lines.get(str(key).strip().casefold())
        value = parse_amount(raw)
        if line is None:
            errors.append(f"Okänd budgetrad: {key}.")
        elif value is None:
            errors.append(f"{line.name}: {raw!r} är inte ett belopp.")
        else:
            resolved[line.pk] = money(value)
    if errors:
        raise ValidationError({"amounts": errors})
    return resolved


def _check_adoption(adopted: bool, adopted_on: dt.date | None) -> None:
    if adopted_on is not None and not adopted:
        raise ValidationError({"adopted_on": "Ett datum för antagande kräver att versionen är antagen."})


@transaction.atomic
def budget_version_create(
    *,
    budget: Budget,
    label: str,
    amounts: Mapping[str, Decimal | int | str],
    adopted: bool = False,
    adopted_on: dt.date | None = None,
    decision_reference: str = "",
    decided_in: Any = None,
    note: str = "",
    actor: Any,
) -> BudgetVersion:
    """A new version. Lines left out keep the amount of the previous version (a revision
    only names what it changes); in the first version they are 0."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    _check_adoption(adopted, adopted_on)
    resolved = _resolve_amounts(budget, amounts)
    previous = budget.versions.order_by("-number").first()
    version = BudgetVersion(
        budget=budget,
        number=(previous.number + 1) if previous else 1,
        label=label,
        adopted=adopted,
        adopted_on=adopted_on,
        decision_reference=decision_reference,
        note=note,
    )
    _set_decided_in(version, decided_in)
    save_with_actor(version, actor)
    carried = dict(previous.amounts.values_list("line_id", "amount")) if previous else {}
    for line_id, amount in {**carried, **resolved}.items():
        save_with_actor(BudgetAmount(version=version, line_id=line_id, amount=amount), actor)
    event_record(
        verb="budget.revised" if version.is_revision else "budget.version_created",
        actor=actor,
        organisation=budget.organisation,
        target=version,
        summary=str(version),
        data={"changed": {str(k): str(v) for k, v in resolved.items()}},
    )
    return version


def budget_revise(
    *,
    budget: Budget,
    label: str,
    changes: Mapping[str, Decimal | int | str],
    adopted_on: dt.date | None,
    decision_reference: str = "",
    decided_in: Any = None,
    actor: Any,
) -> BudgetVersion:
    """A revised budget adopted by its own decision; earlier versions stay as they were."""
    if not budget.versions.exists():
        raise ValidationError({"label": "Budgeten har ingen ursprunglig version att revidera."})
    return budget_version_create(
        budget=budget,
        label=label,
        amounts=changes,
        adopted=True,
        adopted_on=adopted_on,
        decision_reference=decision_reference,
        decided_in=decided_in,
        actor=actor,
    )


def _set_decided_in(version: BudgetVersion, decided_in: Any) -> None:
    if decided_in is None:
        return
    if decided_in.organ.organisation_id != version.budget.organisation_id:
        raise ValidationError({"decided_in": "Paragrafen hör till ett annat förbunds protokoll."})
    version.decided_in = decided_in


@transaction.atomic
def budget_version_adopt(
    *,
    version: BudgetVersion,
    adopted_on: dt.date,
    decision_reference: str = "",
    decided_in: Any = None,
    actor: Any,
) -> BudgetVersion:
    """The board adopted a draft version (a first budget or a revision) on `adopted_on`."""
    version = BudgetVersion.objects.select_for_update().select_related("budget__organisation").get(pk=version.pk)
    if version.adopted:
        raise ValidationError("Versionen är redan antagen.")
    later = version.budget.versions.filter(number__gt=version.number, adopted=True).order_by("number").first()
    if later is not None:
        raise ValidationError(
            f"{later.label} är antagen efter det här utkastet. Gör en ny revidering i stället för att anta utkastet."
        )
    version.adopted = True
    version.adopted_on = adopted_on
    version.decision_reference = decision_reference or version.decision_reference
    _set_decided_in(version, decided_in)
    save_with_actor(version, actor)
    event_record(
        verb="budget.adopted", actor=actor, organisation=version.budget.organisation, target=version, summary=str(version)
    )
    return version


@transaction.atomic
def budget_amount_set(*, version: BudgetVersion, line: BudgetLine, amount: Decimal, actor: Any) -> BudgetAmount:
    """Change a draft version's amount. An adopted version is history: revise instead."""
    version = BudgetVersion.objects.select_for_update().get(pk=version.pk)
    if version.adopted:
        raise ValidationError({"amount": "En antagen budgetversion ändras inte; gör en revidering."})
    if line.budget_id != version.budget_id:
        raise ValidationError({"line": "Raden hör till en annan budget."})
    row = BudgetAmount.objects.filter(version=version, line=line).first() or BudgetAmount(version=version, line=line)
    row.amount = money(amount)
    save_with_actor(row, actor)
    return row


