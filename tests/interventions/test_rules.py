"""The registry's rules: Finsam 7 § parties (two municipalities are one party), members only,
one owner per budget line, history kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from board.models import MemberOrganisation
from finance.services.budgets import budget_create, budget_line_add
from interventions.forms import InterventionForm
from interventions.models import Intervention, InterventionBudgetLine
from interventions.services.registry import (
    funding_link,
    intervention_create,
    intervention_update,
    party_count,
)
from tests.factories import MemberOrganisationFactory


def _create(org, parties, actor, name="Ny insats", **kw):
    return intervention_create(
        organisation=org, name=name, kind=Intervention.Kind.INDIVIDUAL, parties=parties, actor=actor, **kw
    )


def test_two_municipalities_count_as_one_party(board, org, secretary):
    kommun_a, kommun_b = board.members[3], board.members[4]
    with pytest.raises(ValidationError, match="En insats behöver minst två samverkande") as exc:
        _create(org, [kommun_a, kommun_b], secretary)
    assert "Kommunerna räknas tillsammans som en part" in exc.value.message_dict["parties"][0]
    assert not Intervention.objects.filter(organisation=org).exists()


def test_one_party_alone_is_refused(board, org, secretary):
    with pytest.raises(ValidationError, match="minst två samverkande parter"):
        _create(org, [board.members[0]], secretary)


def test_a_state_party_and_a_municipality_are_two_parties(board, org, secretary):
    fk, kommun_a = board.members[0], board.members[3]
    intervention = _create(org, [fk, kommun_a], secretary)
    assert set(intervention.parties.all()) == {fk, kommun_a}
    assert party_count([fk, kommun_a, board.members[4]]) == 2
    assert party_count(board.members) == 4


def test_parties_cannot_be_reduced_below_two_by_an_update(board, org, secretary, intervention):
    with pytest.raises(ValidationError, match="Kommunerna räknas"):
        intervention_update(intervention=intervention, parties=board.members[3:5], actor=secretary)
    assert intervention.parties.count() == 4


def test_parties_must_be_members_of_the_association(board, org, secretary):
    stranger = MemberOrganisationFactory(name="Främmande kommun", kind=MemberOrganisation.Kind.MUNICIPALITY)
    with pytest.raises(ValidationError, match="Inte medlem i förbundet: Främmande kommun"):
        _create(org, [board.members[0], stranger], secretary)


def test_lead_organisation_is_one_of_the_parties(board, org, secretary):
    with pytest.raises(ValidationError, match="ska vara en av parterna") as exc:
        _create(org, board.members[:2], secretary, lead_organisation=board.members[3])
    assert "lead_organisation" in exc.value.message_dict


def test_form_shows_the_parties_rule_in_swedish(board, org):
    form = InterventionForm(
        data={"name": "X", "kind": "individinriktad", "form": "projekt", "status": "foreslagen",
              "parties": [board.members[3].pk, board.members[4].pk]},
        organisation=org,
    )
    assert not form.is_valid()
    assert "Kommunerna räknas tillsammans som en part" in form.errors["parties"][0]


def test_a_budget_line_funds_one_intervention(board, org, secretary, intervention, line):
    other = _create(org, board.members[:2], secretary, name="Annan insats")
    with pytest.raises(ValidationError, match="finansierar redan Samordningsteam A"):
        funding_link(intervention=other, budget_line=line, actor=secretary)
    # Linking the same line again is harmless.
    assert funding_link(intervention=intervention, budget_line=line, actor=secretary).intervention == intervention


def test_a_line_of_another_association_cannot_fund(board, other_board, secretary, intervention, director):

    other_budget = budget_create(organisation=other_board.organisation, year=2024, actor=director)
    group = other_budget.groups.first()
    other_line = budget_line_add(budget=other_budget, group=group, name="Deras rad", actor=director)
    with pytest.raises(ValidationError, match="annat förbunds budget"):
        funding_link(intervention=intervention, budget_line=other_line, actor=secretary)
    assert not InterventionBudgetLine.objects.filter(budget_line=other_line).exists()


def test_history_records_who_changed_the_parties(board, secretary, intervention):
    fk, kommun_a = board.members[0], board.members[3]
    intervention_update(intervention=intervention, parties=[fk, kommun_a], actor=secretary)
    latest = intervention.history.first()
    assert latest.history_user == secretary
    assert {p.memberorganisation_id for p in latest.parties.all()} == {fk.pk, kommun_a.pk}
    assert intervention.history.count() >= 2  # the original four parties stay in the earlier record


def test_parties_summary_groups_many_municipalities(board):
    from interventions.selectors import parties_summary

    fk, af, region, kommun_a, kommun_b = board.members
    assert parties_summary([kommun_b, fk, region]) == "Försäkringskassan (prov), Region (prov) och Kommun B (prov)"
    extra = MemberOrganisationFactory(name="Kommun C", kind=MemberOrganisation.Kind.MUNICIPALITY)
    assert parties_summary([af, kommun_a, kommun_b, extra]) == "Arbetsförmedlingen (prov) och 3 kommuner"
    assert parties_summary([]) == "–"
