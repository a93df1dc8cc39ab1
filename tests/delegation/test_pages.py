"""The delegation pages: who gets in, the refusal shown on the form, search, export, buttons."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from minutes.models import DelegationDecision, DelegationLine, Notice
from tests.conftest import client_for
from tests.justering.conftest import build_minutes

from .conftest import record


@pytest.fixture
def decision(org, line, director):
    return record(org, line, director, matter="=cmd|' /C calc'!A0", appealable=True,
                  decided_on=dt.date(2023, 10, 2))


def _pages(org, decision, meeting_pk):
    slug = org.slug
    return [
        ("get", reverse("minutes:delegation_order", args=[slug])),
        ("get", reverse("minutes:delegation_line_add", args=[slug])),
        ("post", reverse("minutes:delegation_line_add", args=[slug])),
        ("get", reverse("minutes:delegation_register", args=[slug])),
        ("get", reverse("minutes:delegation_decision_add", args=[slug])),
        ("post", reverse("minutes:delegation_decision_add", args=[slug])),
        ("get", reverse("minutes:delegation_export", args=[slug])),
        ("post", reverse("minutes:delegation_notice", args=[decision.pk])),
        ("post", reverse("minutes:delegation_report", args=[meeting_pk])),
    ]


@pytest.fixture
def meeting(board, secretary, chair, member):
    return build_minutes(board, secretary, chair, member, date=dt.date(2023, 11, 2))


def test_anonymous_users_are_sent_to_log_in(org, decision, meeting):
    for method, url in _pages(org, decision, meeting.pk):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/"), url


def test_an_outsider_learns_nothing(org, decision, meeting, outsider):
    client = client_for(outsider)
    for method, url in _pages(org, decision, meeting.pk):
        assert getattr(client, method)(url).status_code == 404, url
    assert DelegationDecision.objects.count() == 1 and not Notice.objects.exists()


def test_a_board_member_reads_but_changes_nothing(org, decision, meeting, member):
    client = client_for(member)
    for method, url in _pages(org, decision, meeting.pk):
        response = getattr(client, method)(url)
        if "ny" in url or method == "post":
            assert response.status_code == 403, url
        else:
            assert response.status_code == 200, url
    assert not Notice.objects.exists()
    assert not meeting.paragraphs.filter(title="Anmälan av delegationsbeslut").exists()


def test_the_director_records_a_decision(org, line, director):
    client = client_for(director)
    url = reverse("minutes:delegation_decision_add", args=[org.slug])
    data = {"line": line.pk, "decided_on": "2024-02-01", "matter": "Lokalhyra", "decision": "Att hyra lokal",
            "amount": "9000", "appealable": "on"}
    response = client.post(url, data)
    assert response.status_code == 302
    saved = DelegationDecision.objects.get()
    assert (saved.matter, saved.amount, saved.appealable, saved.decided_by) == (
        "Lokalhyra", 9000, True, director.person)


def test_a_decision_over_the_limit_is_refused_on_the_form(org, line, director):
    client = client_for(director)
    url = reverse("minutes:delegation_decision_add", args=[org.slug])
    data = {"line": line.pk, "decided_on": "2024-02-01", "matter": "Konsult", "decision": "Att anlita",
            "amount": "60000"}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "Beloppet 60 000 kr är över delegationens gräns på 50 000 kr (punkt 3.2)" in response.content.decode()
    assert not DelegationDecision.objects.exists()


def test_the_secretary_adds_a_line(org, secretary):
    client = client_for(secretary)
    response = client.post(reverse("minutes:delegation_line_add", args=[org.slug]), {
        "code": "4.1", "matter": "Attest", "delegate_role": "forbundschef", "valid_from": "2024-01-01",
        "report_duty": "on",
    })
    assert response.status_code == 302
    assert DelegationLine.objects.get(code="4.1").report_duty
    assert "4.1" in client.get(reverse("minutes:delegation_order", args=[org.slug])).content.decode()


def test_search_and_year(org, line, director, secretary):
    record(org, line, director, matter="Tolktjänst", decided_on=dt.date(2023, 3, 1))
    record(org, line, director, matter="Lokal", decision="Att hyra <script>x</script>", decided_on=dt.date(2024, 3, 1))
    client = client_for(secretary)
    url = reverse("minutes:delegation_register", args=[org.slug])
    page = client.get(url, {"q": "tolk"}).content.decode()
    assert "Tolktjänst" in page and "Lokal<" not in page
    page = client.get(url, {"ar": "2024"}).content.decode()
    assert "Tolktjänst" not in page and "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    page = client.get(url, {"q": "hyra", "ar": "2023"}).content.decode()
    assert "Inga delegationsbeslut hittades." in page


def test_the_export_keeps_typed_text_as_text(org, decision, member):
    response = client_for(member).get(reverse("minutes:delegation_export", args=[org.slug]))
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["C1"].value == "Ärende"
    assert ws["C2"].value == "=cmd|' /C calc'!A0" and ws["C2"].data_type == "s" and ws["C2"].quotePrefix


def test_the_buttons(org, decision, meeting, secretary):
    client = client_for(secretary)
    response = client.post(reverse("minutes:delegation_report", args=[meeting.pk]))
    assert response.status_code == 302
    assert meeting.paragraphs.filter(title="Anmälan av delegationsbeslut").exists()
    response = client.post(reverse("minutes:delegation_report", args=[meeting.pk]), follow=True)
    assert "Sammanträdet har redan en anmälan av delegationsbeslut" in response.content.decode()
    response = client.post(reverse("minutes:delegation_notice", args=[decision.pk]), follow=True)
    notice = Notice.objects.get(kind=Notice.Kind.DELEGATION)
    assert f"sista dag för överklagande {notice.last_appeal_day:%Y-%m-%d}" in response.content.decode()


def test_bad_input_answers_without_failing(org, line, director):
    client = client_for(director)
    url = reverse("minutes:delegation_register", args=[org.slug])
    assert client.get(url, {"q": "a\x00b", "ar": "99999999999999999999"}).status_code == 200
    add = reverse("minutes:delegation_decision_add", args=[org.slug])
    response = client.post(add, {"line": line.pk, "decided_on": "2024-02-01", "matter": "Nul\x00l",
                                 "decision": "x", "amount": str(10**30)})
    assert response.status_code == 422
    assert not DelegationDecision.objects.exists()
