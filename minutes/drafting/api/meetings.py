"""Meetings: list, create, read and change; the kallelse (sent, or as a calendar file); starting
the minutes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from board.models import Organ
from board.permissions import Action, can, organisation_or_404
from config.api_params import ErrorOut, Keyset

from ...models import Meeting, Paragraph
from .. import services
from ..selectors import meetings_of, paragraph_range
from .common import meeting_or_404
from .schemas import PARAGRAPH_RANGE, MeetingIn, MeetingOut, MeetingPatch, ParagraphOut, StartIn

router = Router()


@router.get("/organisations/{slug}/meetings", response={200: list[MeetingOut], 400: ErrorOut})
@paginate(Keyset)
def meeting_list(request: HttpRequest, slug: str) -> QuerySet[Meeting]:
    """The association's meetings, newest first, 50 a page by cursor (`next`): a page costs the
    same after ten years of meetings as after one."""
    organisation = organisation_or_404(request.user, slug)
    # meetings_of annotates the first and last § number: MeetingOut makes the range of them.
    return meetings_of(organisation).select_related("organ__organisation").order_by("-date", "-pk")


@router.post("/meetings", response={201: MeetingOut})
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status[Meeting]:
    organ = Organ.objects.select_related("organisation").filter(pk=payload.organ_id).first()
    if organ is None or not can(request.user, Action.VIEW, organ.organisation_id):
        raise ValidationError({"organ_id": "Organet finns inte."})
    if not can(request.user, Action.EDIT_MINUTES, organ.organisation_id):
        raise PermissionDenied("Du får inte skapa sammanträden i det här förbundet.")
    data = payload.dict()
    data.pop("organ_id")
    meeting = services.meeting_create(organ=organ, **data, actor=request.user)
    return Status(201, meeting)


@router.get("/meetings/{pk}", response=MeetingOut)
def meeting_detail(request: HttpRequest, pk: int) -> Meeting:
    meeting = meeting_or_404(request, pk)
    setattr(meeting, PARAGRAPH_RANGE, paragraph_range(list(meeting.paragraphs.order_by("position"))))
    return meeting


@router.patch("/meetings/{pk}", response=MeetingOut)
def meeting_update(request: HttpRequest, pk: int, payload: MeetingPatch) -> Meeting:
    meeting = meeting_or_404(request, pk, edit=True)
    changes = payload.dict(exclude_unset=True)
    return services.meeting_update(meeting=meeting, **changes, actor=request.user)


@router.post("/meetings/{pk}/kallelse", response={200: dict[str, Any]})
def kallelse_send(request: HttpRequest, pk: int) -> dict[str, Any]:
    meeting = meeting_or_404(request, pk, edit=True)
    sent = services.kallelse_send(meeting=meeting, actor=request.user)
    return {"sent_to": sent}


@router.get("/meetings/{pk}/kallelse.ics")
def kallelse_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    return HttpResponse(services.meeting_ics(meeting), content_type="text/calendar; charset=utf-8")


@router.post("/meetings/{pk}/minutes/start", response=list[ParagraphOut])
def minutes_start(request: HttpRequest, pk: int, payload: StartIn) -> QuerySet[Paragraph]:
    meeting = meeting_or_404(request, pk, edit=True)
    services.minutes_start(meeting=meeting, actor=request.user, **payload.dict())
    return meeting.paragraphs.order_by("position").prefetch_related("clauses")
