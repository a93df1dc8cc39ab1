"""The shapes of the public read API (/api/v1/public/, minutes/public/api.py): OParl
1.1-inspired names, persons with their names and seats only, a confidential paragraph as its
number and OSL reference."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class BodyOut(Schema):
    id: str
    type: str = "Body"
    name: str
    shortName: str
    website: str | None = None
    startDate: dt.date | None
    endDate: dt.date | None
    successor: str | None


class OrganizationOut(Schema):
    id: int
    type: str = "Organization"
    body: str
    name: str
    classification: str
    startDate: dt.date | None
    endDate: dt.date | None


class PublicMembershipOut(Schema):
    organization: int
    role: str
    seat: str
    startDate: dt.date
    endDate: dt.date | None


class PublicPersonOut(Schema):
    id: int
    type: str = "Person"
    name: str
    familyName: str
    givenName: str
    membership: list[PublicMembershipOut]


class PublicBallotOut(Schema):
    person: int | None  # the voter's person id; None if the name is not one of the meeting's attendance
    name: str
    choice: str


class PublicVoteOut(Schema):
    question: str
    result: str
    decidedBy: str
    yes: int
    no: int
    abstain: int
    ballots: list[PublicBallotOut]


class AgendaItemOut(Schema):
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


class PublicMeetingOut(Schema):
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


class FileOut(Schema):
    id: int
    type: str = "File"
    name: str
    kind: str
    mimeType: str = "application/pdf"
    size: int
    sha256: str
    accessUrl: str
    date: dt.datetime | None


class MeetingDetailOut(PublicMeetingOut):
    agendaItem: list[AgendaItemOut]
    file: list[FileOut]


class NoticeOut(Schema):
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
