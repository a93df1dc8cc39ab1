"""Registry rules: who sat on the board on a day, composition warnings, constraints, mergers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from board import selectors
from board.models import Appointment, Organisation, StaffRole
from board.permissions import Action, Role, can, organisation_ids_for, roles_for
from board.services import appointment_add, appointment_end, staff_role_add
from tests.conftest import make_board, user_with_staff_role
from tests.factories import AppointmentFactory, PersonFactory

OLD_LAST_DAY = dt.date(2023, 12, 31)
NEW_FIRST_DAY = dt.date(2024, 1, 1)


@pytest.fixture
def term_change(board, secretary):
    """Kommun A's ledamot: Gammal until 2023-12-31, Ny from 2024-01-01."""
    kommun_a = board.members[3]
    Appointment.objects.filter(organ=board.organ, appointed_by=kommun_a, seat="ledamot").delete()
    old = appointment_add(organ=board.organ, person=PersonFactory(first_name="Gammal"), seat="ledamot",
                          appointed_by=kommun_a, start=dt.date(2020, 1, 1), actor=secretary)
    appointment_end(appointment=old, end=OLD_LAST_DAY, actor=secretary)
    new = appointment_add(organ=board.organ, person=PersonFactory(first_name="Ny"), seat="ledamot",
                          appointed_by=kommun_a, start=NEW_FIRST_DAY, actor=secretary)
    return old, new


def test_board_on_the_last_day_of_a_term_and_the_first_day_of_the_next(board, term_change):
    old, new = term_change
    on_last_day = list(selectors.board_on(board.organ, OLD_LAST_DAY))
    on_first_day = list(selectors.board_on(board.organ, NEW_FIRST_DAY))
    assert old in on_last_day and new not in on_last_day
    assert new in on_first_day and old not in on_first_day
    assert len(on_last_day) == len(on_first_day)  # one seat changed hands, none lost


def test_board_on_is_one_query(board, term_change, django_assert_num_queries):
    with django_assert_num_queries(1):
        seats = list(selectors.board_on(board.organ, NEW_FIRST_DAY))
        _ = [(a.person.full_name, a.appointed_by and a.appointed_by.name) for a in seats]


def test_the_board_page_at_either_date_shows_the_right_person(board, term_change):
    old, new = term_change
    url = board.organisation.get_absolute_url()
    page = Client().get(url, {"datum": "2023-12-31"}).content.decode()
    assert old.person.full_name in page and new.person.full_name not in page
    page = Client().get(url, {"datum": "2024-01-01"}).content.decode()
    assert new.person.full_name in page and old.person.full_name not in page
    page = Client().get(url, {"datum": "inte-ett-datum"}).content.decode()
    assert "Ogiltigt datum" in page


def test_permissions_follow_the_term_change(board, term_change):
    old, _new = term_change
    from tests.factories import UserFactory

    user = UserFactory(username="gammal")
    old.person.user = user
    old.person.save()
    assert Role.MEMBER in roles_for(user, board.organisation, OLD_LAST_DAY)
    assert roles_for(user, board.organisation, NEW_FIRST_DAY) == frozenset()


# --- Composition warnings ------------------------------------------------------------------


def test_complete_board_has_no_warnings(board, chair, member):
    assert selectors.composition_warnings(board.organ, dt.date(2024, 1, 1)) == []


def test_missing_ledamot_is_a_warning(board, chair, member):
    Appointment.objects.filter(organ=board.organ, appointed_by=board.members[4], seat="ledamot").delete()
    warnings = selectors.composition_warnings(board.organ, dt.date(2024, 1, 1))
    assert f"{board.members[4].name} har ingen ledamot." in warnings


def test_fewer_ersattare_than_ledamoter_is_a_warning(board, chair, member):
    AppointmentFactory(organ=board.organ, appointed_by=board.members[2], seat="ledamot")
    warnings = selectors.composition_warnings(board.organ, dt.date(2024, 1, 1))
    assert any(w.startswith(board.members[2].name) and "1 ersättare men 2 ledamöter" in w for w in warnings)


def test_no_chair_and_two_chairs_are_warnings(board, chair, member):
    day = dt.date(2024, 1, 1)
    Appointment.objects.filter(role=Appointment.Role.CHAIR).update(role="")
    assert "Ingen ordförande är utsedd." in selectors.composition_warnings(board.organ, day)
    Appointment.objects.filter(person__user__in=[chair, member]).update(role=Appointment.Role.CHAIR)
    warnings = selectors.composition_warnings(board.organ, day)
    assert any(w.startswith("Flera ordförande samtidigt") for w in warnings)


def test_warnings_do_not_block_saving_an_incomplete_board(board, secretary):
    # A second chair is a warning on the page, not an error in the service.
    appointment_add(organ=board.organ, person=PersonFactory(), seat="ledamot", appointed_by=board.members[2],
                    role=Appointment.Role.CHAIR, start=dt.date(2024, 1, 1), actor=secretary)
    appointment_add(organ=board.organ, person=PersonFactory(), seat="ledamot", appointed_by=board.members[3],
                    role=Appointment.Role.CHAIR, start=dt.date(2024, 1, 1), actor=secretary)
    page = Client().get(board.organisation.get_absolute_url(), {"datum": "2024-02-01"}).content.decode()
    assert "Flera ordförande samtidigt" in page


# --- End after start: an error, in the service and in the database -------------------------


def test_database_refuses_an_appointment_ending_on_or_before_its_start(board):
    for end in (dt.date(2019, 12, 31), dt.date(2020, 1, 1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Appointment.objects.create(organ=board.organ, person=PersonFactory(), seat="ledamot",
                                       start=dt.date(2020, 1, 1), end=end)


def test_database_refuses_a_staff_role_ending_before_its_start(board):
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRole.objects.create(organisation=board.organisation, person=PersonFactory(), role="ekonom",
                                 start=dt.date(2020, 1, 1), end=dt.date(2019, 1, 1))


def test_services_refuse_end_before_start_with_a_field_error(board, secretary):
    with pytest.raises(ValidationError, match="Slutdatum måste vara efter startdatum") as exc:
        appointment_add(organ=board.organ, person=PersonFactory(), seat="ledamot",
                        start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 1), actor=secretary)
    assert exc.value.message_dict["end"] == ["Slutdatum måste vara efter startdatum."]
    with pytest.raises(ValidationError, match="Slutdatum måste vara efter startdatum"):
        staff_role_add(organisation=board.organisation, person=PersonFactory(), role="ekonom",
                       start=dt.date(2024, 1, 1), end=dt.date(2023, 1, 1), actor=secretary)


def test_pairing_must_be_an_ersattare_with_a_ledamot_of_the_same_organ(board, other_board, secretary):
    ledamot = Appointment.objects.filter(organ=board.organ, seat="ledamot").first()
    ersattare = Appointment.objects.filter(organ=board.organ, seat="ersattare").first()
    other = AppointmentFactory(organ=other_board.organ, appointed_by=other_board.members[0])
    cases = [
        ("ledamot", ledamot, "Bara en ersättare kan vara ersättare för någon"),
        ("ersattare", ersattare, "En ersättare paras med en ledamot"),
        ("ersattare", other, "Ledamoten sitter i ett annat organ"),
    ]
    for seat, partner, reason in cases:
        with pytest.raises(ValidationError, match=reason) as exc:
            appointment_add(organ=board.organ, person=PersonFactory(), seat=seat, substitute_for=partner,
                            start=dt.date(2024, 1, 1), actor=secretary)
        assert "substitute_for" in exc.value.message_dict


# --- Mergers --------------------------------------------------------------------------------


@pytest.fixture
def merger(db):
    successor = make_board(name="Samordningsförbundet Län", slug="lan").organisation
    predecessors = [make_board(name=f"Samordningsförbundet Del {i}", slug=f"del-{i}").organisation for i in (1, 2)]
    for p in predecessors:
        p.successor = successor
        p.active_until = OLD_LAST_DAY
        p.save()
    successor.active_from = NEW_FIRST_DAY
    successor.save()
    return successor, predecessors


def test_merger_links_both_ways(merger):
    successor, predecessors = merger
    assert set(successor.predecessors.all()) == set(predecessors)
    page = Client().get(successor.get_absolute_url()).content.decode()
    assert all(p.name in page for p in predecessors)
    page = Client().get(predecessors[0].get_absolute_url()).content.decode()
    assert "Uppgick i" in page and successor.name in page


def test_successors_secretary_gets_roles_on_the_predecessors(merger):
    successor, predecessors = merger
    from board.models import Organ
    from tests.conftest import Board

    board = Board(organisation=successor, organ=Organ.objects.get(organisation=successor), members=[])
    secretary = user_with_staff_role(board, "lanssekreterare", StaffRole.Role.SECRETARY)
    for p in predecessors:
        assert Role.SECRETARY in roles_for(secretary, p)
        assert can(secretary, Action.EDIT_MINUTES, p)
    assert set(organisation_ids_for(secretary, Action.VIEW)) == {successor.pk, *(p.pk for p in predecessors)}


def test_outsider_gets_no_role_on_merged_associations(merger, outsider):
    successor, predecessors = merger
    for org in (successor, *predecessors):
        assert roles_for(outsider, org) == frozenset()
        assert not can(outsider, Action.VIEW, org)


def test_a_predecessors_secretary_gets_nothing_on_the_successor(merger):
    successor, predecessors = merger
    from board.models import Organ
    from tests.conftest import Board

    board = Board(organisation=predecessors[0], organ=Organ.objects.get(organisation=predecessors[0]), members=[])
    local = user_with_staff_role(board, "lokalsekreterare", StaffRole.Role.SECRETARY)
    assert not can(local, Action.VIEW, successor)
    assert not can(local, Action.VIEW, predecessors[1])
    assert Organisation.objects.filter(pk__in=organisation_ids_for(local)).count() == 1
