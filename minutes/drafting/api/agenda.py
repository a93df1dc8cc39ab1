"""The agenda (dagordning) and the handlingar of a meeting."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from ...models import AgendaDocument, AgendaItem
from .. import services
from ..confidential import documents_for
from .common import item_of_meeting, meeting_or_404, paragraph_of_meeting
from .schemas import AgendaIn, AgendaOut, AgendaPatch, DocumentOut, MoveIn

router = Router()


@router.get("/meetings/{pk}/agenda", response=list[AgendaOut])
def agenda_list(request: HttpRequest, pk: int) -> list[AgendaItem]:
    return list(meeting_or_404(request, pk).agenda_items.order_by("position"))


@router.post("/meetings/{pk}/agenda", response={201: AgendaOut})
def agenda_add(request: HttpRequest, pk: int, payload: AgendaIn) -> Status[AgendaItem]:
    meeting = meeting_or_404(request, pk, edit=True)
    return Status(201, services.agenda_item_add(meeting=meeting, **payload.dict(), actor=request.user))


def _agenda_item(request: HttpRequest, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem, pk=pk)
    meeting_or_404(request, item.meeting_id, edit=True)
    return item


@router.patch("/agenda/{pk}", response=AgendaOut)
def agenda_update(request: HttpRequest, pk: int, payload: AgendaPatch) -> AgendaItem:
    item = _agenda_item(request, pk)
    return services.agenda_item_update(item=item, **payload.dict(exclude_unset=True), actor=request.user)


@router.post("/agenda/{pk}/move", response=AgendaOut)
def agenda_move(request: HttpRequest, pk: int, payload: MoveIn) -> AgendaItem:
    item = _agenda_item(request, pk)
    return services.agenda_item_move(item=item, position=payload.position, actor=request.user)


@router.delete("/agenda/{pk}", response={204: None})
def agenda_delete(request: HttpRequest, pk: int) -> Status[None]:
    services.agenda_item_delete(item=_agenda_item(request, pk), actor=request.user)
    return Status(204, None)


@router.get("/meetings/{pk}/documents", response=list[DocumentOut])
def document_list(request: HttpRequest, pk: int) -> list[AgendaDocument]:
    meeting = meeting_or_404(request, pk)
    return list(documents_for(request.user, meeting, meeting.documents.all()))


@router.post("/meetings/{pk}/documents", response={201: DocumentOut})
def document_add(
    request: HttpRequest,
    pk: int,
    title: str = Form(""),
    agenda_item_id: int | None = Form(None),
    paragraph_id: int | None = Form(None),
    confidential: bool = Form(False),
    osl_reference: str = Form(""),
    file: UploadedFile | None = File(None),  # noqa: B008 - django-ninja declares parameters this way
) -> Status[AgendaDocument]:
    meeting = meeting_or_404(request, pk, edit=True)
    item = item_of_meeting(meeting, agenda_item_id)
    paragraph = paragraph_of_meeting(meeting, paragraph_id, "paragraph_id")
    document = services.document_add(
        meeting=meeting, title=title, upload=file, agenda_item=item, paragraph=paragraph,
        confidential=confidential, osl_reference=osl_reference, actor=request.user,
    )
    return Status(201, document)


@router.delete("/documents/{pk}", response={204: None})
def document_delete(request: HttpRequest, pk: int) -> Status[None]:
    document = get_object_or_404(AgendaDocument, pk=pk)
    meeting_or_404(request, document.meeting_id, edit=True)
    services.document_delete(document=document, actor=request.user)
    return Status(204, None)
