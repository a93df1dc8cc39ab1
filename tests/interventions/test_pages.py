"""Intervention pages: finance's numbers on the intervention, who may see and change what,
forms with Swedish errors, and a list page whose query count does not grow."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from board.formatting import format_kr
from finance.reports import build_report
from finance.services.forecasts import forecast_update
from finance.services.outcomes import outcome_set
from interventions.action_items import action_items_from_paragraph
from interventions.models import (
    ActionItem,
    FollowUp,
    Intervention,
    InterventionDocument,
    SteeringGroupMember,
    SupplementaryRequest,
)
from interventions.services.follow_up import follow_up_record
from interventions.services.registry import document_add, intervention_create
from interventions.services.supplementary import (
    request_decide,
    request_put_on_agenda,
    request_register,
)
from minutes.drafting import services as minutes_services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def supplementary(intervention, secretary):
    return request_register(
        intervention=intervention, year=2024, amount=Decimal("147424"), reason="Högre kostnader.",
        received_on=dt.date(2024, 2, 20), actor=secretary,
    )


@pytest.fixture
def task(meeting, secretary, intervention):
    paragraph = minutes_services.paragraph_add(
        meeting=meeting, title="Uppdrag", clauses=["Styrelsen uppdrar åt förbundschef att utreda."], actor=secretary,
    )
    return action_items_from_paragraph(paragraph=paragraph, intervention=intervention, actor=secretary)[0]


@pytest.fixture
def document(intervention, secretary):
    return document_add(
        intervention=intervention, upload=SimpleUploadedFile("plan.pdf", PDF), title="Plan", actor=secretary
    )


def _urls(intervention, supplementary, task, document) -> dict[str, tuple[str, str]]:
    slug, pk = intervention.organisation.slug, intervention.pk
    return {
        "list": ("get", reverse("interventions:list", args=[slug])),
        "new": ("get", reverse("interventions:new", args=[slug])),
        "detail": ("get", reverse("interventions:detail", args=[slug, pk])),
        "edit": ("get", reverse("interventions:edit", args=[slug, pk])),
        "steering_add": ("post", reverse("interventions:steering_add", args=[slug, pk])),
        "document_add": ("post", reverse("interventions:document_add", args=[slug, pk])),
        "document": ("get", reverse("interventions:document", args=[slug, pk, document.pk])),
        "funding_add": ("post", reverse("interventions:funding_add", args=[slug, pk])),
        "request_new": ("get", reverse("interventions:request_new", args=[slug, pk])),
        "request_agenda": ("post", reverse("interventions:request_agenda", args=[slug, pk, supplementary.pk])),
        "request_decide": ("post", reverse("interventions:request_decide", args=[slug, pk, supplementary.pk])),
        "follow_up": ("get", reverse("interventions:follow_up", args=[slug, pk])),
        "follow_up_post": ("post", reverse("interventions:follow_up", args=[slug, pk])),
        "indicator_add": ("post", reverse("interventions:indicator_add", args=[slug, pk])),
        "report_pdf": ("post", reverse("interventions:report_pdf", args=[slug, pk])),
        "action_items": ("get", reverse("interventions:action_items", args=[slug])),
        "action_item_update": ("post", reverse("interventions:action_item_update", args=[slug, task.pk])),
        "action_items_scan": ("post", reverse("interventions:action_items_scan", args=[slug])),
        "action_items_agenda": ("post", reverse("interventions:action_items_agenda", args=[slug])),
    }


def test_outsider_and_anonymous_get_404_everywhere(client, login, outsider, intervention, supplementary, task, document):
    outsider_client = login(outsider)
    for name, (method, url) in _urls(intervention, supplementary, task, document).items():
        for c in (outsider_client, client):
            response = getattr(c, method)(url)
            assert response.status_code == 404, (name, response.status_code)
    assert SupplementaryRequest.objects.get().status == SupplementaryRequest.Status.RECEIVED
    assert ActionItem.objects.get().status == ActionItem.Status.OPEN


def test_a_board_member_reads_but_changes_nothing(login, member, intervention, supplementary, task, document, meeting):
    c = login(member)
    urls = _urls(intervention, supplementary, task, document)
    for name, (method, url) in urls.items():
        response = getattr(c, method)(url, {f"r{supplementary.pk}-meeting": meeting.pk})
        if method == "get" and name not in {"new", "edit", "request_new"}:
            assert response.status_code == 200, name
        elif name != "report_pdf":  # any reader may ask for the report PDF
            assert response.status_code == 403, (name, response.status_code)
    assert SupplementaryRequest.objects.get().agenda_item is None


def test_intervention_page_shows_finances_numbers(login, auditor, intervention, line, director, budget):
    outcome_set(line=line, date=dt.date(2024, 8, 31), amount=Decimal("-745806"), actor=director)
    forecast_update(line=line, amount=Decimal("-1650000"), based_on=None, actor=director)
    row = next(r for r in build_report(budget).rows if r.line == line)
    html = login(auditor).get(intervention.get_absolute_url()).content.decode()
    cells = re.search(r'<tr\b[^>]*\bid="finansiering-2024-prov"[^>]*>(.*?)</tr>', html, re.S).group(1)
    for css, value in (("budget", row.budget), ("outcome", row.outcome), ("forecast", row.forecast),
                       ("deviation", row.deviation)):
        shown = re.search(rf'class="[^"]*\bnum {css}">(.*?)<', cells, re.S).group(1).strip()
        assert shown == format_kr(value), css
    assert format_kr(Decimal("-1700000")) in cells and format_kr(Decimal("50000")) in cells
    # One source of truth: a new forecast in finance shows at once.
    latest = line.forecasts.order_by("-id").first()
    forecast_update(line=line, amount=Decimal("-1600000"), based_on=latest.pk, actor=director)
    assert format_kr(Decimal("-1600000")) in login(auditor).get(intervention.get_absolute_url()).content.decode()


def test_the_trail_is_on_the_intervention_page(login, secretary, intervention, supplementary, meeting):
    c = login(secretary)
    prefix = f"r{supplementary.pk}"
    url = intervention.get_absolute_url()
    r = c.post(reverse("interventions:request_agenda", args=["prov", intervention.pk, supplementary.pk]),
               {f"{prefix}-meeting": meeting.pk})
    assert r.status_code == 302
    r = c.post(reverse("interventions:request_decide", args=["prov", intervention.pk, supplementary.pk]),
               {f"{prefix}-granted_amount": "200000"})
    assert r.status_code == 400
    assert "större än det äskade" in r.content.decode()
    r = c.post(reverse("interventions:request_decide", args=["prov", intervention.pk, supplementary.pk]),
               {f"{prefix}-granted_amount": "120000"})
    assert r.status_code == 302
    html = c.get(url).content.decode()
    supplementary.refresh_from_db()
    assert "Delvis beviljad" in html
    assert f"i <a href=\"{supplementary.paragraph.get_absolute_url()}\">{supplementary.paragraph.label}</a>" in html
    assert supplementary.revision.label in html
    assert format_kr(Decimal("-1820000")) in html


def test_new_intervention_form_refuses_two_municipalities(login, secretary, board):
    r = login(secretary).post(reverse("interventions:new", args=["prov"]), {
        "name": "Kommuninsats", "kind": "individinriktad", "form": "projekt", "status": "foreslagen",
        "parties": [board.members[3].pk, board.members[4].pk],
    })
    assert r.status_code == 200
    assert "Kommunerna räknas tillsammans som en part" in r.content.decode()
    assert not Intervention.objects.filter(name="Kommuninsats").exists()
    r = login(secretary).post(reverse("interventions:new", args=["prov"]), {
        "name": "Kommuninsats", "kind": "individinriktad", "form": "projekt", "status": "foreslagen",
        "parties": [board.members[1].pk, board.members[4].pk],
    })
    assert r.status_code == 302
    assert Intervention.objects.get(name="Kommuninsats").parties.count() == 2


def test_contact_person_enters_follow_up_and_sees_errors(login, contact, member, intervention):
    url = reverse("interventions:follow_up", args=["prov", intervention.pk])
    data = {"period_start": "2024-01-01", "period_end": "2024-04-30", "enrolled": 5, "new": 2, "closed": 9,
            "steps_work": 0, "steps_studies": 0}
    # The contact has no role in the association, only this intervention's contact.
    c = login(contact)
    assert c.get(url).status_code == 200
    r = c.post(url, data)
    assert r.status_code == 400
    assert "Avslutade kan inte vara fler än inskrivna och nya tillsammans (7)" in r.content.decode()
    r = c.post(url, {**data, "closed": 3})
    assert r.status_code == 302
    assert FollowUp.objects.get().entered_by == contact
    assert login(member).post(url, {**data, "closed": 1}).status_code == 403


def test_the_contact_reaches_only_the_follow_up_of_their_intervention(login, contact, board, org, secretary, intervention):
    other = intervention_create(
        organisation=org, name="Annan insats", kind="individinriktad", parties=board.members[:2], actor=secretary,
    )
    c = login(contact)
    assert c.get(reverse("interventions:follow_up", args=["prov", other.pk])).status_code == 404
    assert c.get(intervention.get_absolute_url()).status_code == 404  # finance and the rest are not theirs
    assert c.get(reverse("interventions:list", args=["prov"])).status_code == 404


def test_uploads_are_checked_by_content(login, secretary, intervention):
    url = reverse("interventions:document_add", args=["prov", intervention.pk])
    r = login(secretary).post(url, {"title": "Fake", "file": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf")})
    assert r.status_code == 400
    assert "innehållet avgör" in r.content.decode()
    r = login(secretary).post(url, {"title": "Plan", "file": SimpleUploadedFile("plan.pdf", PDF)})
    assert r.status_code == 302
    doc = InterventionDocument.objects.get()
    assert doc.file_type == "pdf" and len(doc.sha256) == 64
    download = login(secretary).get(reverse("interventions:document", args=["prov", intervention.pk, doc.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_steering_group_and_edit(login, secretary, intervention, board):
    from tests.factories import PersonFactory

    person = PersonFactory(first_name="Stina", last_name="Styrgrupp")
    c = login(secretary)
    r = c.post(reverse("interventions:steering_add", args=["prov", intervention.pk]),
               {"person": person.pk, "role": "Enhetschef AF"})
    assert r.status_code == 302
    assert SteeringGroupMember.objects.get().role == "Enhetschef AF"
    assert "Stina Styrgrupp, Enhetschef AF" in c.get(intervention.get_absolute_url()).content.decode()


def test_list_page_query_count_does_not_grow(login, auditor, board, org, secretary, django_assert_max_num_queries):
    c = login(auditor)
    url = reverse("interventions:list", args=["prov"])
    for i in range(3):
        intervention_create(organisation=org, name=f"Insats {i}", kind="individinriktad",
                                     parties=board.members[:3], actor=secretary)
    c.get(url)  # warm the session
    with django_assert_max_num_queries(9):
        r = c.get(url)
    for i in range(3, 15):
        intervention_create(organisation=org, name=f"Insats {i}", kind="strukturovergripande",
                                     parties=board.members, actor=secretary)
    with django_assert_max_num_queries(9):
        r = c.get(url)
    assert len(re.findall(r"<tr\b", r.content.decode())) == 16  # header + 15 rows


def test_action_items_page_updates_and_carries(login, secretary, task, next_meeting):
    c = login(secretary)
    r = c.post(reverse("interventions:action_items_agenda", args=["prov"]), {"dagordning-meeting": next_meeting.pk})
    assert r.status_code == 302
    assert next_meeting.agenda_items.get().title == "Uppföljning av uppdrag"
    r = c.post(reverse("interventions:action_item_update", args=["prov", task.pk]),
               {f"u{task.pk}-status": "klar", f"u{task.pk}-owner_text": "förbundschef", f"u{task.pk}-report": "Klart."})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.status == "klar" and task.closed_on is not None
    c.post(reverse("interventions:action_items_agenda", args=["prov"]), {"dagordning-meeting": next_meeting.pk})
    assert not next_meeting.agenda_items.exists()
    assert "Inga uppdrag." in c.get(reverse("interventions:action_items", args=["prov"])).content.decode()


def test_follow_up_page_has_chart_with_text_alternative(login, auditor, intervention, secretary):
    follow_up_record(intervention=intervention, period_start=dt.date(2024, 1, 1),
                              period_end=dt.date(2024, 4, 30), enrolled=10, new=5, closed=3, steps_work=4,
                              actor=secretary)
    html = login(auditor).get(reverse("interventions:follow_up", args=["prov", intervention.pk])).content.decode()
    assert '<svg' in html and '<title id="trend-1-titel">' in html and '<desc id="trend-1-beskrivning">' in html
    assert "Diagrammet som tabell" in html
    assert 'style="' not in html and "<script>" not in html


def test_detail_page_query_count_does_not_grow_with_requests_and_tasks(login, auditor, secretary, intervention, meeting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def decided_request(n: int) -> None:
        r = request_register(intervention=intervention, year=2024, amount=Decimal(1000 + n), reason="x",
                                      received_on=dt.date(2024, 2, n), actor=secretary)
        request_put_on_agenda(request=r, meeting=meeting, actor=secretary)
        request_decide(request=r, granted_amount=Decimal(500), actor=secretary)
        paragraph = minutes_services.paragraph_add(
            meeting=meeting, title=f"Uppdrag {n}", clauses=[f"Styrelsen uppdrar åt förbundschef att göra {n}."],
            actor=secretary,
        )
        action_items_from_paragraph(paragraph=paragraph, intervention=intervention, actor=secretary)

    c = login(auditor)
    decided_request(1)
    c.get(intervention.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        c.get(intervention.get_absolute_url())
    for n in range(2, 6):
        decided_request(n)
    with CaptureQueriesContext(connection) as five:
        html = c.get(intervention.get_absolute_url()).content.decode()
    assert html.count('class="card request"') == 5
    assert len(five) == len(one), f"{len(one)} queries with one request, {len(five)} with five"
