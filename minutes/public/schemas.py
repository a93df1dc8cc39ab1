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

from ninja import Field, Schema
from pydantic import SerializerFunctionWrapHandler, model_serializer

from board.documents.models import RenderedDocument
from board.models import Appointment, Organisation, Person
from minutes.drafting.selectors import paragraph_range
from minutes.models import Meeting, Notice, PublicParagraph
from minutes.projection import is_masked, public_value

from .links import MINUTES_DETAIL
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
    id: str = Field(alias="slug")
    type: str = "Body"
    name: str
    shortName: str = Field(alias="short_name")
    website: str | None = None
    startDate: dt.date | None = Field(alias="active_from")
    endDate: dt.date | None = Field(alias="active_until")
    successor: str | None

    @staticmethod
    def resolve_successor(obj: Organisation) -> str | None:
        return obj.successor.slug if obj.successor else None


# Read from an Organ (with its organisation selected).
class OrganizationOut(PublicSchema):
    id: int
    type: str = "Organization"
    body: str = Field(alias="organisation.slug")
    name: str
    classification: str = Field(alias="kind")
    startDate: dt.date | None = Field(alias="active_from")
    endDate: dt.date | None = Field(alias="active_until")


# Read from an Appointment.
class PublicMembershipOut(PublicSchema):
    organization: int = Field(alias="organ_id")
    role: str
    seat: str
    startDate: dt.date = Field(alias="start")
    endDate: dt.date | None = Field(alias="end")


# Read from a Person (with its appointments prefetched: the ones the list shows).
class PublicPersonOut(PublicSchema):
    id: int
    type: str = "Person"
    name: str = Field(alias="full_name")
    familyName: str = Field(alias="last_name")
    givenName: str = Field(alias="first_name")
    membership: list[PublicMembershipOut]

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
    id: int = Field(alias="pk")
    type: str = "AgendaItem"
    meeting: int = Field(alias="meeting_id")
    number: str = Field(alias="label")
    order: int = Field(alias="position")
    name: str
    public: bool
    confidentialityReason: str
    dnr: str
    text: str
    decisions: list[str]
    votes: list[PublicVoteOut]
    modified: dt.datetime = Field(alias="published_at")

    @staticmethod
    def _shown(obj: PublicParagraph, key: str, default: Any) -> Any:
        return default if is_masked(obj.content) else obj.content.get(key, default)

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
    body: str = Field(alias="organ.organisation.slug")
    organization: int = Field(alias="organ_id")
    name: str
    start: dt.datetime | None
    end: dt.datetime | None
    date: dt.date
    location: str = Field(alias="place_display")
    paragraphs: str
    web: str
    modified: dt.datetime = Field(alias="updated_at")

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
    def resolve_paragraphs(obj: Meeting) -> str:
        return paragraph_range(list(obj.paragraphs.all()))

    @staticmethod
    def resolve_web(obj: Meeting) -> str:
        return MINUTES_DETAIL(obj.organ.organisation.slug, obj.date.year, obj.pk)


# Read from a RenderedDocument (an issued public PDF).
class FileOut(PublicSchema):
    id: int
    type: str = "File"
    name: str = Field(alias="title")
    kind: str
    mimeType: str = "application/pdf"
    size: int
    sha256: str
    accessUrl: str
    date: dt.datetime | None = Field(alias="finished_at")

    @staticmethod
    def resolve_accessUrl(obj: RenderedDocument) -> str:
        return obj.get_download_url()


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
    body: str = Field(alias="organisation.slug")
    organization: int | None = Field(alias="organ_id")
    meeting: int | None = Field(alias="meeting_id")
    kind: str
    name: str = Field(alias="title")
    text: str = Field(alias="body")
    paragraphs: str
    postedOn: dt.date = Field(alias="posted_on")
    lastAppealDay: dt.date | None = Field(alias="last_appeal_day")
    takedownOn: dt.date = Field(alias="takedown_on")
    up: bool
    storagePlace: str = Field(alias="storage_place")
    responsible: str = Field(alias="posted_by_name")
    web: str
    modified: dt.datetime = Field(alias="updated_at")

    @staticmethod
    def resolve_up(obj: Notice) -> bool:
        return obj.is_up_on(today())

    @staticmethod
    def resolve_web(obj: Notice) -> str:
        return obj.get_absolute_url()

