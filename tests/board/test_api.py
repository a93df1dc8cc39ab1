"""/api/v1/ registry: public reads, token-authenticated people and changes, refusals."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from board.models import ApiToken, Appointment, AuditEvent, StaffRole
from tests.factories import PersonFactory


def bearer(user) -> dict[str, str]:
    _, key = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_public_reads_need_no_token(board, member):
    c = Client()
    slug = board.organisation.slug
    assert any(o["slug"] == slug for o in c.get("/api/v1/organisations").json())
    assert c.get(f"/api/v1/organisations/{slug}").json()["name"] == board.organisation.name
    names = {m["name"] for m in c.get("/api/v1/member-organisations").json()}
    assert {m.name for m in board.members} <= names
    members = c.get(f"/api/v1/organisations/{slug}/members").json()
    assert len(members) == 5 and members[0]["member"]["kind_label"]
    assert c.get(f"/api/v1/organisations/{slug}/members?date=2010-01-01").json() == []
    boards = c.get(f"/api/v1/organisations/{slug}/board?date=2024-01-01").json()
    assert len(boards[0]["seats"]) == 9
    # Public composition carries no contact details.
    assert member.person.email not in str(boards)


def _token_endpoints(board, secretary) -> list[tuple[str, str, dict]]:
    slug = board.organisation.slug
    seat = Appointment.objects.filter(organ=board.organ).first()
    role = StaffRole.objects.get(person__user=secretary)
    person = secretary.person
    return [
        ("get", f"/api/v1/people/{person.pk}", {}),
        ("get", f"/api/v1/organisations/{slug}/people", {}),
        ("post", f"/api/v1/organisations/{slug}/people", {"first_name": "A", "last_name": "B"}),
        ("get", f"/api/v1/organisations/{slug}/appointments", {}),
        ("post", f"/api/v1/organisations/{slug}/appointments",
         {"organ_id": board.organ.pk, "person_id": person.pk, "seat": "ledamot", "start": "2024-01-01"}),
        ("post", f"/api/v1/appointments/{seat.pk}/end", {"end": "2030-01-01"}),
        ("get", f"/api/v1/organisations/{slug}/staff-roles", {}),
        ("post", f"/api/v1/organisations/{slug}/staff-roles",
         {"person_id": person.pk, "role": "ekonom", "start": "2024-01-01"}),
        ("post", f"/api/v1/staff-roles/{role.pk}/end", {"end": "2030-01-01"}),
    ]


def _call(client: Client, method: str, url: str, body: dict, headers: dict):
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, body, content_type="application/json", **headers)


def test_token_endpoints_refuse_anonymous_bad_token_and_outsider(board, secretary, outsider):
    client = Client()
    outsider_headers = bearer(outsider)
    for method, url, body in _token_endpoints(board, secretary):
        assert _call(client, method, url, body, {}).status_code == 401, url
        assert _call(client, method, url, body, {"HTTP_AUTHORIZATION": "Bearer fel"}).status_code == 401, url
        assert _call(client, method, url, body, outsider_headers).status_code == 404, url
    assert not AuditEvent.objects.filter(verb__startswith="appointment").exists()


def test_revoked_token_is_refused(board, secretary):
    token, key = ApiToken.issue(user=secretary, name="x")
    token.revoked_at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    token.save()
    response = Client().get(f"/api/v1/organisations/{board.organisation.slug}/people",
                            HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401


def test_member_may_read_people_but_not_change(board, secretary, member):
    headers = bearer(member)
    client = Client()
    for method, url, body in _token_endpoints(board, secretary):
        expected = 200 if method == "get" else 404
        assert _call(client, method, url, body, headers).status_code == expected, url


def test_people_endpoint_gives_contact_details_to_insiders(board, secretary, member):
    response = Client().get(f"/api/v1/organisations/{board.organisation.slug}/people", **bearer(secretary))
    emails = {p["email"] for p in response.json()}
    assert member.person.email in emails and secretary.person.email in emails


def test_secretary_adds_and_ends_an_appointment_through_the_api(board, secretary):
    headers = bearer(secretary)
    client = Client()
    slug = board.organisation.slug
    person = PersonFactory()
    response = client.post(
        f"/api/v1/organisations/{slug}/appointments",
        {"organ_id": board.organ.pk, "person_id": person.pk, "seat": "ledamot", "start": "2024-01-01",
         "appointed_by_id": board.members[0].pk, "role": "vice_ordforande"},
        content_type="application/json", **headers,
    )
    assert response.status_code == 201, response.content
    seat_id = response.json()["id"]
    response = client.post(
        f"/api/v1/organisations/{slug}/appointments",
        {"organ_id": board.organ.pk, "person_id": PersonFactory().pk, "seat": "ersattare", "start": "2024-01-01",
         "substitute_for_id": seat_id, "call_order": 1, "appointed_by_id": board.members[0].pk},
        content_type="application/json", **headers,
    )
    assert response.status_code == 201 and response.json()["substitute_for_id"] == seat_id
    response = client.post(f"/api/v1/appointments/{seat_id}/end", {"end": "2024-12-31"},
                           content_type="application/json", **headers)
    assert response.status_code == 200 and response.json()["end"] == "2024-12-31"
    seat = Appointment.objects.get(pk=seat_id)
    assert seat.history.first().history_user == secretary
    assert AuditEvent.objects.filter(verb="appointment.ended", actor=secretary).exists()


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"end": "2023-01-01"}, "end", "Slutdatum måste vara efter startdatum."),
        ({"seat": "ersattare", "role": "ordforande"}, "role", "Bara en ledamot"),
        ({"organ_id": 0}, "organ_id", "Finns inte."),
        ({"seat": "nagot"}, "seat", "inget giltigt alternativ"),
    ],
)
def test_bad_appointment_is_422_with_a_field_reason_and_saves_nothing(board, secretary, body, field, reason):
    person = PersonFactory()
    payload = {"organ_id": board.organ.pk, "person_id": person.pk, "seat": "ledamot", "start": "2024-01-01", **body}
    response = Client().post(f"/api/v1/organisations/{board.organisation.slug}/appointments", payload,
                             content_type="application/json", **bearer(secretary))
    assert response.status_code == 422, response.content
    messages = response.json()["detail"][field]
    assert any(reason in m for m in messages), messages
    assert not Appointment.objects.filter(person=person).exists()


def test_staff_role_add_and_end_through_the_api(board, secretary):
    headers = bearer(secretary)
    person = PersonFactory()
    response = Client().post(f"/api/v1/organisations/{board.organisation.slug}/staff-roles",
                             {"person_id": person.pk, "role": "revisor", "start": "2024-01-01"},
                             content_type="application/json", **headers)
    assert response.status_code == 201
    role_id = response.json()["id"]
    response = Client().post(f"/api/v1/staff-roles/{role_id}/end", {"end": "2023-12-31"},
                             content_type="application/json", **headers)
    assert response.status_code == 422
    assert response.json()["detail"]["end"] == ["Slutdatum måste vara efter startdatum."]
    response = Client().post(f"/api/v1/staff-roles/{role_id}/end", {"end": "2024-12-31"},
                             content_type="application/json", **headers)
    assert response.status_code == 200


def test_create_api_token_prints_the_key_once_and_stores_only_its_hash(secretary):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "sekreterare", "diariet", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=secretary, name="diariet")
    assert token.key_hash == ApiToken.hash_key(key) and key not in (token.key_hash, token.prefix)
    assert Client().get("/api/v1/organisations/prov/people", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_openapi_and_docs_load(db):
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/organisations/{slug}/appointments" in paths
    assert "BearerAuth" in str(schema.json()["components"]) or "TokenAuth" in str(schema.json()["components"])
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
    body = docs.content.decode()
    # Bundled Swagger UI from our own static files, nothing from a CDN.
    assert "/static/ninja/swagger-ui-bundle.js" in body and "cdn" not in body.lower()
    assert "script-src 'self'" in docs["Content-Security-Policy"]


def test_create_api_token_for_an_unknown_user_fails_and_creates_nothing(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ingen användare"):
        call_command("create_api_token", "finns-inte", "x", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()
