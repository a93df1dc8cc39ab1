"""The demo: seed 003's interventions on their 2024 lines, Samordningsteam Sala's 2023 request
decided in NVSam § 56 as 120 000 kr with the budget revised, six individual interventions with
follow-up and charts. (Idempotency of the whole load_demo is tested in tests/board/test_demo.py.)"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from finance.reports import build_report
from interventions.demo.data import INDIVIDUAL_TEAMS
from interventions.models import ActionItem, Intervention, SupplementaryRequest
from interventions.selectors import follow_up_report, funding_rows


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_seed_003_interventions_are_linked_to_their_2024_lines(demo):
    names = set(Intervention.objects.filter(organisation__slug="vastmanland").values_list("name", flat=True))
    assert {"Samordningsteam Surahammar", "Samordningsteam Hallstahammar", "Samordningsteam Västerås",
            "Samordningsteamet FNS", "Samordningsteam Sala", "Teamsamverkan Västra Mälardalen", "MGT Västerås",
            "SIP-utvecklare Västra Mälardalen", "Rehabkoordinatorer i samverkan"} <= names
    mgt = Intervention.objects.get(name="MGT Västerås")
    assert sorted(p.name for p in mgt.parties.all()) == [
        "Arbetsförmedlingen", "Försäkringskassan", "Region Västmanland", "Västerås stad"]
    fns = next(f for f in funding_rows(Intervention.objects.get(name="Samordningsteamet FNS")) if f.budget.year == 2024)
    assert fns.row.budget == Decimal("-1525000") and fns.row.outcome == Decimal("-462394")
    assert fns.row.forecast == Decimal("-1425000") and fns.row.deviation == Decimal("100000")


def test_sala_request_decided_in_nvsam_56_and_the_budget_revised(demo):
    request = SupplementaryRequest.objects.get(intervention__name="Samordningsteam Sala")
    assert request.amount == Decimal("147424") and request.granted_amount == Decimal("120000")
    assert request.status == SupplementaryRequest.Status.PARTLY_GRANTED
    assert request.paragraph.label == "NVSam § 56"
    assert str(request.decided_on) == "2023-11-02"
    assert request.revision.decided_in == request.paragraph
    report = build_report(request.budget_line.budget)
    row = next(r for r in report.rows if r.line == request.budget_line)
    assert row.budgets == [Decimal("-1700000"), Decimal("-1820000")]
    # The minutes keep the seed's wording; the clause is linked to the intervention.
    clause = request.paragraph.clauses.get()
    assert clause.text == "Att bevilja Samordningsteam Sala en extra tilldelning 2023 med 120 tkr"
    assert request.intervention.decisions.filter(clause=clause).exists()


def test_the_intervention_page_shows_the_trail(demo, client):
    from django.contrib.auth import get_user_model

    sala = Intervention.objects.get(name="Samordningsteam Sala")
    client.force_login(get_user_model().objects.get(username="sekreterare"))
    html = client.get(sala.get_absolute_url()).content.decode()
    assert "NVSam § 56" in html and "Delvis beviljad" in html and "Tilläggsäskande Samordningsteam Sala" in html


def test_six_individual_interventions_have_figures_and_charts(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="forbundschef"))
    for name in INDIVIDUAL_TEAMS:
        intervention = Intervention.objects.get(name=name)
        report = follow_up_report(intervention)
        assert len(report.periods) == 3 and len(report.charts) == 2, name
        html = client.get(reverse("interventions:follow_up", args=["vastmanland", intervention.pk])).content.decode()
        assert html.count("<svg viewBox") == 2


def test_task_in_nvsam_57_is_an_action_item_for_the_chair(demo):
    item = ActionItem.objects.get(paragraph__number=57, paragraph__organ__organisation__slug="norra-vastmanland")
    assert item.owner_text == "ordförande" and str(item.owner_person) == "Elisabet Pettersson"
    assert str(item.due_date) == "2023-11-24"


def test_the_successor_lists_its_predecessors_tasks(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="sekreterare"))
    html = client.get(reverse("interventions:action_items", args=["vastmanland"]) + "?status=alla").content.decode()
    assert "NVSam § 57" in html and "Elisabet Pettersson (ordförande)" in html
