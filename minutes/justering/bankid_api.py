"""/api/v1/ for justering with BankID: start an order, collect it, cancel it.

    POST   /meetings/{pk}/justering/bankid              start: orderRef, autostartToken, qr_data, message
    GET    /meetings/{pk}/justering/bankid/{order_ref}  collect: status, hintCode, message, fresh
                                                        qr_data; on complete the signature is recorded
    DELETE /meetings/{pk}/justering/bankid/{order_ref}  cancel

The order's record (with the qrStartSecret, which never leaves the server) is kept in the cache,
bound to the user who started it and the meeting: anyone else's orderRef, or one unknown, is
404. A completed order answers complete with the signature it recorded, however often it is
asked again; it signs once. Refusals are 4xx with the reason (config/api.py); BankID or the
cache out of reach is 503 with a Swedish reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any, Literal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from board.auth import token_auth
from config.api_params import ErrorOut

from ..models import Meeting, Signature
from . import bankid_flow as flow
from .selectors import is_signer_of
from .selectors import meeting_for_justering as meeting_for
from .signing.bankid import BankIdUnavailable
from .signing.base import SigningFailed

logger = logging.getLogger(__name__)
router = Router(tags=["justering"], auth=token_auth)

RECORD_SECONDS = 15 * 60  # longer than BankID keeps an order (at most a few minutes)
CACHE_DOWN = "Underskrifter med BankID går inte att ta emot just nu (tjänsten för pågående underskrifter svarar inte). Försök igen om en stund."
NO_ORDER = "Det finns ingen sådan underskrift med BankID för dig och det här sammanträdet."


# Read from a Signature whose version's meeting has its status read afresh (_complete).
class BankIdSignatureOut(Schema):
    id: int
    role: str
    signed_at: dt.datetime
    sha256: str
    version: int = Field(alias="version.number")
    method: str
    level: str
    identity: str = Field(alias="identity_masked")
    meeting_status: str = Field(alias="version.meeting.status")


# Read from the order's record (bankid_flow.bankid_start); its qrStartSecret is not a field.
class BankIdStartOut(Schema):
    order_ref: str
    autostart_token: str
    autostart_url: str
    qr_data: str
    version: int
    sha256: str
    message: str

    @staticmethod
    def resolve_autostart_url(obj: dict[str, Any]) -> str:
        return flow.autostart(obj)

    @staticmethod
    def resolve_qr_data(obj: dict[str, Any]) -> str:
        return flow.qr_data(obj)

    @staticmethod
    def resolve_message(obj: dict[str, Any]) -> str:
        return "Starta BankID-appen."


class BankIdCollectOut(Schema):
    order_ref: str
    status: Literal["pending", "complete", "failed"]
    hint_code: str
    message: str
    qr_data: str | None = None
    signature: BankIdSignatureOut | None = None


def _key(order_ref: str) -> str:
    return f"justering:bankid:{order_ref}"


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def _cache_get(order_ref: str) -> Any:
    try:
        return cache.get(_key(order_ref))
    except Exception as exc:  # noqa: BLE001 - Redis away: a 503 with the reason, not a 500
        logger.warning("BankID record not read: %s", exc)
        raise HttpError(503, CACHE_DOWN) from exc


def _cache_set(order_ref: str, record: dict[str, Any] | None) -> None:
    try:
        if record is None:
            cache.delete(_key(order_ref))
        else:
            cache.set(_key(order_ref), record, RECORD_SECONDS)
    except Exception as exc:  # noqa: BLE001 - as above
        logger.warning("BankID record not written: %s", exc)
        raise HttpError(503, CACHE_DOWN) from exc


def _signer_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = meeting_for(request.user, pk)
    if not is_signer_of(request.user, meeting):
        raise PermissionDenied("Du är inte en av dem som justerar protokollet.")
    return meeting


def _record(request: HttpRequest, meeting: Meeting, order_ref: str) -> dict[str, Any]:
    # BankID's orderRef is a UUID; anything else is no order of ours and never becomes a cache key.
    record = _cache_get(order_ref) if _is_uuid(order_ref) else None
    if not isinstance(record, dict) or record.get("user") != request.user.pk or record.get("meeting") != meeting.pk:
        raise Http404(NO_ORDER)
    return record


def _complete(order_ref: str, message: str, signature: Signature) -> dict[str, Any]:
    """The answer for a completed order: its signature, the meeting's status read afresh (the
    last signature justers the minutes)."""
    signature.version.meeting.refresh_from_db(fields=["status"])
    return {"order_ref": order_ref, "status": "complete", "hint_code": "", "message": message, "signature": signature}


@router.post("/meetings/{pk}/justering/bankid", response={201: BankIdStartOut, 409: ErrorOut, 503: ErrorOut})
def justering_bankid_start(request: HttpRequest, pk: int) -> Status[dict[str, Any]]:
    """Start a BankID signature of the current version for the caller, who must be one of its
    signers with the personnummer BankID will show; the association must offer BankID."""
    meeting = _signer_meeting(request, pk)
    try:
        record = flow.bankid_start(meeting=meeting, actor=request.user, end_user_ip=flow.end_user_ip(request))
    except BankIdUnavailable as exc:
        raise HttpError(503, str(exc)) from exc
    except SigningFailed as exc:  # BankID refused the order (one already running for the personnummer)
        raise HttpError(409, str(exc)) from exc
    try:
        _cache_set(record["order_ref"], record)
    except HttpError:
        flow.bankid_cancel(record)
        raise
    return Status(201, record)


@router.get("/meetings/{pk}/justering/bankid/{order_ref}", response={200: BankIdCollectOut, 503: ErrorOut})
def justering_bankid_collect(request: HttpRequest, pk: int, order_ref: str) -> dict[str, Any]:
    """Ask BankID about the order once. pending: the hintCode, BankID's message for it and the
    QR code's content for this second. complete: the signature, recorded now (or before, by an
    earlier call: it signs once). failed: BankID's message; the order is over. A completed
    signature the rules refuse (another person's BankID, a changed version, a signature that
    does not verify) is 422 with the reason, and nothing is signed."""
    meeting = _signer_meeting(request, pk)
    record = _record(request, meeting, order_ref)
    if record.get("signature"):
        signature = Signature.objects.select_related("version__meeting").filter(pk=record["signature"]).first()
        if signature is not None:
            return _complete(order_ref, "Du har skrivit under protokollet med BankID.", signature)
    try:
        outcome = flow.bankid_collect(meeting=meeting, actor=request.user, record=record)
    except BankIdUnavailable as exc:
        raise HttpError(503, str(exc)) from exc
    except SigningFailed as exc:  # BankID no longer knows the order
        _cache_set(order_ref, None)
        return {"order_ref": order_ref, "status": "failed", "hint_code": "", "message": str(exc)}
    except Exception:
        _cache_set(order_ref, None)  # refused (ValidationError, PermissionDenied): the order is spent
        raise
    if outcome.signature is not None:
        _cache_set(order_ref, {**record, "signature": outcome.signature.pk})
        return _complete(order_ref, outcome.message, outcome.signature)
    if outcome.status == "failed":
        _cache_set(order_ref, None)
        return {"order_ref": order_ref, "status": "failed", "hint_code": outcome.hint_code, "message": outcome.message}
    return {"order_ref": order_ref, "status": "pending", "hint_code": outcome.hint_code, "message": outcome.message,
            "qr_data": flow.qr_data(record)}


@router.delete("/meetings/{pk}/justering/bankid/{order_ref}", response={204: None, 503: ErrorOut})
def justering_bankid_cancel(request: HttpRequest, pk: int, order_ref: str) -> Status[None]:
    """Cancel the order at BankID; nothing is signed. A completed one cannot be cancelled (404)."""
    meeting = _signer_meeting(request, pk)
    record = _record(request, meeting, order_ref)
    if record.get("signature"):
        raise Http404(NO_ORDER)
    _cache_set(order_ref, None)
    flow.bankid_cancel(record)
    return Status(204, None)
