"""The personnummer e-ID signatures are matched against: set by whoever keeps the registry,
validated, one person's only, masked on pages, never public, never in the history."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from board.models import AuditEvent, Person
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PNR = "198112189876"


def _url(org, person) -> str:
    return reverse("board:person_identity_number", args=[org.slug, person.pk])


def test_the_registry_keeper_sets_it_and_sees_it_masked_only(org, secretary, member):
    person = member.person
    response = client_for(secretary).post(_url(org, person), {"identity_number": "19811218-9876"}, follow=True)
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.personal_identity_number == PNR
    page = response.content.decode()
    assert "19xxxxxx-xx76" in page
    assert PNR not in page and "811218" not in page
    form = client_for(secretary).get(_url(org, person)).content.decode()
    assert "19xxxxxx-xx76" in form and "811218" not in form


def test_an_invalid_number_is_a_swedish_error_and_nothing_is_saved(org, secretary, member):
    response = client_for(secretary).post(_url(org, member.person), {"identity_number": "19811218-9875"})
    assert response.status_code == 200
    assert "Personnumret är inte giltigt" in response.content.decode()
    member.person.refresh_from_db()
    assert member.person.personal_identity_number == ""


def test_another_persons_number_is_refused(org, secretary, member, chair):
    Person.objects.filter(pk=chair.person.pk).update(personal_identity_number=PNR)
    response = client_for(secretary).post(_url(org, member.person), {"identity_number": PNR})
    assert "En annan person har redan det personnumret" in response.content.decode()
    member.person.refresh_from_db()
    assert member.person.personal_identity_number == ""


def test_empty_removes_it(org, secretary, member):
    Person.objects.filter(pk=member.person.pk).update(personal_identity_number=PNR)
    client_for(secretary).post(_url(org, member.person), {"identity_number": ""})
    member.person.refresh_from_db()
    assert member.person.personal_identity_number == ""


def test_neither_history_nor_audit_keeps_the_number(org, secretary, member):
    client_for(secretary).post(_url(org, member.person), {"identity_number": PNR})
    event = AuditEvent.objects.get(verb="person.identity_number")
    assert PNR not in f"{event.summary} {event.data}"
    assert not hasattr(member.person.history.model, "personal_identity_number")


@pytest.mark.parametrize("who", ["member", "outsider", "anonymous"])
def test_only_the_registry_keeper_may_set_it(org, secretary, member, outsider, who):
    user = {"member": member, "outsider": outsider, "anonymous": None}[who]
    client = client_for(user) if user else Client()
    response = client.post(_url(org, member.person), {"identity_number": PNR})
    assert response.status_code in (302, 403, 404)
    if who == "anonymous":
        assert "/konto/" in response["Location"] or "login" in response["Location"]
    member.person.refresh_from_db()
    assert member.person.personal_identity_number == ""


def test_the_public_person_page_shows_no_trace_of_it(org, member):
    Person.objects.filter(pk=member.person.pk).update(personal_identity_number=PNR)
    page = Client().get(member.person.get_absolute_url()).content.decode()
    assert "Personnummer" not in page and "xx76" not in page and "811218" not in page
