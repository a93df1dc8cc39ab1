"""The signed-in user's own page: the authenticator app whose code signing asks for.

An association may require a code at justering (Organisation.require_totp); this is where a
signer adds the app, without an administrator ever seeing the key. The rules are in the
services (board/services.py, "Two-factor codes"); the page shows one of three states: no app,
an app being added (its key as a QR code and as text, and the field for its first code), an
app in use (and the form that takes it away).
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import selectors, services
from .forms import TotpCodeForm, TotpRemoveForm, add_service_errors


def _next(request: HttpRequest) -> str:
    """Where to go once the app is added (the justering page that sent the user here)."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    return back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else ""


def _key(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    here = reverse("board:two_factor")
    back = _next(request)
    form: forms.Form | None = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "start":
                services.totp_setup_start(user=user)
                return redirect(f"{here}?{urlencode({'next': back})}" if back else here)
            if action == "confirm":
                form = TotpCodeForm(request.POST)
                if form.is_valid():
                    services.totp_setup_confirm(user=user, code=form.cleaned_data["code"])
                    messages.success(request, "Autentiseringsappen är upplagd. När du skriver under ett protokoll "
                                              "anger du koden som appen visar.")
                    return redirect(back or here)
            elif action == "remove":
                form = TotpRemoveForm(request.POST)
                if form.is_valid():
                    services.totp_remove(user=user, password=form.cleaned_data["password"],
                                         code=form.cleaned_data["code"], request=request)
                    messages.success(request, "Autentiseringsappen är borttagen.")
                    return redirect(here)
            else:
                messages.error(request, "Okänd åtgärd.")
        except ValidationError as exc:
            if form is None or not hasattr(exc, "error_dict"):
                # Not about a field of the form shown (the page was out of date): say so above it.
                messages.error(request, " ".join(exc.messages))
                return redirect(here)
            add_service_errors(form, exc)
        status = 400

    devices = selectors.totp_devices(user)
    pending = None if devices else selectors.totp_pending(user)
    context: dict[str, object] = {"devices": devices, "pending": pending, "next": back}
    if devices:
        context["form"] = form if isinstance(form, TotpRemoveForm) else TotpRemoveForm()
    elif pending is not None:
        context["form"] = form if type(form) is TotpCodeForm else TotpCodeForm()
        context["key"] = _key(pending)
        qr = segno.make(pending.config_url, error="m").svg_inline(scale=4, border=2, omitsize=False)
        context["qr"] = mark_safe(qr)  # noqa: S308 - segno's SVG of our own otpauth: URL
    return render(request, "board/two_factor.html", context, status=status)


urlpatterns = [
    path("konto/tvafaktor/", two_factor, name="two_factor"),
]
