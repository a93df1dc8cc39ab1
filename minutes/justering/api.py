"""/api/v1/ for the justering: send, comment, sign, decline, unlock, status and downloads.

Token authentication (Authorization: Bearer <key>), attached to the minutes' router. A meeting
the caller may not see answers 404; a service's PermissionDenied 403 and ValidationError 422
with field reasons (config/api.py). Signing takes the password (and the TOTP code) in the body,
exactly as the page does.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from board.auth import token_auth
from board.documents.models import RenderedDocument
from board.documents.services import BROKER_UNREACHABLE, document_may_download
from config.api_params import ErrorOut

from ..models import Meeting, MinutesUnlock, MinutesVersion, Paragraph, Signature
from . import rules, services
from .selectors import current_version, justered_version
from .selectors import meeting_for_justering as meeting_for

router = Router(tags=["justering"], auth=token_auth)


class JusteringSignerOut(Schema):
    person_id: int
    name: str
    role: str = Field(description="Rollens nyckel: sekreterare, ordforande, justerare.")
    role_label: str = Field(description="Rollen i ord, som sidorna visar den: Sekreterare, Ordförande, Justerande.")
    signed_at: dt.datetime | None


class JusteringDocumentOut(Schema):
    id: int
    kind: str
    version: int
    status: str
    sha256: str
    download_url: str | None
    # Said when the render could not be handed to the background service (it is made later).
    message: str = ""


class MinutesVersionOut(Schema):
    number: int
    status: str
    sha256: str
    created_at: dt.datetime
    justered_at: dt.datetime | None


class JusteringOut(Schema):
    meeting_id: int
    status: str
    deadline: dt.date
    deadline_passed: bool
    deadline_near: bool
    version: MinutesVersionOut | None
    signers: list[JusteringSignerOut]
    documents: list[JusteringDocumentOut]
    pending_unlock_id: int | None


class CommentIn(Schema):
    text: str
    paragraph_id: int | None = None


class CommentOut(Schema):
    id: int
    paragraph: str
    author: str
    text: str
    version: int
    created_at: dt.datetime


class SignIn(Schema):
    password: str
    totp_code: str = ""
    version: int | None = None


class SignatureOut(Schema):
    id: int
    role: str
    signed_at: dt.datetime
    sha256: str
    version: int
    meeting_status: str


class ReasonIn(Schema):
    reason: str


class UnlockOut(Schema):
    id: int
    status: str
    reason: str
    chair: str
    second: str | None
    from_version: int
    to_version: int | None


def _document_out(document: RenderedDocument) -> JusteringDocumentOut:
    return JusteringDocumentOut(
        id=document.pk, kind=document.kind, version=document.version, status=document.status,
        sha256=document.sha256, download_url=document.get_download_url() if document.is_done else None,
        message=BROKER_UNREACHABLE if document.broker_unreachable else "",
    )


def _status(meeting: Meeting) -> JusteringOut:
    version = current_version(meeting) or justered_version(meeting)
    signatures = {s.person_id: s for s in version.signatures.all()} if version else {}
    documents = []
    if version is not None and version.status == MinutesVersion.Status.SIGNED:
        documents = [
            _document_out(d) for d in RenderedDocument.objects.filter(
                content_type=ContentType.objects.get_for_model(Meeting), object_id=meeting.pk,
                version=version.number,
            ).order_by("kind")
        ]
    deadline = rules.deadline_for(meeting)
    pending = meeting.unlocks.filter(status=MinutesUnlock.Status.PROPOSED).first()
    return JusteringOut(
        meeting_id=meeting.pk,
        status=meeting.status,
        deadline=deadline.date,
        deadline_passed=deadline.passed and meeting.status != Meeting.Status.SIGNED,
        deadline_near=deadline.near and meeting.status != Meeting.Status.SIGNED,
        version=MinutesVersionOut(
            number=version.number, status=version.status, sha256=version.sha256,
            created_at=version.created_at, justered_at=version.justered_at,
        ) if version else None,
        signers=[
            JusteringSignerOut(
                person_id=s["person_id"], name=s["name"], role=s["role"],
                role_label=str(Signature.Role(s["role"]).label),
                signed_at=signatures[s["person_id"]].signed_at if s["person_id"] in signatures else None,
            )
            for s in (version.snapshot.get("signers", []) if version else [])
        ],
        documents=documents,
        pending_unlock_id=pending.pk if pending else None,
    )


@router.get("/meetings/{pk}/justering", response=JusteringOut)
def justering_status(request: HttpRequest, pk: int) -> JusteringOut:
    return _status(meeting_for(request.user, pk))


@router.post("/meetings/{pk}/justering/send", response=JusteringOut)
def justering_send(request: HttpRequest, pk: int) -> JusteringOut:
    meeting = meeting_for(request.user, pk)
    services.minutes_send_for_justering(meeting=meeting, actor=request.user)
    meeting.refresh_from_db()
    return _status(meeting)


@router.post("/meetings/{pk}/justering/comments", response={201: CommentOut})
def justering_comment(request: HttpRequest, pk: int, payload: CommentIn) -> tuple[int, CommentOut]:
    meeting = meeting_for(request.user, pk)
    paragraph = None
    if payload.paragraph_id is not None:
        paragraph = Paragraph.objects.filter(pk=payload.paragraph_id, meeting=meeting).first()
        if paragraph is None:
            raise ValidationError({"paragraph_id": "Paragrafen finns inte i det här protokollet."})
    c = services.justering_comment_add(meeting=meeting, paragraph=paragraph, text=payload.text, actor=request.user)
    return 201, CommentOut(
        id=c.pk, paragraph=c.paragraph_label, author=c.author_name, text=c.text,
        version=c.version.number, created_at=c.created_at,
    )


# 429: too many wrong passwords or codes (board.services.credentials_check, config/api.py).
@router.post("/meetings/{pk}/justering/sign", response={201: SignatureOut, 429: ErrorOut})
def justering_sign(request: HttpRequest, pk: int, payload: SignIn) -> tuple[int, SignatureOut]:
    meeting = meeting_for(request.user, pk)
    s = services.justering_sign(
        meeting=meeting, actor=request.user, password=payload.password, request=request,
        totp_code=payload.totp_code, version_number=payload.version,
    )
    meeting.refresh_from_db(fields=["status"])
    return 201, SignatureOut(
        id=s.pk, role=s.role, signed_at=s.signed_at, sha256=s.sha256, version=s.version.number,
        meeting_status=meeting.status,
    )


@router.post("/meetings/{pk}/justering/decline", response=JusteringOut)
def justering_decline(request: HttpRequest, pk: int, payload: ReasonIn) -> JusteringOut:
    meeting = meeting_for(request.user, pk)
    services.justering_decline(meeting=meeting, reason=payload.reason, actor=request.user)
    meeting.refresh_from_db()
    return _status(meeting)


def _unlock_out(u: MinutesUnlock) -> UnlockOut:
    return UnlockOut(
        id=u.pk, status=u.status, reason=u.reason, chair=u.chair.full_name,
        second=u.second.full_name if u.second else None, from_version=u.from_version.number,
        to_version=u.to_version.number if u.to_version else None,
    )


@router.post("/meetings/{pk}/justering/unlock", response={201: UnlockOut})
def unlock_propose(request: HttpRequest, pk: int, payload: ReasonIn) -> tuple[int, UnlockOut]:
    meeting = meeting_for(request.user, pk)
    return 201, _unlock_out(services.unlock_propose(meeting=meeting, reason=payload.reason, actor=request.user))


@router.post("/meetings/{pk}/justering/unlock/{unlock_id}/confirm", response=UnlockOut)
def unlock_confirm(request: HttpRequest, pk: int, unlock_id: int) -> UnlockOut:
    meeting = meeting_for(request.user, pk)
    unlock = get_object_or_404(MinutesUnlock, pk=unlock_id, meeting=meeting)
    return _unlock_out(services.unlock_confirm(unlock=unlock, actor=request.user))


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
def extract_request(request: HttpRequest, pk: int) -> tuple[int, JusteringDocumentOut]:
    paragraph = _paragraph(request, pk)
    return 202, _document_out(services.extract_request(paragraph=paragraph, actor=request.user))


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
