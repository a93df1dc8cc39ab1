"""The password (and code) asked again at signing and at removing the authenticator app count
as failed logins (django-axes, per user name and address): after AXES_FAILURE_LIMIT of them
the right password is refused too, on the page and through the API, until the cool-off."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from board.models import AuditEvent
from board.services import TooManyAttempts
from minutes.justering import services as justering
from minutes.models import Signature
from tests.conftest import PASSWORD
from tests.justering.conftest import sign, signing_request
from tests.justering.test_access import _post, api

pytestmark = pytest.mark.django_db
LIMIT = settings.AXES_FAILURE_LIMIT
LOCKED = "För många felaktiga försök med lösenord eller kod"


def _failures(user) -> int:
    return sum(AccessAttempt.objects.filter(username=user.get_username()).values_list("failures_since_start", flat=True))


def test_ten_wrong_passwords_through_the_api_then_the_right_one_does_not_sign(sent, chair):
    client = api(chair)
    url = f"/api/v1/meetings/{sent.pk}/justering/sign"
    responses = [_post(client, url, {"password": f"gissning-{i}"}) for i in range(10)]
    assert [r.status_code for r in responses] == [422] * (LIMIT - 1) + [429] * (10 - LIMIT + 1)
    # JSON with the reason from the limit-th on (not axes' HTML page for the login).
    assert all(LOCKED in r.json()["detail"] for r in responses[LIMIT - 1:])
    response = _post(client, url, {"password": PASSWORD})
    assert response.status_code == 429
    assert LOCKED in response.json()["detail"] and "60 minuter" in response.json()["detail"]
    assert response["Retry-After"] == "3600"
    assert not Signature.objects.exists()
    # Once locked, the password is not even looked at: the count stops at the limit.
    assert _failures(chair) == LIMIT
    assert AuditEvent.objects.filter(verb="auth.credentials_failed", actor=chair).count() == LIMIT


def test_on_the_page_the_lock_is_a_swedish_message_and_lifts_after_the_cool_off(sent, chair, member, login):
    client = login(chair)
    url = f"/sammantraden/{sent.pk}/justering/skriv-under/"
    for _ in range(10):
        response = client.post(url, {"password": "fel", "version": "1", "totp_code": "654321"},
                               REMOTE_ADDR="10.0.0.7")
        # Every answer is the justering page's (axes' login lockout page does not take over).
        assert response.status_code == 302 and response["Location"].endswith("#skriv-under")
    page = client.post(url, {"password": PASSWORD, "version": "1"}, REMOTE_ADDR="10.0.0.7", follow=True)
    assert LOCKED in page.content.decode()
    assert not Signature.objects.exists()
    # What axes keeps of the refused requests has neither the password nor the code.
    stored = AccessAttempt.objects.get(username=chair.get_username()).post_data
    assert "version=1" in stored and "fel" not in stored and "654321" not in stored

    # Per user and address, as for the login: another signer at the same address signs.
    login(member).post(url, {"password": PASSWORD, "version": "1"}, REMOTE_ADDR="10.0.0.7")
    assert Signature.objects.filter(person=member.person).count() == 1

    with time_machine.travel(dt.timedelta(hours=1, minutes=1)):
        done = client.post(url, {"password": PASSWORD, "version": "1"}, REMOTE_ADDR="10.0.0.7")
    assert done.status_code == 302
    assert Signature.objects.filter(person=chair.person).count() == 1


def test_wrong_codes_count_like_wrong_passwords(sent, chair):
    device = TOTPDevice.objects.create(user=chair, name="app", confirmed=True)
    wrong = "000000" if totp(device.bin_key) != 0 else "111111"
    for i in range(LIMIT):
        # Past django-otp's own growing wait after each wrong code: this is axes' count.
        reason = "För många felaktiga försök" if i == LIMIT - 1 else "Fel eller för gammal kod"
        with time_machine.travel(dt.timedelta(minutes=i)), pytest.raises(ValidationError, match=reason) as refused:
            sign(sent, chair, totp_code=wrong)
        # The limit-th wrong code locks; the ones before are refused for the code.
        locked = isinstance(refused.value, TooManyAttempts)
        assert locked == (i == LIMIT - 1)
        assert locked or "totp_code" in refused.value.message_dict
    with time_machine.travel(dt.timedelta(minutes=LIMIT + 1)), pytest.raises(TooManyAttempts):
        sign(sent, chair, totp_code=f"{totp(device.bin_key):06d}")
    assert not Signature.objects.exists()


def test_the_failure_is_counted_outside_the_signing_transaction(sent, chair):
    """A refused signature rolls its transaction back; the count of wrong passwords must stay."""
    with pytest.raises(ValidationError, match="Fel lösenord"):
        justering.justering_sign(meeting=sent, actor=chair, password="fel", request=signing_request())
    assert _failures(chair) == 1


def test_a_signature_resets_the_count_as_a_login_does(sent, chair):
    for _ in range(LIMIT - 1):
        with pytest.raises(ValidationError, match="Fel lösenord"):
            justering.justering_sign(meeting=sent, actor=chair, password="fel", request=signing_request())
    assert _failures(chair) == LIMIT - 1
    sign(sent, chair)
    assert _failures(chair) == 0


def test_failed_logins_and_wrong_passwords_at_signing_add_up(sent, chair):
    for _ in range(LIMIT - 1):
        Client().post("/konto/logga-in/", {"username": chair.get_username(), "password": "fel"}, REMOTE_ADDR="10.9.8.7")
    with pytest.raises(TooManyAttempts):
        justering.justering_sign(meeting=sent, actor=chair, password="fel", request=signing_request("10.9.8.7"))
    # And the login from that address is locked now.
    response = Client().post("/konto/logga-in/", {"username": chair.get_username(), "password": PASSWORD},
                             REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 429


def test_removing_the_authenticator_app_is_throttled_the_same_way(chair, login):
    device = TOTPDevice.objects.create(user=chair, name="app", confirmed=True)
    client = login(chair)
    for _ in range(LIMIT):
        client.post("/konto/tvafaktor/", {"action": "remove", "password": "fel", "code": "123456"})
    response = client.post("/konto/tvafaktor/", {"action": "remove", "password": PASSWORD,
                                                 "code": f"{totp(device.bin_key):06d}"}, follow=True)
    assert LOCKED in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AuditEvent.objects.filter(verb="auth.credentials_failed", data__purpose="tvåfaktor").count() == LIMIT
