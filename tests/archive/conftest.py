"""An association's 2023: one justerat sammanträde with its PDFs, an extract, a handling and
its notice, and one sammanträde whose minutes are still being written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from board.documents.models import RenderedDocument
from board.documents.services import document_render
from minutes.drafting import services as minutes_services
from minutes.justering import services as justering
from minutes.models import Meeting
from tests.justering.conftest import build_minutes, sign

HANDLING = b"%PDF-1.7\n% en handling till dagordningen\n%%EOF\n"


@dataclass
class Year:
    justered: Meeting
    drafting: Meeting


def render_owed() -> None:
    """Render in this process every PDF that is owed (a test without a worker)."""
    for pk in RenderedDocument.objects.exclude(status=RenderedDocument.Status.DONE).values_list("pk", flat=True):
        document_render(pk)


def make_year(board, secretary, chair, member, *, render: bool = True) -> Year:
    meeting = build_minutes(board, secretary, chair, member)
    minutes_services.document_add(
        meeting=meeting, title="Tilläggsäskande Sala",
        upload=SimpleUploadedFile("tillaggsaskande-sala.pdf", HANDLING), actor=secretary,
    )
    minutes_services.document_add(meeting=meeting, title="Verksamhetsplan (papper)", actor=secretary)
    justering.minutes_send_for_justering(meeting=meeting, actor=secretary)
    for user in (chair, member, secretary):
        sign(meeting, user)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SIGNED
    paragraph = meeting.paragraphs.order_by("position").filter(title__startswith="Tilläggsäskande").get()
    justering.extract_request(paragraph=paragraph, actor=secretary)
    drafting = minutes_services.meeting_create(
        organ=board.organ, date=dt.date(2023, 12, 7), start_time=dt.time(9), place="Sala", actor=secretary,
    )
    minutes_services.attendance_prefill(meeting=drafting, actor=secretary)
    minutes_services.minutes_start(meeting=drafting, actor=secretary)
    if render:
        render_owed()
    return Year(justered=meeting, drafting=drafting)


@pytest.fixture
def year_2023(board, secretary, chair, member, media_in_tmp: Path) -> Year:
    return make_year(board, secretary, chair, member)
