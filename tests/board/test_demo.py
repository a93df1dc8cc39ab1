"""load_demo loads the seeds' boards and is idempotent, for every app's loader."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from board import selectors
from board.demo.data import PASSWORD
from board.demo.loader import person_named
from board.models import Appointment, Organ, Organisation
from board.permissions import Action, Role, can, roles_for


def _dump() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model (history tables included), in primary-key order.

    A model whose migration another app has not written yet has no table; makemigrations
    --check catches that, not this test.
    """
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.db_table in tables
    }


@pytest.mark.django_db
def test_load_demo_twice_leaves_the_same_database():
    call_command("load_demo", stdout=StringIO())
    first = _dump()
    assert sum(len(rows) for rows in first.values()) > 100
    out = StringIO()
    call_command("load_demo", stdout=out)
    second = _dump()
    assert {k: len(v) for k, v in second.items()} == {k: len(v) for k, v in first.items()}
    for label in first:
        assert second[label] == first[label], f"{label} changed on the second run"
    # The logins and the password are the last thing printed.
    printed = out.getvalue()
    assert PASSWORD in printed
    assert printed.rstrip().splitlines()[-1].split()[0] == "revisor"


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_vastmanland_board_2024_is_seed_003s_table(demo):
    organ = Organ.objects.get(organisation__slug="vastmanland", name="Styrelsen")
    seats = list(selectors.board_on(organ, dt.date(2024, 9, 11)))
    members = [a for a in seats if a.seat == Appointment.Seat.MEMBER]
    substitutes = [a for a in seats if a.seat == Appointment.Seat.SUBSTITUTE]
    assert len(members) == 13 and len(substitutes) == 13
    chair = next(a for a in members if a.role == Appointment.Role.CHAIR)
    vice = next(a for a in members if a.role == Appointment.Role.VICE_CHAIR)
    assert chair.person.full_name == "Shpetim Pirraku"
    assert chair.appointed_by.name == "Köpings kommun"
    assert vice.person.full_name == "Maria Kesselring"
    ingvarsson = next(a for a in members if a.person.full_name == "Roger Ingvarsson")
    paired = next(a for a in substitutes if a.substitute_for_id == ingvarsson.pk)
    assert paired.person.full_name == "Elisabeth Åberg"
    assert selectors.composition_warnings(organ, dt.date(2024, 9, 11), seats) == []


def test_predecessor_boards_and_interim_board(demo):
    interim = Organ.objects.get(organisation__slug="vastmanland", name="Interimsstyrelsen")
    assert len(selectors.board_on(interim, dt.date(2023, 8, 29))) == 16
    assert len(selectors.board_on(interim, dt.date(2024, 1, 1))) == 0
    nvsam = Organ.objects.get(organisation__slug="norra-vastmanland")
    names = {a.person.full_name for a in selectors.board_on(nvsam, dt.date(2023, 11, 2))}
    assert {"Elisabet Pettersson", "Roger Ingvarsson", "Eva Bergling"} <= names
    svm = Organ.objects.get(organisation__slug="vastra-malardalen")
    assert len(selectors.board_on(svm, dt.date(2020, 9, 3))) == 8
    for slug in ("norra-vastmanland", "vastra-malardalen", "vasteras"):
        assert Organisation.objects.get(slug=slug).successor.slug == "vastmanland"
    # Seed 000: the interim board's notices name Ann Rilegård, though Mikael Thesslund took the minutes.
    assert Organisation.objects.get(slug="vastmanland").notice_responsible == person_named("Ann Rilegård")
    # The seeds' other spellings find the same person.
    assert person_named("Rahaf Ramdo") == person_named("Rahaf Ramado")


def test_demo_logins_have_the_roles_the_readme_promises(demo):
    vastmanland = Organisation.objects.get(slug="vastmanland")
    nvsam = Organisation.objects.get(slug="norra-vastmanland")
    request = RequestFactory().post("/konto/logga-in/")
    users = {name: authenticate(request, username=name, password=PASSWORD) for name in
             ["admin", "sekreterare", "ordforande", "justerare", "ledamot", "forbundschef", "ekonom", "revisor"]}
    assert all(users.values()), users
    assert users["admin"].is_superuser
    assert Role.SECRETARY in roles_for(users["sekreterare"], vastmanland)
    assert Role.SECRETARY in roles_for(users["sekreterare"], nvsam, dt.date(2023, 11, 2))
    assert Role.CHAIR in roles_for(users["ordforande"], nvsam, dt.date(2023, 11, 2))
    assert Role.MEMBER in roles_for(users["justerare"], vastmanland)
    assert Role.MEMBER in roles_for(users["ledamot"], vastmanland)
    assert Role.DIRECTOR in roles_for(users["forbundschef"], vastmanland)
    assert Role.ACCOUNTANT in roles_for(users["ekonom"], vastmanland)
    assert Role.AUDITOR in roles_for(users["revisor"], vastmanland)
    assert can(users["sekreterare"], Action.MANAGE_REGISTRY, vastmanland)
    assert not can(users["ledamot"], Action.MANAGE_REGISTRY, vastmanland)


def test_demo_people_pass_model_validation(demo):
    from board.models import Person

    for person in Person.objects.all():
        person.full_clean()
    assert person_named("Åsa Brodd").email == "asa.brodd@example.se"
