"""The API's BankID signature, against the local stand-in of BankID's RP API
(tests/bankid_standin.py, not BankID): start, collect, cancel, and every refusal as a 4xx with
its reason (503 when BankID cannot be reached)."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client

from board.models import ApiToken
from minutes.justering.signing import bankid
from minutes.models import Meeting, Signature
from tests.justering.conftest import PNR, with_personnummer

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _token, key = ApiToken.issue(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def _start(client: Client, meeting: Meeting):
    return client.post(f"/api/v1/meetings/{meeting.pk}/justering/bankid", "{}", content_type="application/json")


def _order(meeting: Meeting, ref: str) -> str:
    return f"/api/v1/meetings/{meeting.pk}/justering/bankid/{ref}"


@pytest.fixture
def signers(chair, member, secretary):
    with_personnummer(chair, member, secretary)
    return chair, member, secretary


@pytest.fixture(autouse=True)
def _clean_cache():
    yield
    cache.clear()


def test_start_collect_complete_records_the_signature_once(sent, signers, bankid_standin):
    chair = signers[0]
    client = api(chair)
    started = _start(client, sent)
    assert started.status_code == 201, started.content
    body = started.json()
    ref = body["order_ref"]
    assert ref in bankid_standin.orders
    assert body["autostart_url"] == f"bankid:///?autostarttoken={body['autostart_token']}&redirect=null"
    assert body["qr_data"].startswith("bankid.") and body["message"] == "Starta BankID-appen."
    version = sent.versions.get(status="aktuell")
    assert (body["version"], body["sha256"]) == (version.number, version.sha256)
    assert "secret" not in started.content.decode().lower()

    pending = client.get(_order(sent, ref)).json()
    assert pending["status"] == "pending" and pending["hint_code"] == "outstandingTransaction"
    assert pending["message"] == "Starta BankID-appen." and pending["qr_data"].startswith("bankid.")
    bankid_standin.hint(ref, "userSign")
    pending = client.get(_order(sent, ref)).json()
    assert pending["hint_code"] == "userSign" and pending["message"].startswith("Skriv in din säkerhetskod")

    bankid_standin.complete(ref, PNR["ordforande"], "Ordforande Testsson")
    done = client.get(_order(sent, ref))
    assert done.status_code == 200
    result = done.json()
    assert result["status"] == "complete" and result["qr_data"] is None
    signature = Signature.objects.get()
    assert result["signature"]["id"] == signature.pk
    assert (result["signature"]["method"], result["signature"]["level"]) == ("bankid", "avancerad")
    assert result["signature"]["identity"] == "19xxxxxx-xx30"
    assert bankid.BankIdMethod().verify(signature.evidence, version.sha256)

    again = client.get(_order(sent, ref)).json()  # the completed orderRef once more
    assert again["status"] == "complete" and again["signature"]["id"] == signature.pk
    assert Signature.objects.count() == 1


def test_the_last_signer_makes_the_minutes_justerade(sent, signers, bankid_standin):
    for user in signers:
        client = api(user)
        ref = _start(client, sent).json()["order_ref"]
        bankid_standin.complete(ref, PNR[user.username], user.person.full_name)
        result = client.get(_order(sent, ref)).json()
        assert result["status"] == "complete"
    assert result["signature"]["meeting_status"] == Meeting.Status.SIGNED
    sent.refresh_from_db()
    assert sent.status == Meeting.Status.SIGNED
    assert set(Signature.objects.values_list("method", flat=True)) == {"bankid"}


def test_a_failed_order_says_why_and_is_gone(sent, signers, bankid_standin):
    client = api(signers[0])
    ref = _start(client, sent).json()["order_ref"]
    bankid_standin.fail(ref, "userCancel")
    failed = client.get(_order(sent, ref)).json()
    assert (failed["status"], failed["hint_code"], failed["message"]) == ("failed", "userCancel", "Åtgärden avbruten.")
    assert client.get(_order(sent, ref)).status_code == 404
    assert not Signature.objects.exists()


def test_cancel_stops_the_order_at_bankid(sent, signers, bankid_standin):
    client = api(signers[0])
    ref = _start(client, sent).json()["order_ref"]
    assert client.delete(_order(sent, ref)).status_code == 204
    assert ("cancel", {"orderRef": ref}) in bankid_standin.calls and ref not in bankid_standin.orders
    assert client.get(_order(sent, ref)).status_code == 404
    assert client.delete(_order(sent, ref)).status_code == 404


def test_another_users_order_ref_is_404_and_left_alone(sent, signers, bankid_standin):
    chair, member, _secretary = signers
    ref = _start(api(chair), sent).json()["order_ref"]
    bankid_standin.complete(ref, PNR["ordforande"], "Ordforande Testsson")
    other = api(member)
    assert other.get(_order(sent, ref)).status_code == 404
    assert other.delete(_order(sent, ref)).status_code == 404
    assert ref in bankid_standin.orders and not Signature.objects.exists()
    assert api(chair).get(_order(sent, ref)).json()["status"] == "complete"


def test_an_order_ref_of_another_meeting_is_404(sent, signers, bankid_standin, board):
    import datetime as dt

    from minutes.justering import services as justering
    from tests.justering.conftest import build_minutes

    chair, member, secretary = signers
    other = build_minutes(board, secretary, chair, member, date=dt.date(2023, 12, 7))
    justering.minutes_send_for_justering(meeting=other, actor=secretary)
    ref = _start(api(chair), sent).json()["order_ref"]
    assert api(chair).get(_order(other, ref)).status_code == 404


def test_a_bankid_that_is_not_the_signers_is_refused_with_nothing_signed(sent, signers, bankid_standin):
    client = api(signers[0])
    ref = _start(client, sent).json()["order_ref"]
    bankid_standin.orders[ref].requirement.clear()
    bankid_standin.complete(ref, "199001011239", "Någon Annan")
    refused = client.get(_order(sent, ref))
    assert refused.status_code == 422
    assert "tillhör en annan person" in json.dumps(refused.json(), ensure_ascii=False)
    assert not Signature.objects.exists()
    assert client.get(_order(sent, ref)).status_code == 404  # the order is spent


def test_a_signature_that_does_not_verify_is_refused(sent, signers, bankid_standin):
    client = api(signers[0])
    ref = _start(client, sent).json()["order_ref"]
    bankid_standin.complete(ref, PNR["ordforande"], "Ordforande Testsson", foreign_ca=True)
    refused = client.get(_order(sent, ref))
    assert refused.status_code == 422 and "kunde inte kontrolleras" in refused.content.decode()
    assert not Signature.objects.exists()


def test_bankid_out_of_reach_is_503_with_a_swedish_reason(sent, signers, bankid_standin):
    client = api(signers[0])
    ref = _start(client, sent).json()["order_ref"]
    bankid_standin.stop()
    down = client.get(_order(sent, ref))
    assert down.status_code == 503 and "BankID går inte att nå just nu" in down.json()["detail"]
    start = _start(client, sent)
    assert start.status_code == 503 and "BankID går inte att nå just nu" in start.json()["detail"]


def test_a_second_order_while_one_runs_is_409(sent, signers, bankid_standin, monkeypatch):
    client = api(signers[0])
    assert _start(client, sent).status_code == 201

    def already(self, request):
        raise bankid.SigningFailed(bankid.RFA4)

    monkeypatch.setattr(bankid.BankIdMethod, "start", already)
    second = _start(client, sent)
    assert second.status_code == 409 and "redan påbörjad" in second.json()["detail"]


def test_refusals_before_bankid_is_asked(sent, signers, bankid_standin, director, board, settings):
    chair = signers[0]
    assert _start(api(director), sent).status_code == 403  # sees the meeting, does not sign it
    chair.person.personal_identity_number = ""
    chair.person.save()
    no_number = _start(api(chair), sent)
    assert no_number.status_code == 422 and "personnummer" in no_number.content.decode()
    with_personnummer(chair)
    settings.BANKID_SIGNATURE_ROOTS = []
    assert _start(api(chair), sent).status_code == 422
    settings.BANKID_SIGNATURE_ROOTS = [str(bankid_standin.signature_root_path)]
    board.organisation.signing_methods = ["losenord"]
    board.organisation.save()
    not_offered = _start(api(chair), sent)
    assert not_offered.status_code == 422 and "BankID" in not_offered.content.decode()
    assert bankid_standin.calls == []


def test_the_outsider_and_the_anonymous_caller_are_refused(sent, signers, outsider, bankid_standin):
    ref = _start(api(signers[0]), sent).json()["order_ref"]
    calls = [("post", f"/api/v1/meetings/{sent.pk}/justering/bankid"), ("get", _order(sent, ref)),
             ("delete", _order(sent, ref))]
    for method, url in calls:
        assert getattr(api(outsider), method)(url).status_code == 404, url
        assert getattr(Client(), method)(url).status_code == 401, url
    assert ref in bankid_standin.orders and len(bankid_standin.calls) == 1


@pytest.mark.parametrize("ref", ["%0A", "a" * 36, "%7B12345678-1234-1234-1234-1234567890ab%7D", "x" * 500])
def test_an_order_ref_that_is_no_uuid_is_404_and_never_a_cache_key(sent, signers, ref, monkeypatch):
    looked_up: list[str] = []
    monkeypatch.setattr(cache, "get", lambda key, *a, **k: looked_up.append(key))
    client = api(signers[0])
    assert client.get(_order(sent, ref)).status_code == 404
    assert client.delete(_order(sent, ref)).status_code == 404
    assert looked_up == []
