"""What the drafting endpoints read and answer: the pydantic schemas of the OpenAPI document,
and the functions that build an answer from a model."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from ...models import Attendance, Meeting, Paragraph, TextModule, Vote
from .. import services


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


def meeting_out(m: Meeting, range_label: str = "") -> MeetingOut:
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
    confidential: bool
    osl_reference: str


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


def attendance_out(a: Attendance) -> AttendanceOut:
    return AttendanceOut(
        id=a.pk, person_id=a.person_id, name=a.person.full_name, role=a.role, function=a.function,
        replacing_id=a.replacing_id, role_text=a.role_text, affiliation=a.affiliation, party=a.party,
        is_remote=a.is_remote, present_from=a.present_from, present_until=a.present_until,
        from_paragraph_id=a.from_paragraph_id, until_paragraph_id=a.until_paragraph_id,
    )


BODY_DESCRIPTION = (
    "The paragraph's text as a restricted HTML subset: p, br, strong, em, u, s, ul, ol, li, "
    "a[href] (http, https, mailto), table, thead, tbody, tr, th, td. It is sanitised on every "
    "save: any other tag is dropped with its attributes (its text kept), script and style "
    "elements, comments, style/class/on* attributes and javascript: links are dropped, b and i "
    "become strong and em. A text that does not start with <p>, <ul>, <ol> or <table> is plain "
    "text (escaped; a blank line starts a new <p>, a line break is <br>). Answers give the "
    "stored, sanitised HTML."
)


class ParagraphIn(Schema):
    title: str
    position: int | None = None
    agenda_item_id: int | None = None
    dnr: str = ""
    body: str = Field("", description=BODY_DESCRIPTION)
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
    body: str | None = Field(None, description=BODY_DESCRIPTION)
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


def vote_out(v: Vote) -> VoteOut:
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
    body: str = Field(description="The stored text: the sanitised HTML subset (see the input's body).")
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


def paragraph_out(p: Paragraph) -> ParagraphOut:
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


class TextModuleIn(Schema):
    name: str
    shortcut: str = Field(description="Utan eller med snedstreck: ”handlingarna” eller ”/handlingarna”.")
    kind: str = Field(description="”fras” (text i paragrafen) eller ”beslut” (en beslutssats ”Att …”).")
    text: str = Field(description="Fras: text eller HTML (sanerad); beslut: en rad som börjar med ”Att”.")


class TextModulePatch(Schema):
    name: str | None = None
    shortcut: str | None = None
    kind: str | None = None
    text: str | None = None


class TextModuleOut(Schema):
    id: int
    organisation: str
    name: str
    shortcut: str
    kind: str
    text: str = Field(description="Fras: HTML i protokollets begränsade delmängd; beslut: ren text.")


def text_module_out(m: TextModule, organisation_slug: str) -> TextModuleOut:
    text = services.clean_phrase_html(m.text) if m.kind == TextModule.Kind.PHRASE else m.text
    return TextModuleOut(id=m.pk, organisation=organisation_slug, name=m.name, shortcut=m.shortcut,
                         kind=m.kind, text=text)
