"""What the drafting endpoints read and answer: the pydantic schemas of the OpenAPI document.
The Out schemas read the models themselves (resolvers for what is derived); what an endpoint
knows besides the model (a meeting's § range, a §'s quorum) it sets on the object first."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from ...models import (
    Meeting,
    Paragraph,
    ProtocolNote,
    Recusal,
    Reservation,
    TextModule,
    Vote,
)
from .. import services
from ..selectors import number_range
from ..services.quorum import Quorum


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
    organisation: str = Field(alias="organ.organisation.slug")
    organ_id: int
    organ: str = Field(alias="organ.name")
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    place: str
    is_remote: bool
    kind: str
    status: str
    kallelse_sent_at: dt.datetime | None
    paragraphs: str

    @staticmethod
    def resolve_paragraphs(obj: Meeting) -> str:
        label = getattr(obj, PARAGRAPH_RANGE, None)
        if label is not None:
            return str(label)
        # meetings_of annotates the first and last § number; the range is of those.
        first, last = getattr(obj, "first_number", None), getattr(obj, "last_number", None)
        if first is None:
            return ""
        return number_range(obj.organ.organisation.paragraph_prefix, first, last)


# Set on a Meeting by the endpoint that knows its § range (selectors.paragraph_range); without it
# (and without meetings_of's annotation) the range is "".
PARAGRAPH_RANGE = "paragraph_range"


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
    name: str = Field(alias="person.full_name")
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


# Read from a services.quorum.Quorum (what minutes_document gives each §).
class QuorumOut(Schema):
    seats: int
    present: int = Field(alias="count")
    needed: int
    ok: bool
    uncertain: list[str]

    @staticmethod
    def resolve_uncertain(obj: Quorum) -> list[str]:
        return [str(x) for x in obj.uncertain]


class ProposalOut(Schema):
    answer: str
    text: str


class BallotOut(Schema):
    person_id: int
    name: str = Field(alias="person.full_name")
    choice: str


class VoteOut(Schema):
    id: int
    kind: str
    question: str
    proposals: list[ProposalOut]
    ballots: list[BallotOut]
    yes: int = Field(alias="yes_count")
    no: int = Field(alias="no_count")
    abstain: int = Field(alias="abstain_count")
    result: str
    decided_by: str


# Read from a Reservation (its motivation), a ProtocolNote (its text) or a Recusal (its reason).
class PersonTextOut(Schema):
    id: int
    person_id: int | None
    text: str

    @staticmethod
    def resolve_text(obj: Reservation | ProtocolNote | Recusal) -> str:
        if isinstance(obj, Reservation):
            return obj.motivation
        if isinstance(obj, Recusal):
            return obj.reason
        return obj.text


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

    @staticmethod
    def resolve_clauses(obj: Paragraph) -> list[str]:
        return [c.text for c in obj.clauses.all()]


# Read from a Paragraph of selectors.minutes_document (its votes, reservations, notes and
# recusals prefetched) with its quorum set as QUORUM.
class ParagraphDetailOut(ParagraphOut):
    quorum: QuorumOut
    votes: list[VoteOut]
    reservations: list[PersonTextOut]
    notes: list[PersonTextOut]
    recusals: list[PersonTextOut]

    @staticmethod
    def resolve_quorum(obj: Paragraph) -> Quorum:
        quorum: Quorum = getattr(obj, QUORUM)
        return quorum


QUORUM = "minutes_quorum"


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
    organisation: str = Field(alias="organisation.slug")
    name: str
    shortcut: str
    kind: str
    text: str = Field(description="Fras: HTML i protokollets begränsade delmängd; beslut: ren text.")

    @staticmethod
    def resolve_text(obj: TextModule) -> str:
        return services.clean_phrase_html(obj.text) if obj.kind == TextModule.Kind.PHRASE else obj.text
