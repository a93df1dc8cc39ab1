"""/api/v1/ for the minutes: every action of the editor, through the same services.

Token authentication (Authorization: Bearer <key>). Reading needs Action.VIEW in the meeting's
association, changing needs Action.EDIT_MINUTES; a meeting the caller may not see answers 404.
A service's ValidationError becomes 422 with field reasons (config/api.py); a stale paragraph
save answers 409 with the current text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from board.auth import token_auth
from board.models import Organ, Person
from board.permissions import Action, can, organisation_or_404

from ..models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Meeting,
    Paragraph,
    ProtocolNote,
    Recusal,
    Reservation,
    Vote,
)
from . import services
from .selectors import meeting_for, meetings_of, minutes_document, number_range, paragraph_range

router = Router(tags=["protokoll"], auth=token_auth)


# --- access --------------------------------------------------------------------------------


def _meeting(request: HttpRequest, pk: int, *, edit: bool = False) -> Meeting:
    meeting = meeting_for(request.user, pk)
    if edit and not can(request.user, Action.EDIT_MINUTES, meeting.organ.organisation_id):
        raise PermissionDenied("Du får inte ändra protokoll i det här förbundet.")
    return meeting


def _paragraph(request: HttpRequest, pk: int, *, edit: bool = True) -> Paragraph:
    paragraph = get_object_or_404(Paragraph, pk=pk)
    paragraph.meeting = _meeting(request, paragraph.meeting_id, edit=edit)
    return paragraph


def _person(pk: int | None, field: str = "person_id") -> Person | None:
    if pk is None:
        return None
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise ValidationError({field: "Personen finns inte."})
    return person


def _meeting_paragraph(meeting: Meeting, pk: int | None, field: str) -> Paragraph | None:
    if pk is None:
        return None
    paragraph = meeting.paragraphs.filter(pk=pk).first()
    if paragraph is None:
        raise ValidationError({field: "Paragrafen hör inte till mötet."})
    return paragraph


def _meeting_item(meeting: Meeting, pk: int | None) -> AgendaItem | None:
    if pk is None:
        return None
    item = meeting.agenda_items.filter(pk=pk).first()
    if item is None:
        raise ValidationError({"agenda_item_id": "Punkten hör inte till mötet."})
    return item


# --- schemas -------------------------------------------------------------------------------


class MeetingIn(Schema):
    organ_id: int
    date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = ""
    is_remote: bool = False
    kind: str = Meeting.Kind.ORDINARY
    kallelse_message: str = ""


class MeetingPatch(Schema):
    date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str | None = None
    is_remote: bool | None = None
    kind: str | None = None
    kallelse_message: str | None = None


class MeetingOut(Schema):
    id: int
    organisation: str
    organ_id: int
    organ: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    place: str
    is_remote: bool
    kind: str
    status: str
    kallelse_sent_at: dt.datetime | None
    paragraphs: str


def _meeting_out(m: Meeting, range_label: str = "") -> MeetingOut:
    return MeetingOut(
        id=m.pk, organisation=m.organ.organisation.slug, organ_id=m.organ_id, organ=m.organ.name,
        date=m.date, start_time=m.start_time, end_time=m.end_time, place=m.place, is_remote=m.is_remote,
        kind=m.kind, status=m.status, kallelse_sent_at=m.kallelse_sent_at, paragraphs=range_label,
    )


class AgendaIn(Schema):
    title: str
    dnr: str = ""
    description: str = ""
    proposed_decision: str = ""
    presenter: str = ""


class AgendaPatch(Schema):
    title: str | None = None
    dnr: str | None = None
    description: str | None = None
    proposed_decision: str | None = None
    presenter: str | None = None


class AgendaOut(Schema):
    id: int
    position: int
    title: str
    dnr: str
    description: str
    proposed_decision: str
    presenter: str


class DocumentOut(Schema):
    id: int
    title: str
    file_type: str
    size: int
    sha256: str
    agenda_item_id: int | None
    paragraph_id: int | None


class MoveIn(Schema):
    position: int


class AttendanceIn(Schema):
    person_id: int
    role: str | None = None
    function: str | None = None
    replacing_id: int | None = None
    role_text: str | None = None
    affiliation: str | None = None
    party: str | None = None
    is_remote: bool | None = None
    present_from: dt.time | None = None
    present_until: dt.time | None = None
    from_paragraph_id: int | None = None
    until_paragraph_id: int | None = None


class AttendanceOut(Schema):
    id: int
    person_id: int
    name: str
    role: str
    function: str
    replacing_id: int | None
    role_text: str
    affiliation: str
    party: str
    is_remote: bool
    present_from: dt.time | None
    present_until: dt.time | None
    from_paragraph_id: int | None
    until_paragraph_id: int | None


def _attendance_out(a: Attendance) -> AttendanceOut:
    return AttendanceOut(
        id=a.pk, person_id=a.person_id, name=a.person.full_name, role=a.role, function=a.function,
        replacing_id=a.replacing_id, role_text=a.role_text, affiliation=a.affiliation, party=a.party,
        is_remote=a.is_remote, present_from=a.present_from, present_until=a.present_until,
        from_paragraph_id=a.from_paragraph_id, until_paragraph_id=a.until_paragraph_id,
    )


class ParagraphIn(Schema):
    title: str
    position: int | None = None
    agenda_item_id: int | None = None
    dnr: str = ""
    body: str = ""
    clauses: list[str] = []
    stock_decision: str = ""
    kind: str = ""
    exp_till: str = ""
    kopia_till: str = ""
    immediate_justering: bool = False
    is_confidential: bool = False
    osl_reference: str = ""
    handled_at: dt.time | None = None


class ParagraphPatch(Schema):
    version: int
    title: str | None = None
    dnr: str | None = None
    body: str | None = None
    clauses: list[str] | None = None
    stock_decision: str | None = None
    exp_till: str | None = None
    kopia_till: str | None = None
    immediate_justering: bool | None = None
    is_confidential: bool | None = None
    osl_reference: str | None = None
    handled_at: dt.time | None = None


class QuorumOut(Schema):
    seats: int
    present: int
    needed: int
    ok: bool
    uncertain: list[str]


class ProposalOut(Schema):
    answer: str
    text: str


class BallotOut(Schema):
    person_id: int
    name: str
    choice: str


class VoteOut(Schema):
    id: int
    kind: str
    question: str
    proposals: list[ProposalOut]
    ballots: list[BallotOut]
    yes: int
    no: int
    abstain: int
    result: str
    decided_by: str


def _vote_out(v: Vote) -> VoteOut:
    return VoteOut(
        id=v.pk, kind=v.kind, question=v.question,
        proposals=[ProposalOut(answer=p.answer, text=p.text) for p in v.proposals.all()],
        ballots=[BallotOut(person_id=b.person_id, name=b.person.full_name, choice=b.choice) for b in v.ballots.all()],
        yes=v.yes_count, no=v.no_count, abstain=v.abstain_count, result=v.result, decided_by=v.decided_by,
    )


class PersonTextOut(Schema):
    id: int
    person_id: int | None
    text: str


class ParagraphOut(Schema):
    id: int
    meeting_id: int
    label: str
    number: int
    year: int
    prefix: str
    position: int
    kind: str
    title: str
    dnr: str
    body: str
    clauses: list[str]
    stock_decision: str
    exp_till: str
    kopia_till: str
    immediate_justering: bool
    is_confidential: bool
    osl_reference: str
    handled_at: dt.time | None
    version: int
    agenda_item_id: int | None


def _paragraph_out(p: Paragraph) -> ParagraphOut:
    return ParagraphOut(
        id=p.pk, meeting_id=p.meeting_id, label=p.label, number=p.number, year=p.year, prefix=p.prefix,
        position=p.position, kind=p.kind, title=p.title, dnr=p.dnr, body=p.body,
        clauses=[c.text for c in p.clauses.all()], stock_decision=p.stock_decision, exp_till=p.exp_till,
        kopia_till=p.kopia_till, immediate_justering=p.immediate_justering,
        is_confidential=p.is_confidential, osl_reference=p.osl_reference, handled_at=p.handled_at,
        version=p.version, agenda_item_id=p.agenda_item_id,
    )


class ParagraphDetailOut(ParagraphOut):
    quorum: QuorumOut
    votes: list[VoteOut]
    reservations: list[PersonTextOut]
    notes: list[PersonTextOut]
    recusals: list[PersonTextOut]


class VoteIn(Schema):
    kind: str = Vote.Kind.ORDINARY
    question: str = ""
    yes_text: str
    no_text: str
    ballots: dict[int, str]
    casting_vote: str = ""
    lot_result: str = ""


class PersonTextIn(Schema):
    person_id: int | None = None
    text: str = ""


class AdjustersIn(Schema):
    person_ids: list[int]


class StartIn(Schema):
    opening: list[str] = [k for k, _t, _d in services.STANDARD_OPENING]
    from_agenda: bool = True
    closing: list[str] = [k for k, _t, _d in services.STANDARD_CLOSING]


class ConflictOut(Schema):
    detail: str
    current: ParagraphOut


# --- meetings ------------------------------------------------------------------------------


@router.get("/organisations/{slug}/meetings", response=list[MeetingOut])
def meeting_list(request: HttpRequest, slug: str) -> list[MeetingOut]:
    organisation = organisation_or_404(request.user, slug)
    prefix = organisation.paragraph_prefix
    return [
        _meeting_out(m, number_range(prefix, m.first_number, m.last_number))
        for m in meetings_of(organisation).select_related("organ__organisation")
    ]


@router.post("/meetings", response={201: MeetingOut})
def meeting_create(request: HttpRequest, payload: MeetingIn) -> tuple[int, MeetingOut]:
    organ = Organ.objects.select_related("organisation").filter(pk=payload.organ_id).first()
    if organ is None or not can(request.user, Action.VIEW, organ.organisation_id):
        raise ValidationError({"organ_id": "Organet finns inte."})
    if not can(request.user, Action.EDIT_MINUTES, organ.organisation_id):
        raise PermissionDenied("Du får inte skapa sammanträden i det här förbundet.")
    data = payload.dict()
    data.pop("organ_id")
    meeting = services.meeting_create(organ=organ, **data, actor=request.user)
    return 201, _meeting_out(meeting)


@router.get("/meetings/{pk}", response=MeetingOut)
def meeting_detail(request: HttpRequest, pk: int) -> MeetingOut:
    meeting = _meeting(request, pk)
    return _meeting_out(meeting, paragraph_range(list(meeting.paragraphs.order_by("position"))))


@router.patch("/meetings/{pk}", response=MeetingOut)
def meeting_update(request: HttpRequest, pk: int, payload: MeetingPatch) -> MeetingOut:
    meeting = _meeting(request, pk, edit=True)
    changes = payload.dict(exclude_unset=True)
    meeting = services.meeting_update(meeting=meeting, **changes, actor=request.user)
    return _meeting_out(meeting)


@router.post("/meetings/{pk}/kallelse", response={200: dict[str, Any]})
def kallelse_send(request: HttpRequest, pk: int) -> dict[str, Any]:
    meeting = _meeting(request, pk, edit=True)
    sent = services.kallelse_send(meeting=meeting, actor=request.user)
    return {"sent_to": sent}


@router.get("/meetings/{pk}/kallelse.ics")
def kallelse_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return HttpResponse(services.meeting_ics(meeting), content_type="text/calendar; charset=utf-8")


@router.post("/meetings/{pk}/minutes/start", response=list[ParagraphOut])
def minutes_start(request: HttpRequest, pk: int, payload: StartIn) -> list[ParagraphOut]:
    meeting = _meeting(request, pk, edit=True)
    services.minutes_start(meeting=meeting, actor=request.user, **payload.dict())
    return [_paragraph_out(p) for p in meeting.paragraphs.order_by("position").prefetch_related("clauses")]


# --- agenda and documents ------------------------------------------------------------------


@router.get("/meetings/{pk}/agenda", response=list[AgendaOut])
def agenda_list(request: HttpRequest, pk: int) -> list[AgendaItem]:
    return list(_meeting(request, pk).agenda_items.order_by("position"))


@router.post("/meetings/{pk}/agenda", response={201: AgendaOut})
def agenda_add(request: HttpRequest, pk: int, payload: AgendaIn) -> tuple[int, AgendaItem]:
    meeting = _meeting(request, pk, edit=True)
    return 201, services.agenda_item_add(meeting=meeting, **payload.dict(), actor=request.user)


def _agenda_item(request: HttpRequest, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem, pk=pk)
    _meeting(request, item.meeting_id, edit=True)
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
def agenda_delete(request: HttpRequest, pk: int) -> tuple[int, None]:
    services.agenda_item_delete(item=_agenda_item(request, pk), actor=request.user)
    return 204, None


@router.get("/meetings/{pk}/documents", response=list[DocumentOut])
def document_list(request: HttpRequest, pk: int) -> list[AgendaDocument]:
    return list(_meeting(request, pk).documents.all())


@router.post("/meetings/{pk}/documents", response={201: DocumentOut})
def document_add(
    request: HttpRequest,
    pk: int,
    title: str = Form(""),
    agenda_item_id: int | None = Form(None),
    paragraph_id: int | None = Form(None),
    file: UploadedFile | None = File(None),  # noqa: B008 - django-ninja declares parameters this way
) -> tuple[int, AgendaDocument]:
    meeting = _meeting(request, pk, edit=True)
    item = _meeting_item(meeting, agenda_item_id)
    paragraph = _meeting_paragraph(meeting, paragraph_id, "paragraph_id")
    document = services.document_add(
        meeting=meeting, title=title, upload=file, agenda_item=item, paragraph=paragraph, actor=request.user
    )
    return 201, document


@router.delete("/documents/{pk}", response={204: None})
def document_delete(request: HttpRequest, pk: int) -> tuple[int, None]:
    document = get_object_or_404(AgendaDocument, pk=pk)
    _meeting(request, document.meeting_id, edit=True)
    services.document_delete(document=document, actor=request.user)
    return 204, None


# --- attendance and adjusters ----------------------------------------------------------------


@router.get("/meetings/{pk}/attendance", response=list[AttendanceOut])
def attendance_list(request: HttpRequest, pk: int) -> list[AttendanceOut]:
    meeting = _meeting(request, pk)
    return [_attendance_out(a) for a in meeting.attendances.select_related("person")]


@router.post("/meetings/{pk}/attendance/prefill", response=list[AttendanceOut])
def attendance_prefill(request: HttpRequest, pk: int) -> list[AttendanceOut]:
    meeting = _meeting(request, pk, edit=True)
    services.attendance_prefill(meeting=meeting, actor=request.user)
    return [_attendance_out(a) for a in meeting.attendances.select_related("person")]


@router.put("/meetings/{pk}/attendance", response=AttendanceOut)
def attendance_set(request: HttpRequest, pk: int, payload: AttendanceIn) -> AttendanceOut:
    meeting = _meeting(request, pk, edit=True)
    data = payload.dict(exclude_unset=True)
    person = _person(data.pop("person_id"))
    if person is None:
        raise ValidationError({"person_id": "Ange personen."})
    values: dict[str, Any] = {}
    if "replacing_id" in data:
        values["replacing"] = _person(data.pop("replacing_id"), "replacing_id")
    for name in ("from_paragraph", "until_paragraph"):
        if f"{name}_id" in data:
            values[name] = _meeting_paragraph(meeting, data.pop(f"{name}_id"), f"{name}_id")
    values.update(data)
    row = services.attendance_set(meeting=meeting, person=person, actor=request.user, **values)
    return _attendance_out(row)


@router.delete("/attendance/{pk}", response={204: None})
def attendance_remove(request: HttpRequest, pk: int) -> tuple[int, None]:
    row = get_object_or_404(Attendance, pk=pk)
    _meeting(request, row.meeting_id, edit=True)
    services.attendance_remove(attendance=row, actor=request.user)
    return 204, None


@router.put("/meetings/{pk}/adjusters", response=list[int])
def adjusters_set(request: HttpRequest, pk: int, payload: AdjustersIn) -> list[int]:
    meeting = _meeting(request, pk, edit=True)
    persons = [_person(i, "person_ids") for i in payload.person_ids]
    chosen = services.adjusters_set(meeting=meeting, persons=persons, actor=request.user)  # type: ignore[arg-type]
    return [a.person_id for a in chosen]


# --- paragraphs ----------------------------------------------------------------------------


@router.get("/meetings/{pk}/paragraphs", response=list[ParagraphDetailOut])
def paragraph_list(request: HttpRequest, pk: int) -> list[ParagraphDetailOut]:
    doc = minutes_document(_meeting(request, pk))
    out = []
    for pv in doc.paragraphs:
        p = pv.paragraph
        out.append(ParagraphDetailOut(
            **_paragraph_out(p).dict(),
            quorum=QuorumOut(seats=pv.quorum.seats, present=pv.quorum.count, needed=pv.quorum.needed,
                             ok=pv.quorum.ok, uncertain=[str(x) for x in pv.quorum.uncertain]),
            votes=[_vote_out(v) for v in pv.votes],
            reservations=[PersonTextOut(id=r.pk, person_id=r.person_id, text=r.motivation) for r in p.reservations.all()],
            notes=[PersonTextOut(id=n.pk, person_id=n.person_id, text=n.text) for n in p.notes.all()],
            recusals=[PersonTextOut(id=r.pk, person_id=r.person_id, text=r.reason) for r in p.recusals.all()],
        ))
    return out


@router.post("/meetings/{pk}/paragraphs", response={201: ParagraphOut})
def paragraph_add(request: HttpRequest, pk: int, payload: ParagraphIn) -> tuple[int, ParagraphOut]:
    meeting = _meeting(request, pk, edit=True)
    data = payload.dict()
    item = _meeting_item(meeting, data.pop("agenda_item_id"))
    paragraph = services.paragraph_add(meeting=meeting, agenda_item=item, actor=request.user, **data)
    return 201, _paragraph_out(paragraph)


@router.get("/paragraphs/{pk}", response=ParagraphOut)
def paragraph_detail(request: HttpRequest, pk: int) -> ParagraphOut:
    return _paragraph_out(_paragraph(request, pk, edit=False))


@router.patch("/paragraphs/{pk}", response={200: ParagraphOut, 409: ConflictOut})
def paragraph_update(request: HttpRequest, pk: int, payload: ParagraphPatch) -> Any:
    paragraph = _paragraph(request, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    try:
        saved = services.paragraph_update(paragraph=paragraph, expected_version=version, actor=request.user, **data)
    except services.StaleParagraph as exc:
        return 409, ConflictOut(detail=exc.messages[0], current=_paragraph_out(exc.current))
    return 200, _paragraph_out(saved)


@router.post("/paragraphs/{pk}/move", response=list[ParagraphOut])
def paragraph_move(request: HttpRequest, pk: int, payload: MoveIn) -> list[ParagraphOut]:
    paragraph = _paragraph(request, pk)
    services.paragraph_move(paragraph=paragraph, position=payload.position, actor=request.user)
    return [_paragraph_out(p) for p in paragraph.meeting.paragraphs.order_by("position").prefetch_related("clauses")]


@router.delete("/paragraphs/{pk}", response={204: None})
def paragraph_delete(request: HttpRequest, pk: int) -> tuple[int, None]:
    services.paragraph_delete(paragraph=_paragraph(request, pk), actor=request.user)
    return 204, None


@router.put("/paragraphs/{pk}/decision", response=ParagraphOut)
def decision_set(request: HttpRequest, pk: int, payload: ParagraphPatch) -> Any:
    """The decision only: clauses and/or stock decision (same optimistic lock as the text)."""
    paragraph = _paragraph(request, pk)
    data = payload.dict(exclude_unset=True)
    extra = set(data) - {"version", "clauses", "stock_decision", "exp_till", "kopia_till"}
    if extra:
        raise ValidationError(dict.fromkeys(extra, "Hör inte till beslutet; använd PATCH /paragraphs/{id}."))
    version = data.pop("version")
    saved = services.paragraph_update(paragraph=paragraph, expected_version=version, actor=request.user, **data)
    return _paragraph_out(saved)


@router.post("/paragraphs/{pk}/votes", response={201: VoteOut})
def vote_add(request: HttpRequest, pk: int, payload: VoteIn) -> tuple[int, VoteOut]:
    paragraph = _paragraph(request, pk)
    vote = services.vote_record(paragraph=paragraph, actor=request.user, **payload.dict())
    return 201, _vote_out(Vote.objects.prefetch_related("proposals", "ballots__person").get(pk=vote.pk))


@router.delete("/votes/{pk}", response={204: None})
def vote_delete(request: HttpRequest, pk: int) -> tuple[int, None]:
    vote = get_object_or_404(Vote, pk=pk)
    _paragraph(request, vote.paragraph_id)
    services.vote_delete(vote=vote, actor=request.user)
    return 204, None


@router.post("/paragraphs/{pk}/reservations", response={201: PersonTextOut})
def reservation_add(request: HttpRequest, pk: int, payload: PersonTextIn) -> tuple[int, PersonTextOut]:
    paragraph = _paragraph(request, pk)
    person = _person(payload.person_id)
    if person is None:
        raise ValidationError({"person_id": "Ange vem som reserverar sig."})
    r = services.reservation_add(paragraph=paragraph, person=person, motivation=payload.text, actor=request.user)
    return 201, PersonTextOut(id=r.pk, person_id=r.person_id, text=r.motivation)


@router.post("/paragraphs/{pk}/notes", response={201: PersonTextOut})
def note_add(request: HttpRequest, pk: int, payload: PersonTextIn) -> tuple[int, PersonTextOut]:
    paragraph = _paragraph(request, pk)
    n = services.note_add(paragraph=paragraph, person=_person(payload.person_id), text=payload.text, actor=request.user)
    return 201, PersonTextOut(id=n.pk, person_id=n.person_id, text=n.text)


@router.post("/paragraphs/{pk}/recusals", response={201: PersonTextOut})
def recusal_add(request: HttpRequest, pk: int, payload: PersonTextIn) -> tuple[int, PersonTextOut]:
    paragraph = _paragraph(request, pk)
    person = _person(payload.person_id)
    if person is None:
        raise ValidationError({"person_id": "Ange vem som är jävig."})
    r = services.recusal_add(paragraph=paragraph, person=person, reason=payload.text, actor=request.user)
    return 201, PersonTextOut(id=r.pk, person_id=r.person_id, text=r.reason)


_CHILDREN = {"reservations": Reservation, "notes": ProtocolNote, "recusals": Recusal}


@router.delete("/paragraphs/{pk}/{kind}/{child_pk}", response={204: None})
def child_delete(request: HttpRequest, pk: int, kind: str, child_pk: int) -> tuple[int, None]:
    if kind not in _CHILDREN:
        raise Http404
    paragraph = _paragraph(request, pk)
    # mypy joins the three model classes to Model: the object is of one of them.
    obj = cast(
        "Reservation | ProtocolNote | Recusal", get_object_or_404(_CHILDREN[kind], pk=child_pk, paragraph=paragraph)
    )
    services.paragraph_child_remove(obj=obj, actor=request.user)
    return 204, None
