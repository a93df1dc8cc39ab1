"""Loads the demo budgets (finance.demo.data): Västmanland 2024 with outcomes and forecasts,
Västerås 2022 with its revision, the state's allocation, the NNS fee and the population key.

Idempotent: rows are found by natural keys and saved only when they differ; a line's seed
forecast is added only when the line has no forecast yet, so updates made while trying the
demo stay in the forecast history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model

from board.demo.loader import upsert
from board.models import MemberOrganisation, Organisation
from finance.demo.data import (
    POPULATION_2024,
    REPORT_DATE_2024,
    VASTERAS_2022,
    VASTERAS_OUTCOME_2022_06_10,
    VASTERAS_OUTCOME_DATE,
    VASTERAS_REVISION_NOTE,
    VASTMANLAND_2024,
)
from finance.models import (
    Budget,
    BudgetAmount,
    BudgetGroup,
    BudgetLine,
    BudgetVersion,
    ContributionKey,
    FinanceSettings,
    ForecastEntry,
    Outcome,
    StateAllocation,
)
from minutes.drafting.selectors import decision_paragraphs


def _organisation(slug: str, name: str) -> Organisation:
    return Organisation.objects.filter(slug=slug).first() or Organisation.objects.create(slug=slug, name=name)


def _paragraph(organisation: Organisation, day: dt.date, number: int) -> Any:
    """The minutes paragraph of a decision, when the minutes demo has it."""
    paragraphs = decision_paragraphs(organisation, [day.year])
    return next((p for p in paragraphs if p.meeting.date == day and p.number == number), None)


def _groups_and_lines(budget: Budget, spec: list[tuple[str, str, list[tuple[Any, ...]]]]) -> dict[str, BudgetLine]:
    lines: dict[str, BudgetLine] = {}
    for g_order, (kind, group_name, rows) in enumerate(spec, start=1):
        group = upsert(BudgetGroup, {"kind": kind, "order": g_order * 10}, budget=budget, name=group_name)
        for l_order, row in enumerate(rows, start=1):
            code, name = row[0], row[1]
            lines[code] = upsert(
                BudgetLine, {"group": group, "name": name, "order": g_order * 100 + l_order}, budget=budget, code=code
            )
    return lines


def _amounts(version: BudgetVersion, values: dict[str, int], lines: dict[str, BudgetLine]) -> None:
    for code, value in values.items():
        upsert(BudgetAmount, {"amount": Decimal(value)}, version=version, line=lines[code])


def load_vastmanland(stdout: TextIO) -> Budget:
    org = _organisation("vastmanland", "Samordningsförbundet Västmanland")
    upsert(FinanceSettings, {"deviation_threshold": Decimal(50_000), "individual_target_percent": Decimal(60)}, organisation=org)
    budget = upsert(Budget, {"title": "Budget 2024"}, organisation=org, year=2024)
    lines = _groups_and_lines(budget, VASTMANLAND_2024)
    version = upsert(
        BudgetVersion,
        {
            "label": "Budget 2024",
            "adopted": True,
            "adopted_on": None,
            "decision_reference": "Interimsstyrelsen hösten 2023; fastställd av styrelsen 2024",
        },
        budget=budget,
        number=1,
    )
    rows = [row for _, _, group_rows in VASTMANLAND_2024 for row in group_rows]
    _amounts(version, {r[0]: r[2] for r in rows}, lines)
    author = get_user_model().objects.filter(username="forbundschef").first()
    for code, _name, _budget, outcome, forecast, comment in rows:
        upsert(Outcome, {"amount": Decimal(outcome)}, line=lines[code], date=REPORT_DATE_2024)
        if not ForecastEntry.objects.filter(line=lines[code]).exists():
            ForecastEntry.objects.create(line=lines[code], amount=Decimal(forecast), comment=comment, author=author)
    # Seed 000 § 28 (allocation) and seed 004 § 57 (NNS fee).
    upsert(
        StateAllocation,
        {"amount": Decimal(9_519_000), "nns_fee_per_mille": Decimal("2"), "nns_fee_proposed_per_mille": Decimal("3.5")},
        organisation=org,
        year=2024,
    )
    for name, population in POPULATION_2024.items():
        member = MemberOrganisation.objects.filter(name=name).first()
        if member is None:
            member = MemberOrganisation.objects.create(name=name, kind=MemberOrganisation.Kind.MUNICIPALITY)
        upsert(ContributionKey, {"population": population}, organisation=org, year=2024, member=member)
    stdout.write(f"  ekonomi: {org.name}, budget 2024 med utfall {REPORT_DATE_2024:%Y-%m-%d} och prognos\n")
    return budget


def load_vasteras(stdout: TextIO) -> Budget:
    org = _organisation("vasteras", "Samordningsförbundet Västerås")
    budget = upsert(Budget, {"title": "Budget 2022"}, organisation=org, year=2022)
    lines = _groups_and_lines(budget, VASTERAS_2022)
    rows = [row for _, _, group_rows in VASTERAS_2022 for row in group_rows]
    original = upsert(
        BudgetVersion,
        {"label": "Budget 2022", "adopted": True, "adopted_on": None, "decision_reference": "VP och budget 2022"},
        budget=budget,
        number=1,
    )
    _amounts(original, {r[0]: r[2] for r in rows}, lines)
    revised_on = dt.date(2022, 6, 17)
    revised = upsert(
        BudgetVersion,
        {
            "label": "Reviderad budget 2022-06-17",
            "adopted": True,
            "adopted_on": revised_on,
            "decision_reference": "§ 7, styrelsemöte 2022-06-17",
            "decided_in": _paragraph(org, revised_on, 7),
            "note": VASTERAS_REVISION_NOTE,
        },
        budget=budget,
        number=2,
    )
    _amounts(revised, {r[0]: r[3] for r in rows}, lines)
    for code, amount in VASTERAS_OUTCOME_2022_06_10.items():
        upsert(Outcome, {"amount": Decimal(amount)}, line=lines[code], date=VASTERAS_OUTCOME_DATE)
    stdout.write(f"  ekonomi: {org.name}, budget 2022 och reviderad budget 2022-06-17\n")
    return budget


def load(*, stdout: TextIO) -> None:
    load_vastmanland(stdout)
    load_vasteras(stdout)
