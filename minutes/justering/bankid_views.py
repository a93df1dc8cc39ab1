"""The justering page's BankID signature: start, the BankID page (animated QR code, autostart
link, BankID's message), its status polled every second by HTMX, and cancel.

The order's record (orderRef, qrStartToken, qrStartSecret, start time, SHA-256, version and
meeting) stays in the signer's session, one per meeting; the page only ever gets the QR code's
current content, never the secret. Only the meeting's signers get here: the meeting lookup
answers 404 to whoever may not see it, and one who sees it but does not sign gets 403, as
everywhere in the justering.
"""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from ..models import Meeting
from . import bankid_flow as flow
from .selectors import is_signer_of
from .selectors import meeting_for_justering as meeting_for
from .signing.bankid import BankIdUnavailable
from .signing.base import SigningFailed

SESSION_KEY = "justering_bankid"
# While BankID waits for the app to scan the QR code or be opened, the page shows the code.
QR_HINTS = {"", "outstandingTransaction", "noClient"}
NONE_RUNNING = "Ingen underskrift med BankID pågår. Börja om från justeringen."


def _signer_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = meeting_for(request.user, pk)
    if not is_signer_of(request.user, meeting):
        raise PermissionDenied("Du är inte en av dem som justerar protokollet.")
    return meeting


def _records(request: HttpRequest) -> dict[str, Any]:
    return dict(request.session.get(SESSION_KEY) or {})


def _record(request: HttpRequest, meeting: Meeting) -> dict[str, Any] | None:
    record = _records(request).get(str(meeting.pk))
    if record is None or record.get("user") != request.user.pk:
        return None
    return dict(record)


def _keep(request: HttpRequest, meeting: Meeting, record: dict[str, Any] | None) -> None:
    records = _records(request)
    if record is None:
        records.pop(str(meeting.pk), None)
    else:
        records[str(meeting.pk)] = record
    request.session[SESSION_KEY] = records


def _justering(meeting: Meeting, anchor: str = "") -> str:
    return reverse("minutes:justering", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


def _qr_svg(record: dict[str, Any]) -> str:
    svg = segno.make(flow.qr_data(record), error="l").svg_inline(scale=5, border=4, omitsize=False)
    return mark_safe(svg)  # noqa: S308 - segno's SVG of BankID's QR content, made here


@login_required
@require_POST
def bankid_start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _signer_meeting(request, pk)
    earlier = _record(request, meeting)
    if earlier is not None:  # one order per signer and meeting: BankID refuses a second anyway
        flow.bankid_cancel(earlier)
        _keep(request, meeting, None)
    try:
        record = flow.bankid_start(meeting=meeting, actor=request.user, end_user_ip=flow.end_user_ip(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_justering(meeting, "skriv-under"))
    except SigningFailed as exc:
        messages.error(request, str(exc))
        return redirect(_justering(meeting, "skriv-under"))
    _keep(request, meeting, record)
    return redirect("minutes:justering_bankid", pk=meeting.pk)


def _state(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """Ask BankID once and say what the page shows: state "qr" (the code to scan), "waiting"
    (the app has the order), "failed" (over: the message and Försök igen), "done" (signed) or
    "none" (no order in this session)."""
    record = _record(request, meeting)
    if record is None:
        return {"state": "none", "hint": "none", "message": NONE_RUNNING}
    try:
        outcome = flow.bankid_collect(meeting=meeting, actor=request.user, record=record)
    except BankIdUnavailable as exc:  # keep the order: BankID may answer at the next poll
        return {"state": "waiting", "hint": "unavailable", "message": str(exc), "record": record}
    except (ValidationError, SigningFailed) as exc:
        _keep(request, meeting, None)
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return {"state": "failed", "hint": "refused", "message": text}
    if outcome.status == "complete":
        _keep(request, meeting, None)
        return {"state": "done", "hint": "done", "message": outcome.message}
    if outcome.status == "failed":
        _keep(request, meeting, None)
        return {"state": "failed", "hint": outcome.hint_code or "failed", "message": outcome.message}
    state = "qr" if outcome.hint_code in QR_HINTS else "waiting"
    context: dict[str, Any] = {"state": state, "hint": outcome.hint_code, "message": outcome.message, "record": record}
    if state == "qr":
        context["qr"] = _qr_svg(record)
    return context


def _context(meeting: Meeting, state: dict[str, Any]) -> dict[str, Any]:
    record = state.get("record")
    return {
        **state,
        "meeting": meeting,
        "organisation": meeting.organ.organisation,
        "order_ref": record["order_ref"] if record else "",
        "version": record["version"] if record else None,
        "autostart": flow.autostart(record) if record else "",
        "running": state["state"] in ("qr", "waiting"),
    }


@login_required
@require_GET
def bankid_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _signer_meeting(request, pk)
    if _record(request, meeting) is None:
        messages.info(request, NONE_RUNNING)
        return redirect(_justering(meeting, "skriv-under"))
    state = _state(request, meeting)
    if state["state"] == "done":
        messages.success(request, state["message"])
        return redirect(_justering(meeting))
    return render(request, "minutes/justering/bankid.html", _context(meeting, state))


@login_required
@require_GET
def bankid_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The polled part of the BankID page (HTMX, every second): the QR code, and the message
    and the buttons only when they change (out of band, so the live region and the focus stay)."""
    meeting = _signer_meeting(request, pk)
    state = _state(request, meeting)
    if state["state"] == "done":
        messages.success(request, state["message"])
        if request.headers.get("HX-Request"):
            return HttpResponseClientRedirect(_justering(meeting))
        return redirect(_justering(meeting))
    context = _context(meeting, state)
    previous = request.GET.get("hint", "")
    context["changed"] = previous != state["hint"]
    context["actions_changed"] = context["changed"] and not context["running"]
    return render(request, "minutes/justering/_bankid_status.html", context)


@login_required
@require_POST
def bankid_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Avbryt, or the page left (navigator.sendBeacon with the orderRef): cancel the order of
    this session, only if it is still the one named."""
    meeting = _signer_meeting(request, pk)
    record = _record(request, meeting)
    named = request.POST.get("order_ref", "")
    if record is not None and (not named or named == record["order_ref"]):
        _keep(request, meeting, None)
        flow.bankid_cancel(record)
    if request.POST.get("beacon"):
        return HttpResponse(status=204)
    messages.info(request, "Underskriften med BankID är avbruten. Ingenting har skrivits under.")
    return redirect(_justering(meeting, "skriv-under"))

