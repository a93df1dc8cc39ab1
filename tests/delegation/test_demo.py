"""The demo: the förbundschef's three delegation decisions become the report paragraph of the
board's next meeting when the demo secretary clicks the button."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from board.demo import loader as board_demo
from minutes.demo import loader as demo
from minutes.models import DelegationDecision, Meeting
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    board_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())


def test_the_demo_decisions_become_the_next_meetings_report(loaded):
    decisions = DelegationDecision.objects.filter(organisation__slug="vastmanland")
    assert decisions.count() == 3
    assert {d.decided_by.full_name for d in decisions} == {"Catarina Örtengren"}
    meeting = Meeting.objects.get(organ__organisation__slug="vastmanland", organ__name="Styrelsen",
                                  date__gte=timezone.localdate())
    secretary = get_user_model().objects.get(username="sekreterare")
    response = client_for(secretary).post(reverse("minutes:delegation_report", args=[meeting.pk]))
    assert response.status_code == 302
    paragraph = meeting.paragraphs.get(title="Anmälan av delegationsbeslut")
    assert set(decisions.values_list("reported_in", flat=True)) == {paragraph.pk}
    for matter in ("Föreläsare till temadag", "Visstidsanställning av projektsamordnare", "Lokal för samordningsteamet"):
        assert matter in paragraph.body
    assert "96 000 kr, kan överklagas" in paragraph.body


def test_the_demo_forbundschef_sees_the_register(loaded):
    director = get_user_model().objects.get(username="forbundschef")
    page = client_for(director).get(reverse("minutes:delegation_register", args=["vastmanland"])).content.decode()
    assert "Nytt delegationsbeslut" in page and "Lokal för samordningsteamet i Köping" in page


def test_loading_twice_adds_no_decision(loaded):
    before = (DelegationDecision.objects.count(), Meeting.objects.count())
    demo.load(stdout=io.StringIO())
    assert (DelegationDecision.objects.count(), Meeting.objects.count()) == before


def test_done_when_ledamot_reads_a_handling_of_the_next_meeting_and_writes_a_note_ordforande_cannot_see(loaded):
    """Issue 20's walk-through in the demo (the phone-sized browser run is tests/member/test_browser.py)."""
    users = get_user_model().objects
    ledamot, ordforande = client_for(users.get(username="ledamot")), client_for(users.get(username="ordforande"))
    meeting = Meeting.objects.get(organ__organisation__slug="vastmanland", organ__name="Styrelsen",
                                  date__gte=timezone.localdate())
    room = ledamot.get("/mitt-sammantrade/").content.decode()
    assert f"/mitt-sammantrade/{meeting.pk}/" in room
    page = ledamot.get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    assert "Anmälan av delegationsbeslut" in page and "Läs Uppföljning samordningsteamet Köping" in page
    handling = meeting.documents.get(title="Uppföljning samordningsteamet Köping")
    read = ledamot.get(f"/handlingar/{handling.pk}/visa/")
    assert read["Content-Type"] == "application/pdf" and b"".join(read.streaming_content).startswith(b"%PDF")
    item = meeting.agenda_items.get(title="Uppföljning av samordningsteamet i Köping")
    ledamot.post(f"/mitt-sammantrade/{meeting.pk}/anteckning/", {"agenda_item": item.pk, "text": "Fråga om väntetider"})
    assert "Fråga om väntetider" in ledamot.get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    assert "Fråga om väntetider" not in ordforande.get(f"/mitt-sammantrade/{meeting.pk}/").content.decode()
    assert "Fråga om väntetider" not in ordforande.get("/mina-anteckningar.txt").content.decode()
