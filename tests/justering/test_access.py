"""Pages and API of the justering: who gets in, who is refused (outsider and anonymous
everywhere), 4xx with reasons, and signing through the API."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from board.documents.models import RenderedDocument
from board.documents.services import document_render
from board.models import ApiToken
from minutes.justering.selectors import current_version
from minutes.models import Meeting, MinutesUnlock, Signature
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _token, key = ApiToken.issue(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def _post(client: Client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def page_urls(meeting: Meeting) -> list[tuple[str, str]]:
    p = meeting.paragraphs.first().pk
    return [
        ("get", f"/sammantraden/{meeting.pk}/justering/"),
        ("get", f"/sammantraden/{meeting.pk}/justering/historik/"),
        ("post", f"/sammantraden/{meeting.pk}/justering/skicka/"),
        ("post", f"/sammantraden/{meeting.pk}/justering/kommentera/"),
        ("post", f"/sammantraden/{meeting.pk}/justering/skriv-under/"),
        ("post", f"/sammantraden/{meeting.pk}/justering/avboj/"),
        ("post", f"/sammantraden/{meeting.pk}/justering/upplasning/"),
        ("post", f"/utdrag/{p}/"),
        ("post", f"/utdrag/{p}/skicka/"),
    ]


def api_urls(meeting: Meeting) -> list[tuple[str, str, dict]]:
    p = meeting.paragraphs.first().pk
    return [
        ("get", f"/api/v1/meetings/{meeting.pk}/justering", {}),
        ("post", f"/api/v1/meetings/{meeting.pk}/justering/send", {}),
        ("post", f"/api/v1/meetings/{meeting.pk}/justering/comments", {"text": "x"}),
        ("post", f"/api/v1/meetings/{meeting.pk}/justering/sign", {"password": PASSWORD}),
        ("post", f"/api/v1/meetings/{meeting.pk}/justering/decline", {"reason": "x"}),
        ("post", f"/api/v1/meetings/{meeting.pk}/justering/unlock", {"reason": "x"}),
        ("get", f"/api/v1/meetings/{meeting.pk}/justering/pdf/full", {}),
        ("post", f"/api/v1/paragraphs/{p}/extract", {}),
        ("get", f"/api/v1/paragraphs/{p}/extract.pdf", {}),
        ("post", f"/api/v1/paragraphs/{p}/send-extract", {}),
    ]


def test_the_outsider_and_the_anonymous_visitor_are_refused_every_page(sent, outsider, login):
    for method, url in page_urls(sent):
        assert getattr(login(outsider), method)(url).status_code == 404, url
        anonymous = getattr(Client(), method)(url)
        assert anonymous.status_code == 302 and "logga-in" in anonymous["Location"], url
    sent.refresh_from_db()
    assert sent.status == Meeting.Status.JUSTERING and not Signature.objects.exists()


def test_the_outsider_and_the_anonymous_caller_are_refused_every_endpoint(justered, outsider):
    for method, url, body in api_urls(justered):
        response = _post(api(outsider), url, body) if method == "post" else api(outsider).get(url)
        assert response.status_code == 404, url
        anonymous = _post(Client(), url, body) if method == "post" else Client().get(url)
        assert anonymous.status_code == 401, url


def test_the_outsider_cannot_download_or_see_the_status_of_the_full_pdf(justered, outsider, member, login):
    document = RenderedDocument.objects.get(object_id=justered.pk, kind="minutes.full")
    document_render(document.pk)
    for url in (f"/dokument/{document.pk}/hamta/", f"/dokument/{document.pk}/status/"):
        assert login(outsider).get(url).status_code == 404
        assert login(member).get(url).status_code == 200
    assert Client().get(f"/dokument/{document.pk}/hamta/").status_code == 404


def test_the_justering_page_shows_deadline_signers_and_the_sign_form_to_a_signer(sent, chair, director, login):
    page = login(chair).get(f"/sammantraden/{sent.pk}/justering/").content.decode()
    assert "2023-11-16" in page and "Sista dag för justering" in page
    assert 'id="id_password"' in page and 'name="version" value="1"' in page
    assert chair.person.full_name in page
    other = login(director).get(f"/sammantraden/{sent.pk}/justering/").content.decode()
    assert 'id="id_password"' not in other  # may read, not sign


def test_signing_through_the_page(sent, chair, login):
    client = login(chair)
    wrong = client.post(f"/sammantraden/{sent.pk}/justering/skriv-under/", {"password": "fel", "version": "1"}, follow=True)
    assert "Fel lösenord" in wrong.content.decode()
    assert not Signature.objects.exists()
    client.post(f"/sammantraden/{sent.pk}/justering/skriv-under/", {"password": PASSWORD, "version": "1"})
    assert Signature.objects.get().person == chair.person


def test_the_page_shows_the_render_status_which_refreshes_until_done(justered, member, login):
    page = login(member).get(f"/sammantraden/{justered.pk}/justering/").content.decode()
    document = RenderedDocument.objects.get(object_id=justered.pk, kind="minutes.full")
    assert f'hx-get="/dokument/{document.pk}/status/"' in page and 'hx-trigger="every 2s"' in page
    document_render(document.pk)
    page = login(member).get(f"/sammantraden/{justered.pk}/justering/").content.decode()
    assert f"/dokument/{document.pk}/hamta/" in page
    assert f'hx-get="/dokument/{document.pk}/status/"' not in page


def test_the_api_runs_the_whole_justering(minutes, secretary, chair, member):
    status = _post(api(secretary), f"/api/v1/meetings/{minutes.pk}/justering/send")
    assert status.status_code == 200 and status.json()["status"] == "under_justering"
    assert status.json()["deadline"] == "2023-11-16"
    paragraph = minutes.paragraphs.first()
    comment = _post(api(member), f"/api/v1/meetings/{minutes.pk}/justering/comments",
                    {"text": "Rätta stavningen", "paragraph_id": paragraph.pk})
    assert comment.status_code == 201 and comment.json()["paragraph"] == paragraph.label
    wrong = _post(api(chair), f"/api/v1/meetings/{minutes.pk}/justering/sign", {"password": "fel"})
    assert wrong.status_code == 422 and "password" in wrong.json()["detail"]
    not_signer = _post(api(secretary), f"/api/v1/meetings/{minutes.pk}/justering/sign", {"password": "fel", "version": 9})
    assert not_signer.status_code == 422  # the secretary is a signer; the version is wrong
    for user in (chair, member, secretary):
        r = _post(api(user), f"/api/v1/meetings/{minutes.pk}/justering/sign", {"password": PASSWORD, "version": 1})
        assert r.status_code == 201, r.content
    assert r.json()["meeting_status"] == "justerat"
    status = api(member).get(f"/api/v1/meetings/{minutes.pk}/justering").json()
    assert all(s["signed_at"] for s in status["signers"])
    assert {d["kind"] for d in status["documents"]} == {"minutes.full", "minutes.public"}
    pending = api(member).get(f"/api/v1/meetings/{minutes.pk}/justering/pdf/full")
    assert pending.status_code == 404
    for d in RenderedDocument.objects.filter(object_id=minutes.pk, kind__startswith="minutes."):
        document_render(d.pk)
    pdf = api(member).get(f"/api/v1/meetings/{minutes.pk}/justering/pdf/full")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    extract = _post(api(secretary), f"/api/v1/paragraphs/{paragraph.pk}/extract")
    assert extract.status_code == 202 and extract.json()["kind"] == "minutes.extract"
    # Unlock: chair proposes, the chair alone cannot confirm, a member can.
    reasonless = _post(api(chair), f"/api/v1/meetings/{minutes.pk}/justering/unlock", {"reason": ""})
    assert reasonless.status_code == 422
    proposed = _post(api(chair), f"/api/v1/meetings/{minutes.pk}/justering/unlock", {"reason": "Fel datum"})
    assert proposed.status_code == 201
    unlock_id = proposed.json()["id"]
    assert _post(api(chair), f"/api/v1/meetings/{minutes.pk}/justering/unlock/{unlock_id}/confirm").status_code == 422
    done = _post(api(member), f"/api/v1/meetings/{minutes.pk}/justering/unlock/{unlock_id}/confirm")
    assert done.status_code == 200 and done.json()["to_version"] == 2
    assert MinutesUnlock.objects.get().status == MinutesUnlock.Status.DONE


def test_the_api_decline_needs_a_reason_and_a_signer(sent, member, director):
    assert _post(api(director), f"/api/v1/meetings/{sent.pk}/justering/decline", {"reason": "x"}).status_code == 403
    assert _post(api(member), f"/api/v1/meetings/{sent.pk}/justering/decline", {"reason": " "}).status_code == 422
    r = _post(api(member), f"/api/v1/meetings/{sent.pk}/justering/decline", {"reason": "Fel belopp"})
    assert r.status_code == 200 and r.json()["status"] == "protokoll_under_arbete"
    assert current_version(sent) is None


def test_signing_via_the_api_is_refused_to_a_non_signer(sent, director):
    r = _post(api(director), f"/api/v1/meetings/{sent.pk}/justering/sign", {"password": PASSWORD})
    assert r.status_code == 403


def test_a_signer_whose_seat_has_ended_may_still_read_and_sign(sent, chair, login):
    import datetime as dt

    from board.models import Appointment
    from board.permissions import Action, can

    Appointment.objects.filter(person=chair.person).update(end=dt.date(2023, 12, 31))
    chair.__dict__.pop("_samordna_roles", None)
    assert not can(chair, Action.VIEW, sent.organ.organisation)
    client = login(chair)
    assert client.get(f"/sammantraden/{sent.pk}/justering/").status_code == 200
    client.post(f"/sammantraden/{sent.pk}/justering/skriv-under/", {"password": PASSWORD, "version": "1"})
    assert Signature.objects.filter(person=chair.person).exists()
    # ...but not the association's other meetings.
    assert client.get(f"/sammantraden/{sent.pk}/").status_code == 404
