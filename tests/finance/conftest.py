"""Finance fixtures: a small budget of the shared test association `org`."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from finance.models import Budget, BudgetGroup
from finance.services.budgets import budget_create, budget_line_add, budget_version_create


@pytest.fixture
def budget(org, director) -> Budget:
    """Budget 2024 of `org`: one income line, one line per cost group, adopted."""
    b = budget_create(organisation=org, year=2024, actor=director)
    groups = {g.kind: g for g in b.groups.all()}
    for kind, code, name in [
        (BudgetGroup.Kind.INCOME, "medel", "Medel från huvudmännen"),
        (BudgetGroup.Kind.BOARD, "styrelse", "Styrelse"),
        (BudgetGroup.Kind.ADMINISTRATION, "administration", "Administration"),
        (BudgetGroup.Kind.INDIVIDUAL, "team-a", "Samordningsteam A"),
        (BudgetGroup.Kind.INDIVIDUAL, "team-b", "Samordningsteam B"),
        (BudgetGroup.Kind.STRUCTURAL, "mgt", "Myndighetsgemensamt team"),
    ]:
        budget_line_add(budget=b, group=groups[kind], code=code, name=name, actor=director)
    budget_version_create(
        budget=b,
        label="Budget 2024",
        amounts={
            "medel": Decimal(1_000_000),
            "styrelse": Decimal(-50_000),
            "administration": Decimal(-150_000),
            "team-a": Decimal(-400_000),
            "team-b": Decimal(-200_000),
            "mgt": Decimal(-200_000),
        },
        adopted=True,
        actor=director,
    )
    return b


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

