"""Recording decisions under delegation: a decision outside the order is refused with its reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from board.models import AuditEvent, StaffRole
from minutes.delegation import services
from minutes.models import DelegationDecision

from .conftest import record


def test_a_decision_within_the_order_is_recorded(org, line, director):
    decision = record(org, line, director)
    assert decision.decided_by == director.person
    assert decision.recorded_by == director
    assert decision.reported_on is None and decision.reported_in is None
    assert AuditEvent.objects.filter(verb="delegation.decision_recorded", target_id=str(decision.pk)).exists()


def _refused(org, line, actor, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        record(org, line, actor, **kwargs)
    assert not DelegationDecision.objects.exists()
    return " ".join(caught.value.messages)


def test_over_the_amount_is_refused(org, line, director):
    reason = _refused(org, line, director, amount=50_001)
    assert reason == (
        "Beloppet 50 001 kr är över delegationens gräns på 50 000 kr (punkt 3.2): beslutet ska fattas av styrelsen."
    )


def test_the_limit_itself_is_within(org, line, director):
    assert record(org, line, director, amount=50_000).amount == 50_000


def test_another_role_is_refused(org, line, secretary):
    reason = _refused(org, line, secretary)
    assert reason == (
        "Punkt 3.2 delegerar till förbundschef; du hade inte den rollen 2023-10-02 och har inte rätt att "
        "fatta beslutet."
    )


def test_a_line_not_in_force_is_refused(org, line, director):
    reason = _refused(org, line, director, decided_on=dt.date(2022, 12, 31))
    assert reason == (
        "Punkt 3.2 i delegationsordningen gällde inte 2022-12-31: beslutet ligger utanför delegationen."
    )


def test_a_line_ended_is_refused(org, line, director):
    line.valid_to = dt.date(2023, 6, 30)
    line.save()
    assert "gällde inte 2023-10-02" in _refused(org, line, director)


def test_a_line_of_another_association_is_refused(org, other_board, director, secretary):
    foreign = services.delegation_line_add(
        organisation=other_board.organisation, code="1.1", matter="Inköp", delegate_role=StaffRole.Role.DIRECTOR,
        valid_from=dt.date(2020, 1, 1), actor=secretary,
    )
    reason = _refused(org, foreign, director)
    assert reason == "Punkten hör till ett annat förbunds delegationsordning."


def test_a_role_ended_before_the_decision_is_refused(org, line, director):
    director.person.staff_roles.update(end=dt.date(2023, 9, 30))
    assert "du hade inte den rollen 2023-10-02" in _refused(org, line, director)
