"""/api/v1/ finance endpoints: an accounting system posts outcomes; bad rows come back with reasons."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from board.models import ApiToken
from finance.models import BudgetLine, ForecastEntry, Outcome
from finance.services.budgets import budget_version_create
from finance.services.forecasts import forecast_update

pytestmark = pytest.mark.django_db
BASE = "/api/v1/organisations/prov/budgets"


def api(user) -> Client:
    _, key = ApiToken.issue(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_read_the_budget_table_with_computed_totals(budget, member):
    data = api(member).get(f"{BASE}/2024").json()
    assert data["result"]["budget"] == "0.00"
    assert [g["name"] for g in data["groups"]][:2] == ["Intäkter", "Styrelse"]
    assert data["groups"][3]["sums"]["budget"] == "-600000.00"
    assert data["versions"][0]["label"] == "Budget 2024"


def test_accounting_system_posts_outcomes(budget, accountant):
    client = api(accountant)
    response = client.post(f"{BASE}/2024/outcomes", {"date": "2024-08-31", "rows": [
        {"line": "medel", "amount": "600000"}, {"line": "Samordningsteam A", "amount": "-250 000"}]},
        content_type="application/json")
    assert response.status_code == 201, response.content
    assert Outcome.objects.count() == 2
    listed = client.get(f"{BASE}/2024/outcomes?date=2024-08-31").json()
    assert {r["line"]: r["amount"] for r in listed} == {"medel": "600000.00", "team-a": "-250000.00"}


def test_posted_outcomes_with_bad_rows_are_422_with_reasons_and_nothing_saved(budget, accountant):
    response = api(accountant).post(f"{BASE}/2024/outcomes", {"date": "2024-08-31", "rows": [
        {"line": "medel", "amount": "1"}, {"line": "nope", "amount": "1"}, {"line": "mgt", "amount": "x"},
        {"line": "medel", "amount": "2"}]}, content_type="application/json")
    assert response.status_code == 422
    rows = response.json()["detail"]["rows"]
    assert rows[0].startswith("Rad 2: Okänd budgetrad") and rows[1].startswith("Rad 3:") and "Rad 4:" in rows[2]
    assert Outcome.objects.count() == 0
    wrong_year = api(accountant).post(f"{BASE}/2024/outcomes", {"date": "2023-12-31", "rows": [
        {"line": "medel", "amount": "1"}]}, content_type="application/json")
    assert wrong_year.status_code == 422 and "budgetåret" in wrong_year.json()["detail"]["date"][0]


def test_forecasts_with_optimistic_locking(budget, director, accountant):
    url = f"{BASE}/2024/lines/team-a/forecasts"
    first = api(director).post(url, {"amount": "-380000", "comment": "Vakans", "based_on": None},
                               content_type="application/json")
    assert first.status_code == 201
    first_id = first.json()["id"]
    assert api(director).post(url, {"amount": "-370000", "based_on": first_id},
                              content_type="application/json").status_code == 201
    late = api(accountant).post(url, {"amount": "-999", "based_on": first_id}, content_type="application/json")
    assert late.status_code == 409
    assert late.json()["detail"]["current"]["amount"] == "-370000.00"
    history = api(accountant).get(url).json()
    assert [h["amount"] for h in history] == ["-370000.00", "-380000.00"]


def test_create_budget_line_and_revision(org, director):
    client = api(director)
    assert client.post(BASE, {"year": 2025}, content_type="application/json").status_code == 201
    assert client.post(BASE, {"year": 2025}, content_type="application/json").status_code == 422
    assert client.post(f"{BASE}/2025/lines", {"group": "Individinsatser", "name": "Team X", "code": "x"},
                       content_type="application/json").status_code == 201
    assert client.post(f"{BASE}/2025/lines", {"group": "Finns inte", "name": "Y"},
                       content_type="application/json").status_code == 422
    v1 = client.post(f"{BASE}/2025/versions", {"label": "Budget 2025", "amounts": {"x": "-100"}, "adopted": True},
                     content_type="application/json")
    assert v1.status_code == 201 and v1.json()["number"] == 1
    v2 = client.post(f"{BASE}/2025/versions", {"label": "Reviderad", "amounts": {"x": "-80"}, "adopted": True,
                                                "adopted_on": "2025-06-01"}, content_type="application/json")
    assert v2.json()["number"] == 2
    assert client.get(f"{BASE}/2025").json()["result"]["budgets"] == ["-100.00", "-80.00"]


def test_readers_may_not_write(budget, member, auditor):
    for user in (member, auditor):
        client = api(user)
        assert client.post(f"{BASE}/2024/outcomes", {"date": "2024-08-31", "rows": []},
                           content_type="application/json").status_code == 403
        assert client.post(f"{BASE}/2024/lines/team-a/forecasts", {"amount": "1"},
                           content_type="application/json").status_code == 403
    assert ForecastEntry.objects.count() == 0
    draft = budget_version_create(budget=budget, label="Utkast", amounts={"mgt": "-1"}, actor=None)
    for user in (member, auditor):
        assert api(user).post(f"{BASE}/2024/versions/{draft.number}/adopt", {"adopted_on": "2024-06-01"},
                              content_type="application/json").status_code == 403
    draft.refresh_from_db()
    assert not draft.adopted


def test_the_board_adopts_a_draft_through_the_api(budget, director):
    client = api(director)
    draft = budget_version_create(budget=budget, label="Reviderad budget 2024", amounts={"mgt": "-150000"},
                                           actor=director)
    url = f"{BASE}/2024/versions/{draft.number}/adopt"
    missing = client.post(url, {}, content_type="application/json")
    assert missing.status_code == 422
    unknown = client.post(f"{BASE}/2024/versions/9/adopt", {"adopted_on": "2024-06-01"}, content_type="application/json")
    assert unknown.status_code == 404
    done = client.post(url, {"adopted_on": "2024-06-12", "decision_reference": "§ 31"}, content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json() | {} == {"number": 2, "label": "Reviderad budget 2024", "adopted": True,
                                "adopted_on": "2024-06-12", "decision_reference": "§ 31", "decided_in_id": None}
    again = client.post(url, {"adopted_on": "2024-06-12"}, content_type="application/json")
    assert again.status_code == 422 and again.json()["detail"] == {"__all__": ["Versionen är redan antagen."]}
    # The budget is now reckoned against the adopted revision.
    assert client.get(f"{BASE}/2024").json()["versions"][-1]["adopted"] is True


def test_outsider_and_anonymous_are_refused_on_every_endpoint(budget, outsider):
    forecast_update(line=BudgetLine.objects.get(budget=budget, code="team-a"), amount=Decimal(-1),
                             based_on=None, actor=None)
    gets = [BASE, f"{BASE}/2024", f"{BASE}/2024/versions", f"{BASE}/2024/outcomes", f"{BASE}/2024/lines/team-a/forecasts"]
    posts = [(BASE, {"year": 2030}), (f"{BASE}/2024/lines", {"group": "Styrelse", "name": "x"}),
             (f"{BASE}/2024/versions", {"label": "x", "amounts": {}}),
             (f"{BASE}/2024/outcomes", {"date": "2024-08-31", "rows": []}),
             (f"{BASE}/2024/lines/team-a/forecasts", {"amount": "1"}),
             (f"{BASE}/2024/versions/2/adopt", {"adopted_on": "2024-06-01"})]
    budget_version_create(budget=budget, label="Utkast", amounts={"mgt": "-1"}, actor=None)
    for client, read, write in ((api(outsider), 404, 404), (Client(), 404, 401)):
        for url in gets:
            assert client.get(url).status_code == read, url
        for url, body in posts:
            assert client.post(url, body, content_type="application/json").status_code == write, url
    assert ForecastEntry.objects.count() == 1


def test_anyone_reads_adopted_budgets_of_an_association_that_publishes_them(budget, director, outsider, login):
    budget.organisation.budgets_public = True
    budget.organisation.save()
    budget_version_create(budget=budget, label="Utkast", amounts={"mgt": "-1"}, actor=director)
    forecast_update(line=BudgetLine.objects.get(budget=budget, code="team-a"), amount=Decimal(-300_000),
                             based_on=None, actor=director)
    # A browser session of a user of another association is no token: still only the public view.
    for client in (Client(), login(outsider)):
        data = client.get(f"{BASE}/2024").json()
        assert [v["label"] for v in data["versions"]] == ["Budget 2024"]
        assert data["result"]["deviation"] == "100000.00"
        assert [v["label"] for v in client.get(f"{BASE}/2024/versions").json()] == ["Budget 2024"]
        assert client.get(f"{BASE}/2024/lines/team-a/forecasts").json()[0]["author"] is None
        assert client.post(f"{BASE}/2024/outcomes", {"date": "2024-08-31", "rows": []},
                           content_type="application/json").status_code == 401
    insider = api(director).get(f"{BASE}/2024/lines/team-a/forecasts").json()
    assert insider[0]["author"] == "Forbundschef Kansli"  # the person, not the login
    budget.versions.update(adopted=False)
    assert Client().get(f"{BASE}/2024").status_code == 404
    assert Client().get(BASE).json() == []


def test_a_browser_session_is_not_an_api_token(budget, member, login):
    assert login(member).get(f"{BASE}/2024").status_code == 404
    assert api(member).get(f"{BASE}/2024").status_code == 200


def test_adopting_with_another_associations_paragraph_is_refused_and_adopts_nothing(
    budget, director, other_board, login
):
    import datetime as dt

    from minutes.drafting import services as minutes_services

    meeting = minutes_services.meeting_create(organ=other_board.organ, date=dt.date(2024, 6, 12), is_remote=True,
                                              actor=None)
    minutes_services.minutes_start(meeting=meeting, actor=None)
    foreign = minutes_services.paragraph_add(meeting=meeting, title="Budget", actor=None)
    draft = budget_version_create(budget=budget, label="Utkast", amounts={"mgt": "-1"}, actor=director)
    api_answer = api(director).post(f"{BASE}/2024/versions/{draft.number}/adopt",
                                    {"adopted_on": "2024-06-12", "decided_in_id": foreign.pk},
                                    content_type="application/json")
    assert api_answer.status_code == 404
    page = login(director).post(f"/forbund/prov/budget/2024/version/{draft.pk}/anta/",
                                {"adopted_on": "2024-06-12", "decided_in": foreign.pk})
    assert page.status_code == 422 and "Välj ett giltigt alternativ" in page.content.decode()
    draft.refresh_from_db()
    assert not draft.adopted
