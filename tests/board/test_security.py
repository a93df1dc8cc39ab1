"""Security basics: login throttling, password rules, the login audit trail, the CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from board.models import AuditEvent
from tests.conftest import PASSWORD

LOGIN = "/konto/logga-in/"


def _fail(client: Client, username: str) -> int:
    return client.post(LOGIN, {"username": username, "password": "fel-lösenord"}, REMOTE_ADDR="10.0.0.7").status_code


def test_login_is_locked_after_the_failure_limit_with_a_swedish_page(secretary):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail(client, "sekreterare") == 200
    # The limit-th failure locks; from then on even the right password is refused.
    assert _fail(client, "sekreterare") == 429
    response = client.post(LOGIN, {"username": "sekreterare", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429
    body = response.content.decode()
    assert "För många misslyckade inloggningsförsök" in body
    assert "_auth_user_id" not in client.session
    # Another address is not locked out (lockout is per user name and address).
    ok = Client().post(LOGIN, {"username": "sekreterare", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    assert ok.status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(secretary):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _fail(client, "sekreterare")
    response = client.post(LOGIN, {"username": "sekreterare", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302


def test_login_logout_and_failed_login_are_recorded(secretary):
    client = Client()
    _fail(client, "sekreterare")
    failed = AuditEvent.objects.get(verb="auth.login_failed")
    assert failed.summary == "sekreterare" and failed.ip_address == "10.0.0.7" and failed.actor is None
    client.post(LOGIN, {"username": "sekreterare", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    login = AuditEvent.objects.get(verb="auth.login")
    assert login.actor == secretary and login.ip_address == "10.0.0.7"
    client.post(reverse("logout"), REMOTE_ADDR="10.0.0.7")
    logout = AuditEvent.objects.get(verb="auth.logout")
    assert logout.actor == secretary
    assert "_auth_user_id" not in client.session


def test_failed_login_for_an_unknown_user_is_recorded_too(db):
    _fail(Client(), "finns-inte")
    assert AuditEvent.objects.filter(verb="auth.login_failed", summary="finns-inte").exists()


@pytest.mark.parametrize("password, reason", [
    ("kort", "för kort"),
    ("1234567890123", "enbart numeriskt"),
    ("password123", "alldeles för vanligt"),
    ("sekreterare1", "alltför likt användarnamn"),
])
def test_password_validators_refuse_weak_passwords(secretary, password, reason):
    with pytest.raises(ValidationError, match=reason):
        validate_password(password, user=secretary)


def test_password_validators_accept_a_passphrase(secretary):
    validate_password("korrekt hast batteri häftklammer", user=secretary)
    names = {v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {"UserAttributeSimilarityValidator", "MinimumLengthValidator",
                     "CommonPasswordValidator", "NumericPasswordValidator"}


def test_every_registry_page_carries_the_csp(board, secretary, login):
    client = login(secretary)
    for url in ["/", reverse("board:organisations"), board.organisation.get_absolute_url(),
                secretary.person.get_absolute_url(), reverse("board:dashboard"),
                reverse("board:appointment_add", args=[board.organisation.slug]),
                reverse("board:organisation_history", args=[board.organisation.slug]), LOGIN]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url


def test_registry_templates_have_no_inline_script_or_style():
    root = Path(settings.BASE_DIR) / "templates"
    for path in [*root.glob("board/*.html"), *root.glob("registration/*.html")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\sstyle\s*=", text), path
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert not re.search(r"\son[a-z]+\s*=", text), path


def test_pages_and_form_errors_are_swedish_whatever_the_browser_asks_for(board, secretary, login):
    client = login(secretary)
    url = reverse("board:person_add", args=[board.organisation.slug])
    response = client.post(url, {"first_name": "", "last_name": "X"}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert "Detta fält måste fyllas i." in body and "This field is required" not in body
    assert response["Content-Language"] == "sv"
    # English is still there for whoever chooses it (Django's set_language cookie).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.post(url, {"first_name": "", "last_name": "X"}).content.decode()
    assert "This field is required." in body
