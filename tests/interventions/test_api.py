"""/api/v1/ intervention endpoints: read with finance's numbers, post follow-up (422 with
reasons), register requests, follow up action items; the outsider and anonymous refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from board.models import ApiToken
from interventions.action_items import action_items_from_paragraph
from interventions.models import ActionItem, FollowUp, Indicator, SupplementaryRequest
from interventions.services.follow_up import indicator_define
from interventions.services.supplementary import (
    request_decide,
    request_put_on_agenda,
    request_register,
)
from minutes.drafting import services as minutes_services

pytestmark = pytest.mark.django_db
BASE = "/api/v1/organisations/prov"


def api(user) -> Client:
    _, key = ApiToken.issue(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def task(meeting, secretary):
    paragraph = minutes_services.paragraph_add(
        meeting=meeting, title="Uppdrag", clauses=["Styrelsen uppdrar åt förbundschef att utreda."], actor=secretary,
    )
    return action_items_from_paragraph(paragraph=paragraph, actor=secretary)[0]


FIGURES = {"period_start": "2024-01-01", "period_end": "2024-04-30", "enrolled": 40, "new": 10, "closed": 8,
           "steps_work": 12, "steps_studies": 3}


REQUEST = {"year": 2024, "amount": "1000", "reason": "x", "received_on": "2024-02-20"}


def test_read_interventions_with_finances_numbers(member, intervention):
    listed = api(member).get(f"{BASE}/interventions").json()
    assert [i["name"] for i in listed] == ["Samordningsteam A"]
    assert len(listed[0]["parties"]) == 4
    detail = api(member).get(f"{BASE}/interventions/{intervention.pk}").json()
    assert detail["funding"] == [{
        "year": 2024, "organisation": "prov", "line": "team-a", "line_name": "Samordningsteam A",
        "budget": "-1700000.00", "outcome": None, "outcome_date": None, "forecast": "-1700000.00",
        "deviation": "0.00",
    }]


def test_contact_posts_follow_up_and_bad_figures_get_422(contact, intervention, secretary):
    indicator_define(intervention=intervention, name="Upplevd hälsa", target=70, actor=secretary)
    indicator_define(intervention=intervention, name="Steg", target=80, source=Indicator.Source.STEPS,
                              actor=secretary)
    client = api(contact)
    url = f"{BASE}/interventions/{intervention.pk}/follow-ups"
    bad = client.post(url, {**FIGURES, "closed": 60}, content_type="application/json")
    assert bad.status_code == 422
    assert "closed" in bad.json()["detail"]
    bad = client.post(url, {**FIGURES, "values": {"Upplevd hälsa": "140"}}, content_type="application/json")
    assert bad.status_code == 422 and "100" in bad.json()["detail"]["values"][0]
    assert not FollowUp.objects.exists()
    ok = client.post(url, {**FIGURES, "values": {"Upplevd hälsa": "72.5"}}, content_type="application/json")
    assert ok.status_code == 201, ok.content
    body = ok.json()
    assert body["enrolled_at_end"] == 42 and body["step_percent"] == "30.0"
    assert body["values"] == {"Upplevd hälsa": "72.5", "Steg": "30.0"}
    assert client.get(url).json()[0]["values"]["Upplevd hälsa"] == "72.5"


def test_register_a_request_through_the_api(secretary, member, intervention):
    url = f"{BASE}/interventions/{intervention.pk}/requests"
    payload = {"year": 2024, "amount": "147424", "reason": "Högre kostnader", "received_on": "2024-02-20"}
    assert api(member).post(url, payload, content_type="application/json").status_code == 403
    response = api(secretary).post(url, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "inkommen"
    assert api(secretary).post(url, {**payload, "year": 2023}, content_type="application/json").status_code == 422
    assert SupplementaryRequest.objects.count() == 1


def test_request_list_shows_the_decision_trail(secretary, intervention, meeting):
    request = request_register(intervention=intervention, year=2024, amount=Decimal("147424"),
                                        reason="x", received_on=dt.date(2024, 2, 20), actor=secretary)
    request_put_on_agenda(request=request, meeting=meeting, actor=secretary)
    request_decide(request=request, granted_amount=Decimal("120000"), actor=secretary)
    row = api(secretary).get(f"{BASE}/interventions/{intervention.pk}/requests").json()[0]
    assert row["status"] == "delvis_beviljad" and row["granted_amount"] == "120000.00"
    assert row["paragraph"].startswith("PRV § ") and row["revision"].startswith("Tilläggsäskande")


def test_action_items_listed_and_closed(secretary, member, task):
    listed = api(member).get(f"{BASE}/action-items?status=oppna").json()
    assert [i["owner"] for i in listed] == [task.owner_display]
    url = f"{BASE}/action-items/{task.pk}"
    assert api(member).patch(url, {"status": "klar"}, content_type="application/json").status_code == 403
    assert api(secretary).patch(url, {"status": "fel"}, content_type="application/json").status_code == 422
    response = api(secretary).patch(url, {"status": "klar"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["closed_on"]
    assert ActionItem.objects.get().status == "klar"
    assert api(member).get(f"{BASE}/action-items?status=oppna").json() == []


def test_outsider_and_anonymous_are_refused_everywhere(outsider, intervention, task):
    urls = [
        ("get", f"{BASE}/interventions"), ("get", f"{BASE}/interventions/{intervention.pk}"),
        ("get", f"{BASE}/interventions/{intervention.pk}/requests"),
        ("post", f"{BASE}/interventions/{intervention.pk}/requests"),
        ("get", f"{BASE}/interventions/{intervention.pk}/follow-ups"),
        ("post", f"{BASE}/interventions/{intervention.pk}/follow-ups"),
        ("get", f"{BASE}/action-items"), ("patch", f"{BASE}/action-items/{task.pk}"),
    ]
    for method, url in urls:
        # Valid payloads, so that only access can be what refuses them.
        payload = FIGURES if "follow-ups" in url else REQUEST if url.endswith("requests") else {"status": "klar"}
        assert getattr(api(outsider), method)(url, payload, content_type="application/json").status_code == 404, url
        assert getattr(Client(), method)(url, payload, content_type="application/json").status_code == 401, url
    assert ActionItem.objects.get().status == "oppen" and not FollowUp.objects.exists()
    assert not SupplementaryRequest.objects.exists()
