"""Registry pages: who may see and change what, forms in Swedish, history, query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from board.models import Appointment, AuditEvent, Person, StaffRole
from board.services import person_create
from tests.factories import AppointmentFactory, PersonFactory

TODAY = dt.date.today()


def _pages(board, secretary) -> dict[str, str]:
    """Every non-public registry page of the association, by name."""
    org = board.organisation
    appointment = Appointment.objects.filter(organ=board.organ).first()
    staff_role = StaffRole.objects.get(person__user=secretary)
    return {
        "organisation_history": reverse("board:organisation_history", args=[org.slug]),
        "person_add": reverse("board:person_add", args=[org.slug]),
        "appointment_add": reverse("board:appointment_add", args=[org.slug]),
        "appointment_end": reverse("board:appointment_end", args=[org.slug, appointment.pk]),
        "staff_role_add": reverse("board:staff_role_add", args=[org.slug]),
        "staff_role_end": reverse("board:staff_role_end", args=[org.slug, staff_role.pk]),
        "person_history": reverse("board:person_history", args=[secretary.person.pk]),
        "appointment_history": reverse("board:appointment_history", args=[appointment.pk]),
        "staff_role_history": reverse("board:staff_role_history", args=[staff_role.pk]),
        "member_history": reverse("board:member_history", args=[board.members[0].pk]),
    }


def test_outsider_gets_404_on_every_non_public_registry_page(board, secretary, outsider, login):
    client = login(outsider)
    for name, url in _pages(board, secretary).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"end": "2030-01-01"}).status_code == 404, name


def test_anonymous_visitor_is_sent_to_login_from_every_non_public_page(board, secretary):
    client = Client()
    for name, url in _pages(board, secretary).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name
    response = client.get(reverse("board:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_secretary_and_site_admin_reach_every_page(board, secretary, site_admin, login):
    for user in (secretary, site_admin):
        client = login(user)
        for name, url in _pages(board, secretary).items():
            assert client.get(url).status_code == 200, (user, name)


def test_a_member_may_read_history_but_not_change_the_registry(board, secretary, member, login):
    client = login(member)
    pages = _pages(board, secretary)
    assert client.get(pages["organisation_history"]).status_code == 200
    for name in ("person_add", "appointment_add", "appointment_end", "staff_role_add", "staff_role_end"):
        assert client.get(pages[name]).status_code == 404, name


def test_public_pages_are_open_to_everyone(board, outsider, login, secretary):
    for client in (Client(), login(outsider)):
        assert client.get("/").status_code == 200
        assert client.get(reverse("board:organisations")).status_code == 200
        assert client.get(board.organisation.get_absolute_url()).status_code == 200
        assert client.get(secretary.person.get_absolute_url()).status_code == 200


def test_person_page_shows_contact_details_only_to_insiders(board, secretary, member, outsider, login):
    url = member.person.get_absolute_url()
    email = member.person.email
    assert email in login(secretary).get(url).content.decode()
    assert email in login(member).get(url).content.decode()
    for client in (Client(), login(outsider)):
        body = client.get(url).content.decode()
        assert email not in body
        assert "Ledamot" in body  # the seat itself is public


def test_person_page_lists_appointment_and_staff_role_history(board, secretary, login):
    person = PersonFactory(first_name="Rahaf", last_name="Ramado")
    AppointmentFactory(organ=board.organ, person=person, appointed_by=board.members[3],
                       start=dt.date(2020, 1, 1), end=dt.date(2023, 12, 31))
    AppointmentFactory(organ=board.organ, person=person, appointed_by=board.members[3],
                       start=dt.date(2024, 1, 1), role=Appointment.Role.VICE_CHAIR)
    StaffRole.objects.create(organisation=board.organisation, person=person, role=StaffRole.Role.DEVELOPER,
                             start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31))
    body = login(secretary).get(person.get_absolute_url()).content.decode()
    assert "2020-01-01 – 2023-12-31" in body
    assert "vice ordförande" in body
    assert "Utvecklingsledare" in body
    assert body.index("2024-01-01") < body.index("2020-01-01")  # newest first


def test_a_person_with_no_seat_is_hidden_from_outsiders(board, secretary, outsider, login):
    person = person_create(first_name="Ny", last_name="Person", actor=secretary)
    assert Client().get(person.get_absolute_url()).status_code == 404
    assert login(secretary).get(person.get_absolute_url()).status_code == 200


def _appointment_post(board, person, **extra) -> dict[str, object]:
    return {
        "organ": board.organ.pk, "person": person.pk, "seat": "ledamot",
        "appointed_by": board.members[2].pk, "role": "", "start": "2024-01-01", "end": "", **extra,
    }


def test_secretary_adds_an_appointment_with_pairing_and_it_is_attributed(board, secretary, login):
    client = login(secretary)
    person = PersonFactory()
    response = client.post(reverse("board:appointment_add", args=[board.organisation.slug]),
                           _appointment_post(board, person))
    assert response.status_code == 302, response.content.decode()
    seat = Appointment.objects.get(person=person)
    substitute = PersonFactory()
    response = client.post(
        reverse("board:appointment_add", args=[board.organisation.slug]),
        _appointment_post(board, substitute, seat="ersattare", substitute_for=seat.pk, call_order=2),
    )
    assert response.status_code == 302, response.content.decode()
    sub = Appointment.objects.get(person=substitute)
    assert sub.substitute_for == seat and sub.call_order == 2
    assert seat.history.first().history_user == secretary
    assert AuditEvent.objects.filter(verb="appointment.added", actor=secretary).count() == 2


def test_appointment_form_errors_are_swedish_and_nothing_is_saved(board, secretary, login):
    client = login(secretary)
    person = PersonFactory()
    url = reverse("board:appointment_add", args=[board.organisation.slug])
    response = client.post(url, _appointment_post(board, person, end="2023-06-30"))
    assert response.status_code == 200
    assert "Slutdatum måste vara efter startdatum." in response.content.decode()
    response = client.post(url, _appointment_post(board, person, seat="ersattare", role="ordforande"))
    assert "Bara en ledamot kan vara ordförande" in response.content.decode()
    response = client.post(url, _appointment_post(board, person, start=""))
    assert "Detta fält måste fyllas i." in response.content.decode()
    member_seat = Appointment.objects.filter(organ=board.organ, seat="ledamot").first()
    response = client.post(url, _appointment_post(board, person, substitute_for=member_seat.pk))
    assert "Bara en ersättare kan vara ersättare för någon." in response.content.decode()
    assert not Appointment.objects.filter(person=person).exists()


def test_appointment_from_a_member_of_another_association_is_refused(board, other_board, secretary, login):
    person = PersonFactory()
    response = login(secretary).post(
        reverse("board:appointment_add", args=[board.organisation.slug]),
        _appointment_post(board, person, appointed_by=other_board.members[0].pk),
    )
    # The other association's member is not even a choice.
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Appointment.objects.filter(person=person).exists()


def test_end_an_appointment_and_a_staff_role(board, secretary, director, login):
    client = login(secretary)
    seat = Appointment.objects.filter(organ=board.organ).first()
    url = reverse("board:appointment_end", args=[board.organisation.slug, seat.pk])
    response = client.post(url, {"end": "2019-06-30"})
    assert "Slutdatum måste vara efter startdatum." in response.content.decode()
    assert client.post(url, {"end": "2023-12-31"}).status_code == 302
    seat.refresh_from_db()
    assert seat.end == dt.date(2023, 12, 31)
    role = StaffRole.objects.get(person__user=director)
    url = reverse("board:staff_role_end", args=[board.organisation.slug, role.pk])
    assert client.post(url, {"end": "2024-03-31"}).status_code == 302
    role.refresh_from_db()
    assert role.end == dt.date(2024, 3, 31)
    assert AuditEvent.objects.filter(verb="staff_role.ended", actor=secretary).exists()


def test_add_a_person_and_a_staff_role(board, secretary, login):
    client = login(secretary)
    response = client.post(reverse("board:person_add", args=[board.organisation.slug]),
                           {"first_name": "Ann", "last_name": "Rilegård", "email": "ann@example.se", "phone": ""})
    assert response.status_code == 302
    person = Person.objects.get(last_name="Rilegård")
    response = client.post(reverse("board:person_add", args=[board.organisation.slug]),
                           {"first_name": "", "last_name": "X", "email": "inte-en-adress"})
    assert "Fyll i en giltig e-postadress." in response.content.decode()
    url = reverse("board:staff_role_add", args=[board.organisation.slug])
    response = client.post(url, {"person": person.pk, "role": "ekonom", "start": "2024-01-01", "end": "2023-01-01"})
    assert "Slutdatum måste vara efter startdatum." in response.content.decode()
    response = client.post(url, {"person": person.pk, "role": "ekonom", "start": "2024-01-01", "end": ""})
    assert response.status_code == 302
    assert StaffRole.objects.get(person=person).history.first().history_user == secretary


def test_history_shows_who_changed_what_and_when(board, secretary, login):
    client = login(secretary)
    seat = Appointment.objects.filter(organ=board.organ).first()
    client.post(reverse("board:appointment_end", args=[board.organisation.slug, seat.pk]), {"end": "2023-12-31"})
    body = client.get(reverse("board:appointment_history", args=[seat.pk])).content.decode()
    assert f'<td class="govuk-table__cell">{secretary.person.full_name}</td>' in body  # the person who changed it, not their login
    assert "Till och med: – → 2023-12-31" in body
    assert "Ändrad" in body and "Skapad" in body


def test_dashboard_lists_my_associations_and_roles(board, chair, secretary, outsider, login):
    body = login(chair).get(reverse("board:dashboard")).content.decode()
    assert board.organisation.name in body
    assert "Ordförande" in body and "Ledamot" in body
    body = login(outsider).get(reverse("board:dashboard")).content.decode()
    assert board.organisation.name not in body


def test_organisation_page_marks_composition_warnings_and_manager_links(board, secretary, member, login):
    Appointment.objects.filter(organ=board.organ, role=Appointment.Role.CHAIR).delete()
    body = login(secretary).get(board.organisation.get_absolute_url()).content.decode()
    assert "Ingen ordförande är utsedd." in body
    assert reverse("board:appointment_add", args=[board.organisation.slug]) in body
    body = login(member).get(board.organisation.get_absolute_url()).content.decode()
    assert reverse("board:appointment_add", args=[board.organisation.slug]) not in body


def _grow_board(board, n: int) -> None:
    for i in range(n):
        m = AppointmentFactory(organ=board.organ, appointed_by=board.members[i % 5])
        AppointmentFactory(organ=board.organ, appointed_by=board.members[i % 5], seat="ersattare",
                           substitute_for=m, call_order=1)


@pytest.mark.parametrize("extra_seats", [0, 40])
def test_organisation_page_query_count_does_not_grow_with_the_board(
    board, secretary, login, django_assert_max_num_queries, extra_seats
):
    _grow_board(board, extra_seats)
    client = login(secretary)
    with django_assert_max_num_queries(13):
        response = client.get(board.organisation.get_absolute_url())
    assert response.status_code == 200
    assert len(re.findall(r"<tr\b", response.content.decode())) > 3 + extra_seats  # header + every ledamot row


@pytest.mark.parametrize("seats", [1, 30])
def test_person_page_query_count_does_not_grow_with_the_history(
    board, secretary, login, django_assert_max_num_queries, seats
):
    person = PersonFactory()
    for i in range(seats):
        AppointmentFactory(organ=board.organ, person=person, appointed_by=board.members[i % 5],
                           start=dt.date(1990 + i, 1, 1), end=dt.date(1990 + i, 12, 31))
        StaffRole.objects.create(organisation=board.organisation, person=person, role="ekonom",
                                 start=dt.date(1990 + i, 1, 1), end=dt.date(1990 + i, 12, 31))
    client = login(secretary)
    with django_assert_max_num_queries(9):
        response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("Avsluta") == 0  # all ended


def test_an_invalid_field_points_at_its_error_message(board, secretary, login):
    response = login(secretary).post(
        reverse("board:staff_role_add", args=[board.organisation.slug]),
        {"person": "", "role": "ekonom", "start": "2024-01-01", "end": "2023-01-01"},
    )
    body = response.content.decode()
    assert 'aria-describedby="id_end_error"' in body and 'id="id_end_error"' in body
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="id_person_error"' in body
    assert 'aria-describedby="id_role_error"' not in body
