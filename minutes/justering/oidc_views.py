"""Signing the minutes with an OIDC e-ID (Freja eID+ and the like), and identifying oneself with
one on the account page.

Both go through the provider's login page and come back to ONE return view at a fixed path
(`minutes:justering_oidc_return`, the redirect_uri registered with every provider). What was
started is kept in the user's session under its `state` (OAuth 2.0's own value, random per
login): the provider, the purpose ("sign": the meeting and the version; "identify") and what
`OidcMethod.finish` needs. The return pops it: a state the session does not hold (missing,
someone else's, or already used: the same callback twice) is refused and nothing is signed.

Signing binds the login to the version's SHA-256 through the nonce (signing/oidc.py); the
signature is recorded by `services.justering_sign_completed` with the nonce as its reference,
so one login signs once. Identifying uses a nonce bound to nothing (a random value): if the
Person has no personnummer yet, the page shows the masked number the e-ID gave and asks the
user to confirm it is theirs before it is kept; if the Person has another one, it is refused.
A session identified so carries `EID_SESSION_KEY` (read when a passkey is enrolled).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from board import services as board_services
from board.identity import EID_SESSION_KEY, Level, mask

from ..models import Meeting
from . import services
from .rules import identity_refusal, signature_refusal
from .selectors import current_version, person_of, signer_role
from .selectors import meeting_for_justering as meeting_for
from .signing import registry
from .signing.base import SigningFailed, SigningRequest
from .signing.oidc import bound_nonce

STARTED_KEY = "samordna_oidc_started"  # state -> what was started
PENDING_KEY = "samordna_eid_pending"  # an identification waiting for the user's "det är jag"
KEEP_STARTED = 5  # logins begun and not come back: only the latest few are kept

UNKNOWN_STATE = ("Inloggningen med e-legitimation är redan använd eller hör inte till något du har påbörjat "
                 "här. Ingenting har skrivits under eller sparats. Börja om.")


def _page(meeting_pk: int) -> str:
    return reverse("minutes:justering", args=[meeting_pk])


def _account() -> str:
    return reverse("minutes:eid_identify")


def _providers() -> list[dict[str, str]]:
    return [{"key": key, "label": conf.get("label", "E-legitimation")}
            for key, conf in settings.OIDC_PROVIDERS.items()]


def _keep(request: HttpRequest, state: str, entry: dict[str, Any]) -> None:
    started = dict(request.session.get(STARTED_KEY, {}))
    started[state] = entry
    request.session[STARTED_KEY] = dict(list(started.items())[-KEEP_STARTED:])


def _pop(request: HttpRequest, state: str) -> dict[str, Any] | None:
    started = dict(request.session.get(STARTED_KEY, {}))
    entry = started.pop(state, None) if state else None
    request.session[STARTED_KEY] = started
    return entry


def allow_oidc_forms(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a page with a form that starts an OIDC login: the site's CSP allows forms only to
    itself (form-action 'self'), and browsers apply that to the redirect the form's answer is,
    so the configured providers' origins (their issuers') are added to form-action here."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        issuers = [urlsplit(conf["issuer"]) for conf in settings.OIDC_PROVIDERS.values() if conf.get("issuer")]
        origins = sorted({f"{issuer.scheme}://{issuer.netloc}" for issuer in issuers})
        if origins:
            response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]  # django-csp reads it
        return response

    return wrapped


def _method(provider: str) -> Any:
    try:
        return registry.oidc_method(provider)
    except KeyError:
        return None


# --- Signing -------------------------------------------------------------------------------


@login_required
@require_POST
def oidc_sign_start(request: HttpRequest, pk: int) -> HttpResponse:
    """The signer chose "Skriv under med <e-ID>": off to the provider's login, bound to the version."""
    meeting = meeting_for(request.user, pk)
    provider = request.POST.get("provider", "")
    offered = {offer.key for offer in registry.offers(meeting.organ.organisation)}
    method = _method(provider) if f"oidc-{provider}" in offered else None
    if method is None:
        messages.error(request, "Förbundet tar inte emot underskrifter med den e-legitimationen.")
        return redirect(_page(meeting.pk))
    version = current_version(meeting)
    person = person_of(request.user)
    if version is not None and signer_role(version, request.user) is None:
        raise PermissionDenied("Du är inte en av dem som justerar protokollet.")
    if meeting.status != Meeting.Status.JUSTERING or version is None:
        messages.error(request, "Protokollet är inte under justering.")
        return redirect(_page(meeting.pk))
    if request.POST.get("version", "") != str(version.number):
        messages.error(request, f"Protokollet har ändrats sedan du läste det (nu version {version.number}). "
                                "Läs igenom det igen innan du skriver under.")
        return redirect(_page(meeting.pk))
    refusal = signature_refusal(meeting.organ.organisation, method.key, Level.ADVANCED) or identity_refusal(
        person, person.personal_identity_number if person else "")
    if refusal:
        messages.error(request, refusal)
        return redirect(_page(meeting.pk))
    assert person is not None  # identity_refusal refuses nobody
    try:
        started = method.start(SigningRequest(
            sha256=version.sha256, visible_text=f"Protokoll {meeting}, version {version.number}",
            person_name=person.full_name, identity_number=person.personal_identity_number))
    except SigningFailed as exc:
        messages.error(request, str(exc))
        return redirect(_page(meeting.pk))
    _keep(request, started.reference, {"purpose": "sign", "provider": provider, "meeting": meeting.pk,
                                       "version": version.number, "data": started.data})
    return redirect(started.data["url"])


def _sign_finish(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    meeting = meeting_for(request.user, entry["meeting"])
    data = entry["data"]
    method = _method(entry["provider"])
    try:
        if method is None:
            raise SigningFailed("E-legitimationstjänsten finns inte längre här. Ingenting har skrivits under.")
        completed = method.finish(data, request.build_absolute_uri())
        services.justering_sign_completed(
            meeting=meeting, actor=request.user, method=method.key, completed=completed,
            reference=bound_nonce(data["sha256"], data["salt"]),  # the nonce the ID token carries
            sha256=data["sha256"], version_number=entry["version"])
    except SigningFailed as exc:
        messages.error(request, f"{exc} Ingenting har skrivits under.")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Du har skrivit under protokollet med {method.label}.")
    return redirect(_page(meeting.pk))


@login_required
@require_GET
def oidc_return(request: HttpRequest) -> HttpResponse:
    """The provider sends the user back here with `code` and `state` (or an error)."""
    entry = _pop(request, request.GET.get("state", ""))
    if entry is None:
        return render(request, "minutes/justering/oidc_refused.html", {"message": UNKNOWN_STATE}, status=403)
    if entry["purpose"] == "sign":
        return _sign_finish(request, entry)
    return _identify_finish(request, entry)


# --- Identification on the account page ----------------------------------------------------


def _identified(request: HttpRequest, method_key: str, number: str) -> None:
    request.session[EID_SESSION_KEY] = {"method": method_key, "identity_masked": mask(number),
                                        "at": timezone.now().isoformat()}


def _identify_finish(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    method = _method(entry["provider"])
    try:
        if method is None:
            raise SigningFailed("E-legitimationstjänsten finns inte längre här.")
        completed = method.finish(entry["data"], request.build_absolute_uri())
    except SigningFailed as exc:
        messages.error(request, str(exc))
        return redirect(_account())
    person = person_of(request.user)
    number = completed.identity_number
    if person is None:
        messages.error(request, "Du är inte registrerad som person hos förbundet.")
    elif not number:
        messages.error(request, "E-legitimationen gav inget personnummer.")
    elif person.personal_identity_number == number:
        _identified(request, method.key, number)
        messages.success(request, "Du är identifierad med e-legitimation.")
    elif person.personal_identity_number:
        messages.error(request, "E-legitimationen tillhör en annan person än den som är inloggad. "
                                "Ingenting har sparats.")
    else:
        request.session[PENDING_KEY] = {"method": method.key, "label": method.label, "identity_number": number}
    return redirect(_account())


@login_required
@require_http_methods(["GET", "POST"])
@allow_oidc_forms
def eid_identify(request: HttpRequest) -> HttpResponse:
    """The account page's e-ID identification: start one, confirm the personnummer it gave."""
    person = person_of(request.user)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "start":
            method = _method(request.POST.get("provider", ""))
            if method is None:
                messages.error(request, "Välj en e-legitimation som finns här.")
                return redirect(_account())
            try:
                # A nonce bound to nothing: a random value in place of the minutes' hash.
                started = method.start(SigningRequest(sha256=secrets.token_hex(32), visible_text="",
                                                      person_name=person.full_name if person else ""))
            except SigningFailed as exc:
                messages.error(request, str(exc))
                return redirect(_account())
            request.session.pop(PENDING_KEY, None)
            _keep(request, started.reference, {"purpose": "identify", "provider": method.provider,
                                               "data": started.data})
            return redirect(started.data["url"])
        pending = request.session.pop(PENDING_KEY, None)
        if action == "confirm" and pending and person is not None:
            try:
                board_services.person_identity_number_confirm(
                    person=person, identity_number=pending["identity_number"], actor=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                _identified(request, pending["method"], pending["identity_number"])
                messages.success(request, "Personnumret är sparat och du är identifierad med e-legitimation.")
        elif action == "cancel":
            messages.info(request, "Personnumret sparades inte.")
        else:
            messages.error(request, "Det finns ingen identifiering att bekräfta. Börja om.")
        return redirect(_account())
    pending = request.session.get(PENDING_KEY)
    return render(request, "minutes/justering/eid_identify.html", {
        "providers": _providers(),
        "person": person,
        "pending": {"label": pending["label"], "identity_masked": mask(pending["identity_number"])}
        if pending else None,
        "identified": request.session.get(EID_SESSION_KEY),
    })
