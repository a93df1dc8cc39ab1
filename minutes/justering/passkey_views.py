"""Signing the justering with a passkey: two JSON endpoints for static/js/passkey.js and the
block of the justering page that offers it (minutes/templatetags/justering_passkey.py).

`passkey_options`: the options of navigator.credentials.get with the challenge bound to the
current version (signing/passkey.py); the session keeps the salt, the SHA-256 and the version
number. `passkey_sign`: the browser's assertion, checked by the method (the signer's own
passkey, the bound challenge, the counter, the signature), then recorded by
services.justering_sign_completed like every method's signature. Each refusal is a 4xx with
{"message": <Swedish>}; the meeting lookup answers 404 to anyone who may not see it.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from board.identity import level_meets
from board.models import PasskeyCredential
from board.passkeys import relying_party

from . import services
from .rules import signature_refusal
from .selectors import meeting_for_justering as meeting_for
from .signing.base import SigningFailed, SigningRequest
from .signing.passkey import PasskeyMethod

SESSION_KEY = "samordna_passkey_sign"


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"message": message}, status=status)


def passkey_level_refusal(organisation: Any, passkeys: list[PasskeyCredential]) -> str | None:
    """Why none of `passkeys` may sign for `organisation` (method or level), in Swedish; or None."""
    if not passkeys:
        return "Du har ingen passkey. Lägg upp en under Konto → Passkeys."
    if any(level_meets(p.level, organisation.signing_min_level) for p in passkeys):
        return None
    refusal = signature_refusal(organisation, "passkey", min(p.level for p in passkeys))
    return ("Din passkey ger en enkel elektronisk underskrift, eftersom den inte lades upp efter identifiering "
            f"med e-legitimation. {refusal or ''}").strip()


@login_required
@require_POST
def passkey_options(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    organisation = meeting.organ.organisation
    number = request.POST.get("version", "")
    try:
        version, _role, person = services.signing.sign_checks(
            meeting, request.user, int(number) if number.isdigit() else None)
    except ValidationError as exc:
        return _refused(" ".join(exc.messages))
    except PermissionDenied as exc:
        return _refused(str(exc), 403)
    refusal = signature_refusal(organisation, "passkey", "avancerad")
    if refusal:  # the method itself is not chosen by the association
        return _refused(refusal)
    passkeys = list(PasskeyCredential.objects.filter(user=cast(Any, request.user)))
    refusal = passkey_level_refusal(organisation, passkeys)
    if refusal:
        return _refused(refusal)
    usable = [p for p in passkeys if level_meets(p.level, organisation.signing_min_level)]
    rp_id, origin = relying_party(request)
    started = PasskeyMethod(rp_id=rp_id, origin=origin).start(
        SigningRequest(sha256=version.sha256, visible_text="", person_name=str(person or "")), usable)
    request.session[SESSION_KEY] = {
        "meeting": meeting.pk, "version": version.number, **{k: v for k, v in started.data.items() if k != "options"},
    }
    return HttpResponse(started.data["options"], content_type="application/json")


@login_required
@require_POST
def passkey_sign(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    state = request.session.pop(SESSION_KEY, None)
    if not state or state.get("meeting") != meeting.pk:
        return _refused("Ingen underskrift med passkey har påbörjats för det här protokollet. Börja om.")
    try:
        assertion = json.loads(request.body or b"null")
        if not isinstance(assertion, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        return _refused("Svaret från webbläsaren kunde inte läsas. Börja om.")
    rp_id, origin = relying_party(request)
    try:
        completed = PasskeyMethod(rp_id=rp_id, origin=origin).finish(state, assertion, request.user)
        services.justering_sign_completed(
            meeting=meeting, actor=request.user, method="passkey", completed=completed,
            reference=state["challenge"], sha256=state["sha256"], version_number=state["version"],
        )
    except SigningFailed as exc:
        return _refused(str(exc))
    except ValidationError as exc:
        return _refused(" ".join(exc.messages))
    except PermissionDenied as exc:
        return _refused(str(exc) or "Du får inte skriva under det här protokollet.", 403)
    messages.success(request, "Du har skrivit under protokollet med passkey.")
    return JsonResponse({"redirect": reverse("minutes:justering", args=[meeting.pk])})
