"""The paragraphs (§) and what is recorded on them: text and decision (with the same optimistic
lock), votes, reservations, notes and recusals."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.responses import Status

from ...models import Paragraph, ProtocolNote, Recusal, Reservation, Vote
from .. import services
from ..selectors import minutes_document
from .common import item_of_meeting, meeting_or_404, paragraph_or_404, person_or_422
from .schemas import (
    QUORUM,
    ConflictOut,
    MoveIn,
    ParagraphDetailOut,
    ParagraphIn,
    ParagraphOut,
    ParagraphPatch,
    PersonTextIn,
    PersonTextOut,
    VoteIn,
    VoteOut,
)

router = Router()


@router.get("/meetings/{pk}/paragraphs", response=list[ParagraphDetailOut])
def paragraph_list(request: HttpRequest, pk: int) -> list[Paragraph]:
    doc = minutes_document(meeting_or_404(request, pk))
    for pv in doc.paragraphs:
        setattr(pv.paragraph, QUORUM, pv.quorum)
    return [pv.paragraph for pv in doc.paragraphs]


@router.post("/meetings/{pk}/paragraphs", response={201: ParagraphOut})
def paragraph_add(request: HttpRequest, pk: int, payload: ParagraphIn) -> Status[Paragraph]:
    meeting = meeting_or_404(request, pk, edit=True)
    data = payload.dict()
    item = item_of_meeting(meeting, data.pop("agenda_item_id"))
    paragraph = services.paragraph_add(meeting=meeting, agenda_item=item, actor=request.user, **data)
    return Status(201, paragraph)


@router.get("/paragraphs/{pk}", response=ParagraphOut)
def paragraph_detail(request: HttpRequest, pk: int) -> Paragraph:
    return paragraph_or_404(request, pk, edit=False)


@router.patch("/paragraphs/{pk}", response={200: ParagraphOut, 409: ConflictOut})
def paragraph_update(request: HttpRequest, pk: int, payload: ParagraphPatch) -> Any:
    paragraph = paragraph_or_404(request, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    try:
        saved = services.paragraph_update(paragraph=paragraph, expected_version=version, actor=request.user, **data)
    except services.StaleParagraph as exc:
        return Status(409, {"detail": exc.messages[0], "current": exc.current})
    return Status(200, saved)


@router.post("/paragraphs/{pk}/move", response=list[ParagraphOut])
def paragraph_move(request: HttpRequest, pk: int, payload: MoveIn) -> QuerySet[Paragraph]:
    paragraph = paragraph_or_404(request, pk)
    services.paragraph_move(paragraph=paragraph, position=payload.position, actor=request.user)
    return paragraph.meeting.paragraphs.order_by("position").prefetch_related("clauses")


@router.delete("/paragraphs/{pk}", response={204: None})
def paragraph_delete(request: HttpRequest, pk: int) -> Status[None]:
    services.paragraph_delete(paragraph=paragraph_or_404(request, pk), actor=request.user)
    return Status(204, None)


@router.put("/paragraphs/{pk}/decision", response=ParagraphOut)
def decision_set(request: HttpRequest, pk: int, payload: ParagraphPatch) -> Paragraph:
    """The decision only: clauses and/or stock decision (same optimistic lock as the text)."""
    paragraph = paragraph_or_404(request, pk)
    data = payload.dict(exclude_unset=True)
    extra = set(data) - {"version", "clauses", "stock_decision", "exp_till", "kopia_till"}
    if extra:
        raise ValidationError(dict.fromkeys(extra, "Hör inte till beslutet; använd PATCH /paragraphs/{id}."))
    version = data.pop("version")
    return services.paragraph_update(paragraph=paragraph, expected_version=version, actor=request.user, **data)


@router.post("/paragraphs/{pk}/votes", response={201: VoteOut})
def vote_add(request: HttpRequest, pk: int, payload: VoteIn) -> Status[Vote]:
    paragraph = paragraph_or_404(request, pk)
    vote = services.vote_record(paragraph=paragraph, actor=request.user, **payload.dict())
    return Status(201, Vote.objects.prefetch_related("proposals", "ballots__person").get(pk=vote.pk))


@router.delete("/votes/{pk}", response={204: None})
def vote_delete(request: HttpRequest, pk: int) -> Status[None]:
    vote = get_object_or_404(Vote, pk=pk)
    paragraph_or_404(request, vote.paragraph_id)
    services.vote_delete(vote=vote, actor=request.user)
    return Status(204, None)


@router.post("/paragraphs/{pk}/reservations", response={201: PersonTextOut})
def reservation_add(request: HttpRequest, pk: int, payload: PersonTextIn) -> Status[Reservation]:
    paragraph = paragraph_or_404(request, pk)
    person = person_or_422(payload.person_id)
    if person is None:
        raise ValidationError({"person_id": "Ange vem som reserverar sig."})
    return Status(201, services.reservation_add(paragraph=paragraph, person=person, motivation=payload.text, actor=request.user))


@router.post("/paragraphs/{pk}/notes", response={201: PersonTextOut})
def note_add(request: HttpRequest, pk: int, payload: PersonTextIn) -> Status[ProtocolNote]:
    paragraph = paragraph_or_404(request, pk)
    person = person_or_422(payload.person_id)
    return Status(201, services.note_add(paragraph=paragraph, person=person, text=payload.text, actor=request.user))


@router.post("/paragraphs/{pk}/recusals", response={201: PersonTextOut})
def recusal_add(request: HttpRequest, pk: int, payload: PersonTextIn) -> Status[Recusal]:
    paragraph = paragraph_or_404(request, pk)
    person = person_or_422(payload.person_id)
    if person is None:
        raise ValidationError({"person_id": "Ange vem som är jävig."})
    return Status(201, services.recusal_add(paragraph=paragraph, person=person, reason=payload.text, actor=request.user))


_CHILDREN = {"reservations": Reservation, "notes": ProtocolNote, "recusals": Recusal}


@router.delete("/paragraphs/{pk}/{kind}/{child_pk}", response={204: None})
def child_delete(request: HttpRequest, pk: int, kind: str, child_pk: int) -> Status[None]:
    if kind not in _CHILDREN:
        raise Http404
    paragraph = paragraph_or_404(request, pk)
    # mypy joins the three model classes to Model: the object is of one of them.
    obj = cast(
        "Reservation | ProtocolNote | Recusal", get_object_or_404(_CHILDREN[kind], pk=child_pk, paragraph=paragraph)
    )
    services.paragraph_child_remove(obj=obj, actor=request.user)
    return Status(204, None)
