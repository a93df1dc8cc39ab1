"""The signed-in user's passkeys, next to the authenticator app: list, add, remove.

Adding one is two requests from static/js/passkey.js: the password (and a name) for the
options of navigator.credentials.create, then the browser's answer, checked by
board/passkeys.py. Both answer JSON: the options, or {"message", "errors"} with the reason in
Swedish (400, 429 when the password is locked). Removing one is an ordinary form. The page
says what signature a passkey gives (advanced or simple) and why.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from . import passkeys
from .services import TooManyAttempts


def _refusal(exc: ValidationError) -> JsonResponse:
    errors = {field: list(texts) for field, texts in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}
    return JsonResponse({"message": " ".join(exc.messages), "errors": errors},
                        status=429 if isinstance(exc, TooManyAttempts) else 400)


@login_required
@require_http_methods(["GET", "POST"])
def passkey_list(request: HttpRequest) -> HttpResponse:
    here = reverse("board:passkeys")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "remove":
            try:
                pk = int(request.POST.get("passkey", ""))
            except ValueError:
                pk = None
            try:
                removed = passkeys.passkey_remove(user=request.user, pk=pk, password=request.POST.get("password", ""),
                                                  request=request)
            except ValidationError as exc:
                for text in exc.messages:
                    messages.error(request, text)
            else:
                messages.success(request, f"Passkeyn {removed.name} är borttagen.")
        elif action == "add":  # the form without the script
            messages.error(request, "För att lägga upp en passkey behöver webbläsaren ha JavaScript påslaget.")
        else:
            messages.error(request, "Okänd åtgärd.")
        return redirect(here)
    level, reason = passkeys.level_for_session(request.session)
    rows = [{"passkey": p, "reason": passkeys.level_reason(p.identified_with)} for p in passkeys.passkeys_of(request.user)]
    return render(request, "board/passkeys.html", {
        "rows": rows, "new_level": level, "new_level_reason": reason, "name_max": passkeys.NAME_MAX,
    })


@login_required
@require_POST
def passkey_options(request: HttpRequest) -> HttpResponse:
    try:
        options = passkeys.passkey_registration_start(
            user=request.user, password=request.POST.get("password", ""), name=request.POST.get("name", ""),
            request=request)
    except ValidationError as exc:
        return _refusal(exc)
    return HttpResponse(options, content_type="application/json")


@login_required
@require_POST
def passkey_register(request: HttpRequest) -> HttpResponse:
    try:
        credential = json.loads(request.body or b"null")
        if not isinstance(credential, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"message": "Svaret från webbläsaren kunde inte läsas. Börja om.", "errors": {}},
                            status=400)
    try:
        passkey = passkeys.passkey_registration_finish(user=request.user, request=request, credential=credential)
    except ValidationError as exc:
        return _refusal(exc)
    messages.success(request, f"Passkeyn {passkey.name} är upplagd. {passkeys.level_reason(passkey.identified_with)}")
    return JsonResponse({"redirect": reverse("board:passkeys")})


urlpatterns = [
    path("konto/passkeys/", passkey_list, name="passkeys"),
    path("konto/passkeys/alternativ/", passkey_options, name="passkey_options"),
    path("konto/passkeys/registrera/", passkey_register, name="passkey_register"),
]
