"""The shapes of the public read API (/api/v1/public/, minutes/public/api.py): OParl
1.1-inspired names, persons with their names and seats only, a confidential paragraph as its
number and OSL reference.

The schemas read the model rows themselves (a resolver for each derived or renamed field; the
lists' querysets select and prefetch what they read, so no row costs a query). Every one of
them is a PublicSchema: whatever a field holds, its serialized output goes through the
projection's `public_value`, so no string of a public answer, nested ones included, carries a
personal identity number (tests/public/test_api_masking.py tries every endpoint).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from ninja import Schema
from pydantic import SerializerFunctionWrapHandler, model_serializer

from board.documents.models import RenderedDocument
from board.models import Appointment, Organ, Organisation, Person
from minutes.drafting.selectors import paragraph_range
from minutes.models import Meeting, Notice, PublicParagraph
from minutes.projection import is_masked, public_value

from .selectors import today

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _at(day: dt.date, time: dt.time | None) -> dt.datetime | None:
    return dt.datetime.combine(day, time, tzinfo=STOCKHOLM) if time else None


class PublicSchema(Schema):
    """The base of every public answer: its serialized output, nested schemas' included, with
    `public_value` applied (personal identity numbers masked in every string)."""

    @model_serializer(mode="wrap")
    def _public(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        # No return annotation: pydantic then documents the fields as declared.
        return public_value(handler(self))


# Read from an Organisation (with its successor selected).
class BodyOut(PublicSchema):
    id: str
    type: str = "Body"
    name: str
    shortName: str
    website: str | None = None
    startDate: dt.date | None
    endDate: dt.date | None
    successor: str | None

    @staticmethod
    def resolve_id(obj: Organisation) -> str:
        return obj.slug

    @staticmethod
    def resolve_shortName(obj: Organisation) -> str:
        return obj.short_name

    @staticmethod
    def resolve_startDate(obj: Organisation) -> dt.date | None:
        return obj.active_from

    @staticmethod
    def resolve_endDate(obj: Organisation) -> dt.date | None:
        return obj.active_until

    @staticmethod
    def resolve_successor(obj: Organisation) -> str | None:
        return obj.successor.slug if obj.successor else None


# Read from an Organ (with its organisation selected).
class OrganizationOut(PublicSchema):
    id: int
    type: str = "Organization"
    body: str
    name: str
    classification: str
    startDate: dt.date | None
    endDate: dt.date | None

    @staticmethod
    def resolve_body(obj: Organ) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_classification(obj: Organ) -> str:
        return obj.kind

    @staticmethod
    def resolve_startDate(obj: Organ) -> dt.date | None:
        return obj.active_from

    @staticmethod
    def resolve_endDate(obj: Organ) -> dt.date | None:
        return obj.active_until


# Read from an Appointment.
class PublicMembershipOut(PublicSchema):
    organization: int
    role: str
    seat: str
    startDate: dt.date
    endDate: dt.date | None

    @staticmethod
    def resolve_organization(obj: Appointment) -> int:
        return obj.organ_id

    @staticmethod
    def resolve_startDate(obj: Appointment) -> dt.date:
        return obj.start

    @staticmethod
    def resolve_endDate(obj: Appointment) -> dt.date | None:
        return obj.end


# Read from a Person (with its appointments prefetched: the ones the list shows).
class PublicPersonOut(PublicSchema):
    id: int
    type: str = "Person"
    name: str
    familyName: str
    givenName: str
    membership: list[PublicMembershipOut]

    @staticmethod
    def resolve_name(obj: Person) -> str:
        return obj.full_name

    @staticmethod
    def resolve_familyName(obj: Person) -> str:
        return obj.last_name

    @staticmethod
    def resolve_givenName(obj: Person) -> str:
        return obj.first_name

    @staticmethod
    def resolve_membership(obj: Person) -> list[Appointment]:
        return list(obj.appointments.all())


# Read from a ballot of the public projection (a dict).
class PublicBallotOut(PublicSchema):
    person: int | None  # the voter's person id; None if the name is not one of the meeting's attendance
    name: str
    choice: str

    @staticmethod
    def resolve_person(obj: dict[str, Any]) -> int | None:
        return obj.get("person_id")

    @staticmethod
    def resolve_name(obj: dict[str, Any]) -> str:
        return obj["name"]  # type: ignore[no-any-return]

    @staticmethod
    def resolve_choice(obj: dict[str, Any]) -> str:
        return obj["choice"]  # type: ignore[no-any-return]


# Read from a vote of the public projection (a dict).
class PublicVoteOut(PublicSchema):
    question: str
    result: str
    decidedBy: str
    yes: int
    no: int
    abstain: int
    ballots: list[PublicBallotOut]

    @staticmethod
    def resolve_question(obj: dict[str, Any]) -> str:
        return obj.get("question", "")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_result(obj: dict[str, Any]) -> str:
        return obj.get("result", "")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_decidedBy(obj: dict[str, Any]) -> str:
        return obj.get("decided_by", "")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_yes(obj: dict[str, Any]) -> int:
        return obj.get("yes", 0)  # type: ignore[no-any-return]

    @staticmethod
    def resolve_no(obj: dict[str, Any]) -> int:
        return obj.get("no", 0)  # type: ignore[no-any-return]

    @staticmethod
    def resolve_abstain(obj: dict[str, Any]) -> int:
        return obj.get("abstain", 0)  # type: ignore[no-any-return]

    @staticmethod
    def resolve_ballots(obj: dict[str, Any]) -> list[dict[str, Any]]:
        return obj.get("ballots", [])  # type: ignore[no-any-return]


# Read from a PublicParagraph: its `content` is the paragraph as the public projection has it
# (a masked one, confidential: number and OSL reference only, and so is this).
class AgendaItemOut(PublicSchema):
    id: int
    type: str = "AgendaItem"
    meeting: int
    number: str
    order: int
    name: str
    public: bool
    confidentialityReason: str
    dnr: str
    text: str
    decisions: list[str]
    votes: list[PublicVoteOut]
    modified: dt.datetime

    @staticmethod
    def _shown(obj: PublicParagraph, key: str, default: Any) -> Any:
        return default if is_masked(obj.content) else obj.content.get(key, default)

    @staticmethod
    def resolve_id(obj: PublicParagraph) -> int:
        return obj.pk  # type: ignore[no-any-return]

    @staticmethod
    def resolve_meeting(obj: PublicParagraph) -> int:
        return obj.meeting_id

    @staticmethod
    def resolve_number(obj: PublicParagraph) -> str:
        return obj.label

    @staticmethod
    def resolve_order(obj: PublicParagraph) -> int:
        return obj.position

    @staticmethod
    def resolve_modified(obj: PublicParagraph) -> dt.datetime:
        return obj.published_at

    @staticmethod
    def resolve_public(obj: PublicParagraph) -> bool:
        return not is_masked(obj.content)

    @staticmethod
    def resolve_confidentialityReason(obj: PublicParagraph) -> str:
        if not is_masked(obj.content):
            return ""
        return f"Sekretess enligt OSL {obj.content.get('osl_reference') or ''}".strip()

    @staticmethod
    def resolve_name(obj: PublicParagraph) -> str:
        return AgendaItemOut._shown(obj, "title", "")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_dnr(obj: PublicParagraph) -> str:
        return AgendaItemOut._shown(obj, "dnr", "")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_text(obj: PublicParagraph) -> str:
        return AgendaItemOut._shown(obj, "body", "")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_decisions(obj: PublicParagraph) -> list[str]:
        return AgendaItemOut._shown(obj, "decision", [])  # type: ignore[no-any-return]

    @staticmethod
    def resolve_votes(obj: PublicParagraph) -> list[dict[str, Any]]:
        return AgendaItemOut._shown(obj, "votes", [])  # type: ignore[no-any-return]


# Read from a Meeting (organ and organisation selected, paragraphs prefetched with their
# numbers only).
class PublicMeetingOut(PublicSchema):
    id: int
    type: str = "Meeting"
    body: str
    organization: int
    name: str
    start: dt.datetime | None
    end: dt.datetime | None
    date: dt.date
    location: str
    paragraphs: str
    web: str
    modified: dt.datetime

    @staticmethod
    def resolve_body(obj: Meeting) -> str:
        return obj.organ.organisation.slug

    @staticmethod
    def resolve_organization(obj: Meeting) -> int:
        return obj.organ_id

    @staticmethod
    def resolve_name(obj: Meeting) -> str:
        return f"{obj.organ.name} {obj.date:%Y-%m-%d}"

    @staticmethod
    def resolve_start(obj: Meeting) -> dt.datetime | None:
        return _at(obj.date, obj.start_time)

    @staticmethod
    def resolve_end(obj: Meeting) -> dt.datetime | None:
        return _at(obj.date, obj.end_time)

    @staticmethod
    def resolve_location(obj: Meeting) -> str:
        return obj.place_display

    @staticmethod
    def resolve_paragraphs(obj: Meeting) -> str:
        return paragraph_range(list(obj.paragraphs.all()))

    @staticmethod
    def resolve_web(obj: Meeting) -> str:
        return reverse("public:minutes_detail", args=[obj.organ.organisation.slug, obj.date.year, obj.pk])

    @staticmethod
    def resolve_modified(obj: Meeting) -> dt.datetime:
        return obj.updated_at


# Read from a RenderedDocument (an issued public PDF).
class FileOut(PublicSchema):
    id: int
    type: str = "File"
    name: str
    kind: str
    mimeType: str = "application/pdf"
    size: int
    sha256: str
    accessUrl: str
    date: dt.datetime | None

    @staticmethod
    def resolve_name(obj: RenderedDocument) -> str:
        return obj.title

    @staticmethod
    def resolve_accessUrl(obj: RenderedDocument) -> str:
        return obj.get_download_url()

    @staticmethod
    def resolve_date(obj: RenderedDocument) -> dt.datetime | None:
        return obj.finished_at


# Read from a Meeting as PublicMeetingOut, with its public paragraphs prefetched in order and
# `public_pdf` (PUBLIC_PDF) set by the view: its public PDF or None.
class MeetingDetailOut(PublicMeetingOut):
    agendaItem: list[AgendaItemOut]
    file: list[FileOut]

    @staticmethod
    def resolve_agendaItem(obj: Meeting) -> list[PublicParagraph]:
        return list(obj.public_paragraphs.all())

    @staticmethod
    def resolve_file(obj: Meeting) -> list[RenderedDocument]:
        pdf = getattr(obj, PUBLIC_PDF, None)
        return [pdf] if pdf else []


PUBLIC_PDF = "public_pdf"


# Read from a Notice (with its organisation selected); `up` on today's date.
class NoticeOut(PublicSchema):
    id: int
    type: str = "Notice"
    body: str
    organization: int | None
    meeting: int | None
    kind: str
    name: str
    text: str
    paragraphs: str
    postedOn: dt.date
    lastAppealDay: dt.date | None
    takedownOn: dt.date
    up: bool
    storagePlace: str
    responsible: str
    web: str
    modified: dt.datetime

    @staticmethod
    def resolve_body(obj: Notice) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_organization(obj: Notice) -> int | None:
        return obj.organ_id

    @staticmethod
    def resolve_meeting(obj: Notice) -> int | None:
        return obj.meeting_id

    @staticmethod
    def resolve_name(obj: Notice) -> str:
        return obj.title

    @staticmethod
    def resolve_text(obj: Notice) -> str:
        return obj.body

    @staticmethod
    def resolve_postedOn(obj: Notice) -> dt.date:
        return obj.posted_on

    @staticmethod
    def resolve_lastAppealDay(obj: Notice) -> dt.date | None:
        return obj.last_appeal_day

    @staticmethod
    def resolve_takedownOn(obj: Notice) -> dt.date:
        return obj.takedown_on

    @staticmethod
    def resolve_up(obj: Notice) -> bool:
        return obj.is_up_on(today())

    @staticmethod
    def resolve_storagePlace(obj: Notice) -> str:
        return obj.storage_place

    @staticmethod
    def resolve_responsible(obj: Notice) -> str:
        return obj.posted_by_name

    @staticmethod
    def resolve_web(obj: Notice) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_modified(obj: Notice) -> dt.datetime:
        return obj.updated_at
