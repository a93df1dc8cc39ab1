"""The delegation pages: who gets in, the refusal shown on the form, search, export, buttons."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from minutes.delegation import services
from minutes.models import DelegationDecision, DelegationLine, Notice
from tests.conftest import client_for
from tests.justering.conftest import build_minutes

from .conftest import record


@pytest.fixture
def decision(org, line, director):
    return record(org, line, director, matter="=cmd|' /C calc'!A0", appealable=True,
                  decided_on=dt.date(2023, 10, 2))


def _pages(org, decision, meeting_pk):
    """(method, url, whether the page changes the order or the register)."""
    slug = org.slug
    line = reverse("minutes:delegation_line_edit", args=[slug, decision.line_id])
    return [
        ("get", reverse("minutes:delegation_order", args=[slug]), False),
        ("get", reverse("minutes:delegation_line_add", args=[slug]), True),
        ("post", reverse("minutes:delegation_line_add", args=[slug]), True),
        ("get", line, True),
        ("post", line, True),
        ("get", reverse("minutes:delegation_register", args=[slug]), False),
        ("get", reverse("minutes:delegation_decision_add", args=[slug]), True),
        ("post", reverse("minutes:delegation_decision_add", args=[slug]), True),
        ("get", reverse("minutes:delegation_export", args=[slug]), False),
        ("post", reverse("minutes:delegation_notice", args=[decision.pk]), True),
        ("post", reverse("minutes:delegation_report", args=[meeting_pk]), True),
    ]


@pytest.fixture
def meeting(board, secretary, chair, member):
    return build_minutes(board, secretary, chair, member, date=dt.date(2023, 11, 2))


def test_anonymous_users_are_sent_to_log_in(org, decision, meeting):
    for method, url, _changes in _pages(org, decision, meeting.pk):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/"), url


def test_an_outsider_learns_nothing(org, decision, meeting, outsider):
    client = client_for(outsider)
    for method, url, _changes in _pages(org, decision, meeting.pk):
        assert getattr(client, method)(url).status_code == 404, url
    assert DelegationDecision.objects.count() == 1 and not Notice.objects.exists()


def test_a_board_member_reads_but_changes_nothing(org, decision, meeting, member):
    client = client_for(member)
    for method, url, changes in _pages(org, decision, meeting.pk):
        response = getattr(client, method)(url)
        if changes:
            assert response.status_code == 403, url
        else:
            assert response.status_code == 200, url
    assert not Notice.objects.exists()
    assert not meeting.paragraphs.filter(title="Anmälan av delegationsbeslut").exists()
    assert DelegationLine.objects.get().valid_to is None


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


def test_the_buttons_and_the_notice_day_chosen(org, decision, meeting, secretary):
    client = client_for(secretary)
    response = client.post(reverse("minutes:delegation_report", args=[meeting.pk]))
    assert response.status_code == 302
    assert meeting.paragraphs.filter(title="Anmälan av delegationsbeslut").exists()
    response = client.post(reverse("minutes:delegation_report", args=[meeting.pk]), follow=True)
    assert "Sammanträdet har redan en anmälan av delegationsbeslut" in response.content.decode()
    register = client.get(reverse("minutes:delegation_register", args=[org.slug])).content.decode()
    today = timezone.localdate()
    assert f'name="posted_on" id="id_posted_on_{decision.pk}" value="{today:%Y-%m-%d}"' in register
    post = reverse("minutes:delegation_notice", args=[decision.pk])
    for day, error in (("", "Detta fält måste fyllas i."), ("igår", "Fyll i ett giltigt datum."),
                       (f"{today - dt.timedelta(days=1):%Y-%m-%d}", "en dag som redan har varit")):
        response = client.post(post, {"posted_on": day}, follow=True)
        assert error in response.content.decode() and not Notice.objects.exists(), day
    monday = today + dt.timedelta(days=7 - today.weekday())  # a day to come the secretary chose
    response = client.post(post, {"posted_on": f"{monday:%Y-%m-%d}"}, follow=True)
    notice = Notice.objects.get(kind=Notice.Kind.DELEGATION)
    assert notice.posted_on == monday and notice.last_appeal_day >= monday + dt.timedelta(days=21)
    assert f"sista dag för överklagande {notice.last_appeal_day:%Y-%m-%d}" in response.content.decode()


def test_a_line_without_decisions_is_changed_and_one_with_decisions_only_ended(org, line, decision, secretary):
    client = client_for(secretary)
    url = reverse("minutes:delegation_line_edit", args=[org.slug, line.pk])
    assert url in client.get(reverse("minutes:delegation_order", args=[org.slug])).content.decode()
    page = client.get(url).content.decode()
    assert "kan punkten bara avslutas" in page and 'name="matter"' in page and "disabled" in page
    base = {"code": "3.2", "matter": "Inköp av tjänster", "delegate_role": "forbundschef",
            "max_amount": "50000", "report_duty": "on", "valid_from": "2023-01-01"}
    # A disabled field a person (or a hand-made POST) changes anyway keeps what the line said.
    response = client.post(url, {**base, "max_amount": "900000", "valid_to": "2023-12-31"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.max_amount, line.valid_to) == (50_000, dt.date(2023, 12, 31))
    response = client.post(url, {**base, "valid_to": "2023-09-30"})  # before its decision of 2023-10-02
    assert response.status_code == 422
    assert "har beslut till och med 2023-10-02; den kan inte upphöra före dess" in response.content.decode()
    line.refresh_from_db()
    assert line.valid_to == dt.date(2023, 12, 31)
    response = client.post(url, {**base, "valid_to": "2022-12-31"})
    assert response.status_code == 422 and line.history.count() == 2

    free = services.delegation_line_add(
        organisation=org, code="5.1", matter="Attest", delegate_role="forbundschef",
        valid_from=dt.date(2024, 1, 1), actor=secretary,
    )
    url = reverse("minutes:delegation_line_edit", args=[org.slug, free.pk])
    assert "disabled" not in client.get(url).content.decode()
    response = client.post(url, {"code": "5.2", "matter": " Attest av fakturor ", "delegate_role": "forbundschef",
                                 "max_amount": "20000", "valid_from": "2024-02-01"})
    assert response.status_code == 302
    free.refresh_from_db()
    assert (free.code, free.matter, free.max_amount, free.report_duty, free.valid_from) == (
        "5.2", "Attest av fakturor", 20_000, False, dt.date(2024, 2, 1))
    response = client.post(url, {"code": "5.2", "matter": "Attest", "delegate_role": "forbundschef",
                                 "valid_from": "2024-02-01", "valid_to": "2024-01-01"})
    assert response.status_code == 422 and "Slutdatum kan inte vara före startdatum." in response.content.decode()


def test_the_service_refuses_to_rewrite_a_line_with_decisions(org, line, decision, secretary):
    with pytest.raises(ValidationError) as refused:
        services.delegation_line_update(line=line, actor=secretary, max_amount=900_000)
    assert "kan bara avslutas" in str(refused.value.message_dict["max_amount"])
    with pytest.raises(ValidationError):
        services.delegation_line_update(line=line, actor=secretary, colour="röd")
    ended = services.delegation_line_update(line=line, actor=secretary, valid_to=dt.date(2023, 10, 2))
    assert ended.valid_to == dt.date(2023, 10, 2) and ended.max_amount == 50_000
    with pytest.raises(ValidationError):  # a decision the day after the end is outside the order
        record(org, ended, secretary, decided_on=dt.date(2023, 10, 3))


def test_bad_input_answers_without_failing(org, line, director):
    client = client_for(director)
    url = reverse("minutes:delegation_register", args=[org.slug])
    assert client.get(url, {"q": "a\x00b", "ar": "99999999999999999999"}).status_code == 200
    add = reverse("minutes:delegation_decision_add", args=[org.slug])
    response = client.post(add, {"line": line.pk, "decided_on": "2024-02-01", "matter": "Nul\x00l",
                                 "decision": "x", "amount": str(10**30)})
    assert response.status_code == 422
    assert not DelegationDecision.objects.exists()
