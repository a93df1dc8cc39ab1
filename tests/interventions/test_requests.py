"""Tilläggsäskande: registered, put on the agenda as a proposed paragraph, decided in that
paragraph with a granted amount that may differ from the asked, and the budget revised
through a finance revision linked to the paragraph (seed 004: 147 424 kr asked, 120 000 kr)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finance.models import BudgetAmount, BudgetVersion
from finance.reports import build_report
from interventions.models import SupplementaryRequest
from interventions.services.supplementary import (
    request_decide,
    request_put_on_agenda,
    request_register,
)
from minutes.drafting import services as minutes_services
from minutes.models import Paragraph


@pytest.fixture
def supplementary(intervention, secretary):
    return request_register(
        intervention=intervention, year=2024, amount=Decimal("147424"), reason="Högre personalkostnader.",
        received_on=dt.date(2024, 2, 20), actor=secretary,
    )


def _line_budget(line) -> Decimal:
    report = build_report(line.budget)
    return next(r for r in report.rows if r.line.pk == line.pk).budget


def test_the_whole_chain_with_a_lower_granted_amount(supplementary, meeting, secretary, line, budget):
    item = request_put_on_agenda(request=supplementary, meeting=meeting, actor=secretary)
    supplementary.refresh_from_db()
    assert supplementary.status == SupplementaryRequest.Status.ON_AGENDA
    assert item.title == "Tilläggsäskande 2024 Samordningsteam A"
    assert "147\xa0424" in item.proposed_decision

    # The secretary starts the minutes: the agenda item becomes the request's paragraph.
    minutes_services.minutes_start(meeting=meeting, actor=secretary)
    paragraph = Paragraph.objects.get(meeting=meeting, agenda_item=item)
    assert "147\xa0424" in paragraph.clauses.get().text

    decided = request_decide(request=supplementary, granted_amount=Decimal("120000"), actor=secretary)

    assert decided.status == SupplementaryRequest.Status.PARTLY_GRANTED
    assert decided.paragraph == paragraph
    assert decided.granted_amount == Decimal("120000") and decided.amount == Decimal("147424")
    assert decided.decided_on == meeting.date
    revision = decided.revision
    assert revision.number == 2 and revision.adopted and revision.adopted_on == meeting.date
    assert revision.decided_in == paragraph
    assert paragraph.label in revision.label
    # The line grows by the granted amount, not the asked; the original version is untouched.
    assert _line_budget(line) == Decimal("-1820000")
    assert BudgetAmount.objects.get(version__number=1, version__budget=budget, line=line).amount == Decimal("-1700000")
    other = budget.lines.get(code="team-b")
    assert BudgetAmount.objects.get(version=revision, line=other).amount == Decimal("-300000")
    # The minutes say what was decided, with the granted amount, linked to the intervention.
    clause = paragraph.clauses.get()
    assert "120\xa0000" in clause.text and "147\xa0424" not in clause.text
    assert supplementary.intervention.decisions.filter(clause=clause).exists()


def test_deciding_without_started_minutes_adds_the_paragraph(supplementary, meeting, secretary, line):
    request_put_on_agenda(request=supplementary, meeting=meeting, actor=secretary)
    decided = request_decide(request=supplementary, granted_amount=Decimal("147424"), actor=secretary)
    assert decided.status == SupplementaryRequest.Status.GRANTED
    assert decided.paragraph.meeting == meeting
    assert _line_budget(line) == Decimal("-1847424")


def test_put_on_agenda_of_open_minutes_adds_the_proposed_paragraph(supplementary, meeting, secretary):
    minutes_services.minutes_start(meeting=meeting, actor=secretary)
    request_put_on_agenda(request=supplementary, meeting=meeting, actor=secretary)
    supplementary.refresh_from_db()
    assert supplementary.paragraph is not None
    assert "147\xa0424" in supplementary.paragraph.clauses.get().text


def test_rejected_request_changes_no_budget(supplementary, meeting, secretary, line, budget):
    request_put_on_agenda(request=supplementary, meeting=meeting, actor=secretary)
    decided = request_decide(request=supplementary, granted_amount=0, actor=secretary)
    assert decided.status == SupplementaryRequest.Status.REJECTED
    assert decided.revision is None
    assert budget.versions.count() == 1
    assert "avslå" in decided.paragraph.clauses.get().text


def test_more_than_asked_is_refused_and_nothing_is_saved(supplementary, meeting, secretary, budget):
    request_put_on_agenda(request=supplementary, meeting=meeting, actor=secretary)
    with pytest.raises(ValidationError, match="större än det äskade"):
        request_decide(request=supplementary, granted_amount=Decimal("150000"), actor=secretary)
    supplementary.refresh_from_db()
    assert supplementary.status == SupplementaryRequest.Status.ON_AGENDA
    assert supplementary.paragraph is None
    assert budget.versions.count() == 1
    assert not Paragraph.objects.filter(meeting=meeting).exists()


def test_a_request_is_decided_once(supplementary, meeting, secretary, budget):
    request_put_on_agenda(request=supplementary, meeting=meeting, actor=secretary)
    request_decide(request=supplementary, granted_amount=Decimal("100000"), actor=secretary)
    with pytest.raises(ValidationError, match="redan beslutat"):
        request_decide(request=supplementary, granted_amount=Decimal("100000"), actor=secretary)
    assert BudgetVersion.objects.filter(budget=budget).count() == 2


def test_deciding_needs_the_agenda_first(supplementary, secretary):
    with pytest.raises(ValidationError, match="dagordning"):
        request_decide(request=supplementary, granted_amount=Decimal("1"), actor=secretary)


def test_a_meeting_of_another_association_is_refused(supplementary, other_board, secretary):
    other_meeting = minutes_services.meeting_create(
        organ=other_board.organ, date=dt.date(2024, 3, 1), place="Där", actor=secretary
    )
    with pytest.raises(ValidationError, match="annat förbund"):
        request_put_on_agenda(request=supplementary, meeting=other_meeting, actor=secretary)


def test_a_request_needs_a_budget_line_for_its_year(intervention, secretary):
    with pytest.raises(ValidationError, match="ingen budgetrad för 2023"):
        request_register(
            intervention=intervention, year=2023, amount=1000, reason="x", received_on=dt.date(2023, 5, 1),
            actor=secretary,
        )


@pytest.mark.parametrize("amount, reason", [
    (0, "större än 0 kr"), (-5, "större än 0 kr"), ("12.345", "högst två decimaler"),
])
def test_bad_amounts_are_refused(intervention, secretary, amount, reason):
    with pytest.raises(ValidationError, match=reason):
        request_register(
            intervention=intervention, year=2024, amount=amount, reason="x", received_on=dt.date(2024, 5, 1),
            actor=secretary,
        )
    assert not SupplementaryRequest.objects.exists()


def test_the_secretary_may_delete_the_proposed_paragraph_and_put_it_on_again(
    supplementary, meeting, next_meeting, secretary
):
    minutes_services.minutes_start(meeting=meeting, actor=secretary)
    request_put_on_agenda(request=supplementary, meeting=meeting, actor=secretary)
    supplementary.refresh_from_db()
    minutes_services.paragraph_delete(paragraph=supplementary.paragraph, actor=secretary)
    minutes_services.agenda_item_delete(item=supplementary.agenda_item, actor=secretary)
    supplementary.refresh_from_db()
    assert supplementary.paragraph is None and supplementary.agenda_item is None
    request_put_on_agenda(request=supplementary, meeting=next_meeting, actor=secretary)
    decided = request_decide(request=supplementary, granted_amount=Decimal("1000"), actor=secretary)
    assert decided.paragraph.meeting == next_meeting
