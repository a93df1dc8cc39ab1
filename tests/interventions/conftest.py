"""Interventions fixtures: a 2024 budget of the test association, an intervention funded by
one of its lines, and a board meeting to take decisions at."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from finance.models import Budget, BudgetGroup
from finance.services.budgets import budget_create, budget_line_add, budget_version_create
from interventions.models import Intervention
from interventions.services.registry import funding_link, intervention_create
from minutes.drafting import services as minutes_services


@pytest.fixture
def budget(org, director) -> Budget:
    b = budget_create(organisation=org, year=2024, actor=director)
    groups = {g.kind: g for g in b.groups.all()}
    for kind, code, name in [
        (BudgetGroup.Kind.INCOME, "medel", "Medel från huvudmännen"),
        (BudgetGroup.Kind.INDIVIDUAL, "team-a", "Samordningsteam A"),
        (BudgetGroup.Kind.INDIVIDUAL, "team-b", "Samordningsteam B"),
    ]:
        budget_line_add(budget=b, group=groups[kind], code=code, name=name, actor=director)
    budget_version_create(
        budget=b, label="Budget 2024", adopted=True, actor=director,
        amounts={"medel": Decimal(2_000_000), "team-a": Decimal(-1_700_000), "team-b": Decimal(-300_000)},
    )
    return b


@pytest.fixture
def line(budget):
    return budget.lines.get(code="team-a")


@pytest.fixture
def contact(board):
    """The intervention's contact person, with a login but no role in the association."""
    from tests.factories import PersonFactory, UserFactory

    user = UserFactory(username="kontakt")
    PersonFactory(first_name="Karin", last_name="Kontakt", user=user)
    return user


@pytest.fixture
def intervention(board, org, line, secretary, contact) -> Intervention:
    fk, af, region, kommun_a, kommun_b = board.members
    i = intervention_create(
        organisation=org, name="Samordningsteam A", kind=Intervention.Kind.INDIVIDUAL,
        form=Intervention.Form.ORDINARY, status=Intervention.Status.ONGOING, start=dt.date(2020, 1, 1),
        parties=[fk, af, region, kommun_a], lead_organisation=kommun_a, contact_person=contact.person,
        actor=secretary,
    )
    funding_link(intervention=i, budget_line=line, actor=secretary)
    return i


@pytest.fixture
def meeting(board, secretary):
    return minutes_services.meeting_create(
        organ=board.organ, date=dt.date(2024, 3, 12), start_time=dt.time(9, 0), place="Kansliet", actor=secretary,
    )


@pytest.fixture
def next_meeting(board, secretary):
    return minutes_services.meeting_create(
        organ=board.organ, date=dt.date(2024, 5, 14), start_time=dt.time(9, 0), place="Kansliet", actor=secretary,
    )
