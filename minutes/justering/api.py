"""/api/v1/ for the justering: send, comment, sign, decline, unlock, status and downloads.

Token authentication (Authorization: Bearer <key>), attached to the minutes' router. A meeting
the caller may not see answers 404; a service's PermissionDenied 403 and ValidationError 422
with field reasons (config/api.py). Signing takes the password (and the TOTP code) in the body,
exactly as the page does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from board.auth import token_auth
from board.documents.models import RenderedDocument
from board.documents.services import BROKER_UNREACHABLE, document_may_download
from config.api_params import ErrorOut

from ..models import JusteringComment, Meeting, MinutesUnlock, MinutesVersion, Paragraph, Signature
from . import rules, services
from .rules import Deadline
from .selectors import current_version, justered_version
from .selectors import meeting_for_justering as meeting_for

router = Router(tags=["justering"], auth=token_auth)


# Read from a signer of the version's snapshot (a dict), with signed_at added (JusteringOut.resolve_signers).
class JusteringSignerOut(Schema):
    person_id: int
    name: str
    role: str = Field(description="Rollens nyckel: sekreterare, ordforande, justerare.")
    role_label: str = Field(description="Rollen i ord, som sidorna visar den: Sekreterare, Ordförande, Justerande.")
    signed_at: dt.datetime | None

    @staticmethod
    def resolve_role_label(obj: dict[str, Any]) -> str:
        return str(Signature.Role(obj["role"]).label)


class JusteringDocumentOut(Schema):
    id: int
    kind: str
    version: int
    status: str
    sha256: str
    download_url: str | None
    # Said when the render could not be handed to the background service (it is made later).
    message: str = ""

    @staticmethod
    def resolve_download_url(obj: RenderedDocument) -> str | None:
        return obj.get_download_url() if obj.is_done else None

    @staticmethod
    def resolve_message(obj: RenderedDocument) -> str:
        return BROKER_UNREACHABLE if obj.broker_unreachable else ""


class MinutesVersionOut(Schema):
    number: int
    status: str
    sha256: str
    created_at: dt.datetime
    justered_at: dt.datetime | None


@dataclass
class Justering:
    """A meeting's justering as JusteringOut shows it, read with a fixed number of queries."""

    meeting: Meeting
    version: MinutesVersion | None  # the current version, else the justerade one
    signatures: dict[int, Signature]  # the version's, by person
    documents: list[RenderedDocument]  # the PDFs of the justerade version
    deadline: Deadline
    pending_unlock: MinutesUnlock | None


# Read from a Justering.
class JusteringOut(Schema):
    meeting_id: int = Field(alias="meeting.pk")
    status: str = Field(alias="meeting.status")
    deadline: dt.date = Field(alias="deadline.date")
    deadline_passed: bool
    deadline_near: bool
    version: MinutesVersionOut | None
    signers: list[JusteringSignerOut]
    documents: list[JusteringDocumentOut]
    pending_unlock_id: int | None

    @staticmethod
    def resolve_deadline_passed(obj: Justering) -> bool:
        return obj.deadline.passed and obj.meeting.status != Meeting.Status.SIGNED

    @staticmethod
    def resolve_deadline_near(obj: Justering) -> bool:
        return obj.deadline.near and obj.meeting.status != Meeting.Status.SIGNED

    @staticmethod
    def resolve_signers(obj: Justering) -> list[dict[str, Any]]:
        """The signers the version's snapshot names, each with when they signed it (None: not yet)."""
        signers = obj.version.snapshot.get("signers", []) if obj.version else []
        return [
            {**s, "signed_at": obj.signatures[s["person_id"]].signed_at if s["person_id"] in obj.signatures else None}
            for s in signers
        ]

    @staticmethod
    def resolve_pending_unlock_id(obj: Justering) -> int | None:
        return obj.pending_unlock.pk if obj.pending_unlock else None


class CommentIn(Schema):
    text: str
    paragraph_id: int | None = None


class CommentOut(Schema):
    id: int
    paragraph: str = Field(alias="paragraph_label")
    author: str = Field(alias="author_name")
    text: str
    version: int = Field(alias="version.number")
    created_at: dt.datetime


class SignIn(Schema):
    password: str
    totp_code: str = ""
    version: int | None = None


# Read from a Signature whose version's meeting is the one signed, with its status read afresh.
class SignatureOut(Schema):
    id: int
    role: str
    signed_at: dt.datetime
    sha256: str
    version: int = Field(alias="version.number")
    meeting_status: str = Field(alias="version.meeting.status")


class ReasonIn(Schema):
    reason: str


class UnlockOut(Schema):
    id: int
    status: str
    reason: str
    chair: str = Field(alias="chair.full_name")
    second: str | None
    from_version: int = Field(alias="from_version.number")
    to_version: int | None

    @staticmethod
    def resolve_second(obj: MinutesUnlock) -> str | None:
        return obj.second.full_name if obj.second else None

    @staticmethod
    def resolve_to_version(obj: MinutesUnlock) -> int | None:
        return obj.to_version.number if obj.to_version else None


def _justering(meeting: Meeting) -> Justering:
    version = current_version(meeting) or justered_version(meeting)
    signatures = {s.person_id: s for s in version.signatures.all()} if version else {}
    documents: list[RenderedDocument] = []
    if version is not None and version.status == MinutesVersion.Status.SIGNED:
        documents = list(RenderedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Meeting), object_id=meeting.pk,
            version=version.number,
        ).order_by("kind"))
    deadline = rules.deadline_for(meeting)
    pending = meeting.unlocks.filter(status=MinutesUnlock.Status.PROPOSED).first()
    return Justering(
        meeting=meeting, version=version, signatures=signatures, documents=documents, deadline=deadline,
        pending_unlock=pending,
    )


@router.get("/meetings/{pk}/justering", response=JusteringOut)
def justering_status(request: HttpRequest, pk: int) -> Justering:
    return _justering(meeting_for(request.user, pk))


@router.post("/meetings/{pk}/justering/send", response=JusteringOut)
def justering_send(request: HttpRequest, pk: int) -> Justering:
    meeting = meeting_for(request.user, pk)
    services.minutes_send_for_justering(meeting=meeting, actor=request.user)
    meeting.refresh_from_db()
    return _justering(meeting)


@router.post("/meetings/{pk}/justering/comments", response={201: CommentOut})
def justering_comment(request: HttpRequest, pk: int, payload: CommentIn) -> Status[JusteringComment]:
    meeting = meeting_for(request.user, pk)
    paragraph = None
    if payload.paragraph_id is not None:
        paragraph = Paragraph.objects.filter(pk=payload.paragraph_id, meeting=meeting).first()
        if paragraph is None:
            raise ValidationError({"paragraph_id": "Paragrafen finns inte i det här protokollet."})
    return Status(201, services.justering_comment_add(meeting=meeting, paragraph=paragraph, text=payload.text, actor=request.user))


# 429: too many wrong passwords or codes (board.services.credentials_check, config/api.py).
@router.post("/meetings/{pk}/justering/sign", response={201: SignatureOut, 429: ErrorOut})
def justering_sign(request: HttpRequest, pk: int, payload: SignIn) -> Status[Signature]:
    meeting = meeting_for(request.user, pk)
    s = services.justering_sign(
        meeting=meeting, actor=request.user, password=payload.password, request=request,
        totp_code=payload.totp_code, version_number=payload.version,
    )
    meeting.refresh_from_db(fields=["status"])  # the last signature justers the minutes
    s.version.meeting = meeting
    return Status(201, s)


@router.post("/meetings/{pk}/justering/decline", response=JusteringOut)
def justering_decline(request: HttpRequest, pk: int, payload: ReasonIn) -> Justering:
    meeting = meeting_for(request.user, pk)
    services.justering_decline(meeting=meeting, reason=payload.reason, actor=request.user)
    meeting.refresh_from_db()
    return _justering(meeting)


@router.post("/meetings/{pk}/justering/unlock", response={201: UnlockOut})
def unlock_propose(request: HttpRequest, pk: int, payload: ReasonIn) -> Status[MinutesUnlock]:
    meeting = meeting_for(request.user, pk)
    return Status(201, services.unlock_propose(meeting=meeting, reason=payload.reason, actor=request.user))


@router.post("/meetings/{pk}/justering/unlock/{unlock_id}/confirm", response=UnlockOut)
def unlock_confirm(request: HttpRequest, pk: int, unlock_id: int) -> MinutesUnlock:
    meeting = meeting_for(request.user, pk)
    unlock = get_object_or_404(MinutesUnlock, pk=unlock_id, meeting=meeting)
    return services.unlock_confirm(unlock=unlock, actor=request.user)


def _download(request: HttpRequest, document: RenderedDocument | None) -> FileResponse:
    if document is None or not document_may_download(user=request.user, document=document):
        raise Http404
    if not document.is_done:
        raise Http404("Dokumentet är inte klart än; se status.")
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename,
                            content_type="application/pdf")
    response["X-Content-SHA256"] = document.sha256
    return response


@router.get("/meetings/{pk}/justering/pdf/{variant}")
def minutes_download(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """variant: "full" or "public"; the PDF of the justerade version."""
    meeting = meeting_for(request.user, pk)
    if variant not in ("full", "public"):
        raise Http404
    version = justered_version(meeting)
    document = None
    if version is not None:
        document = RenderedDocument.objects.filter(
            kind=f"minutes.{variant}", content_type=ContentType.objects.get_for_model(Meeting),
            object_id=meeting.pk, version=version.number,
        ).first()
    return _download(request, document)


def _paragraph(request: HttpRequest, pk: int) -> Paragraph:
    paragraph = get_object_or_404(Paragraph, pk=pk)
    paragraph.meeting = meeting_for(request.user, paragraph.meeting_id)
    return paragraph


@router.post("/paragraphs/{pk}/extract", response={202: JusteringDocumentOut})
def extract_request(request: HttpRequest, pk: int) -> Status[RenderedDocument]:
    paragraph = _paragraph(request, pk)
    return Status(202, services.extract_request(paragraph=paragraph, actor=request.user))


@router.get("/paragraphs/{pk}/extract.pdf")
def extract_download(request: HttpRequest, pk: int) -> FileResponse:
    paragraph = _paragraph(request, pk)
    version = justered_version(paragraph.meeting)
    document = None
    if version is not None:
        document = RenderedDocument.objects.filter(
            kind="minutes.extract", content_type=ContentType.objects.get_for_model(Paragraph),
            object_id=paragraph.pk, version=version.number,
        ).first()
    return _download(request, document)


@router.post("/paragraphs/{pk}/send-extract", response=list[str])
def extract_send(request: HttpRequest, pk: int) -> list[str]:
    return services.extract_send(paragraph=_paragraph(request, pk), actor=request.user)
