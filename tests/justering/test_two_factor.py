"""A signer adds, uses and removes their own authenticator app (/konto/tvafaktor/)."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from board.models import AuditEvent
from minutes.models import Signature
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
PAGE = "/konto/tvafaktor/"


def _code(device: TOTPDevice, later: int = 0) -> str:
    """The app's code now, or `later` steps of 30 s on (a code is taken once only)."""
    return f"{totp(device.bin_key, drift=later):06d}"


def _wrong(device: TOTPDevice) -> str:
    return "000000" if _code(device) != "000000" else "111111"


def _start(client: Client, next_url: str = "") -> TOTPDevice:
    response = client.post(PAGE, {"action": "start", "next": next_url})
    assert response.status_code == 302
    return TOTPDevice.objects.get(user=response.wsgi_request.user, confirmed=False)


def test_signed_out_the_page_and_its_actions_send_to_the_login_and_make_nothing(chair):
    anonymous = Client()
    assert anonymous.get(PAGE)["Location"].startswith("/konto/logga-in/?next=")
    for action in ("start", "confirm", "remove"):
        response = anonymous.post(PAGE, {"action": action, "code": "123456", "password": PASSWORD})
        assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")
    assert not TOTPDevice.objects.exists()


def test_a_signer_adds_the_app_with_its_key_and_first_code_and_then_signing_asks_for_it(sent, chair, login):
    client = login(chair)
    assert "Du har ingen autentiseringsapp" in client.get(PAGE).content.decode()
    device = _start(client)
    page = client.get(PAGE).content.decode()
    key = re.search(r'<code id="totp-key">([A-Z2-7 ]+)</code>', page).group(1)
    assert base64.b32decode(key.replace(" ", "")) == device.bin_key
    assert "<svg" in page and 'role="img"' in page  # the QR code, labelled

    wrong = client.post(PAGE, {"action": "confirm", "code": _wrong(device)})
    assert wrong.status_code == 400
    assert "Fel eller för gammal kod" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and device.throttling_failure_count == 1

    with time_machine.travel(dt.timedelta(seconds=5)):  # past the wait after a wrong code
        spaced = _code(device)[:3] + " " + _code(device)[3:]
        response = client.post(PAGE, {"action": "confirm", "code": spaced})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(verb="account.totp_added", actor=chair).count() == 1
    assert "Du har en autentiseringsapp" in client.get(PAGE).content.decode()

    # The justering now asks for the code.
    sign_url = f"/sammantraden/{sent.pk}/justering/skriv-under/"
    refused = client.post(sign_url, {"password": PASSWORD, "version": "1"}, follow=True)
    assert "Ange koden som autentiseringsappen visar" in refused.content.decode()
    assert not Signature.objects.exists()
    # A minute on (past the step the app was confirmed in, whatever the clock said then): a new code.
    with time_machine.travel(dt.timedelta(seconds=65)):
        client.post(sign_url, {"password": PASSWORD, "version": "1", "totp_code": _code(device)})
    assert Signature.objects.get().with_totp


def test_an_association_requiring_codes_sends_the_signer_to_add_an_app_and_back(sent, org, chair, login):
    org.require_totp = True
    org.save()
    client = login(chair)
    justering = f"/sammantraden/{sent.pk}/justering/"
    page = client.get(justering).content.decode()
    assert f'href="{PAGE}?next={justering}"' in page
    device = _start(client, next_url=justering)
    assert f'name="next" value="{justering}"' in client.get(f"{PAGE}?next={justering}").content.decode()
    response = client.post(PAGE, {"action": "confirm", "code": _code(device), "next": justering})
    assert response["Location"] == justering
    assert f"{PAGE}?next=" not in client.get(justering).content.decode()


def test_next_elsewhere_is_not_followed(chair, login):
    client = login(chair)
    device = _start(client)
    response = client.post(PAGE, {"action": "confirm", "code": _code(device), "next": "https://elak.example/"})
    assert response["Location"] == PAGE


def test_starting_again_replaces_an_unfinished_app_but_not_one_in_use(chair, login):
    client = login(chair)
    first = _start(client)
    second = _start(client)
    assert not TOTPDevice.objects.filter(pk=first.pk).exists()
    client.post(PAGE, {"action": "confirm", "code": _code(second)})
    response = client.post(PAGE, {"action": "start"}, follow=True)
    assert "Du har redan en autentiseringsapp" in response.content.decode()
    assert list(TOTPDevice.objects.filter(user=chair)) == [second]


def test_removing_the_app_takes_the_password_and_a_code_from_it(chair, login):
    client = login(chair)
    device = _start(client)
    client.post(PAGE, {"action": "confirm", "code": _code(device)})

    empty = client.post(PAGE, {"action": "remove"})
    assert empty.status_code == 400
    assert "Ditt lösenord: Detta fält måste fyllas i." in empty.content.decode()
    wrong_password = client.post(PAGE, {"action": "remove", "password": "fel", "code": _code(device, later=1)})
    assert wrong_password.status_code == 400 and "Fel lösenord" in wrong_password.content.decode()
    with time_machine.travel(dt.timedelta(seconds=60)):
        wrong_code = client.post(PAGE, {"action": "remove", "password": PASSWORD, "code": _wrong(device)})
    assert wrong_code.status_code == 400 and "Fel eller för gammal kod" in wrong_code.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()

    with time_machine.travel(dt.timedelta(seconds=120)):
        response = client.post(PAGE, {"action": "remove", "password": PASSWORD, "code": _code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=chair).exists()
    assert AuditEvent.objects.filter(verb="account.totp_removed", actor=chair).count() == 1


def test_one_users_page_never_shows_or_touches_anothers_app(chair, member, login):
    mine = _start(login(chair))
    other = login(member)
    assert mine.key not in other.get(PAGE).content.decode()
    assert "Du har ingen autentiseringsapp" in other.get(PAGE).content.decode()
    refused = other.post(PAGE, {"action": "confirm", "code": _code(mine)}, follow=True)
    assert "Ingen autentiseringsapp håller på att läggas upp" in refused.content.decode()
    mine.refresh_from_db()
    assert not mine.confirmed
    login(chair).post(PAGE, {"action": "confirm", "code": _code(mine, later=1)})
    gone = other.post(PAGE, {"action": "remove", "password": PASSWORD, "code": _code(mine, later=2)}, follow=True)
    assert "Du har ingen autentiseringsapp" in gone.content.decode()
    assert TOTPDevice.objects.filter(pk=mine.pk, confirmed=True).exists()


def test_an_unknown_action_is_a_clear_400(chair, login):
    response = login(chair).post(PAGE, {"action": "hacka"})
    assert response.status_code == 400 and "Okänd åtgärd" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_a_lost_phone_is_for_the_site_admin_who_removes_the_app_in_the_admin(chair, site_admin, login):
    """The way back the page points to when the phone is gone: the admin's OTP devices."""
    client = login(chair)
    device = _start(client)
    client.post(PAGE, {"action": "confirm", "code": _code(device)})
    admin = login(site_admin)
    listing = admin.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200 and "ordforande" in listing.content.decode()
    delete = f"/admin/otp_totp/totpdevice/{device.pk}/delete/"
    assert admin.post(delete, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=chair).exists()
    assert login(chair).get("/admin/otp_totp/totpdevice/").status_code == 302  # not for the user
