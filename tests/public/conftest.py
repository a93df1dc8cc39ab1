"""Fixtures for the public pages: justerade minutes with a confidential paragraph, a draft,
and notices at known dates.

The justering flow (issue 4) makes minutes justerade; here a justerad version of the minutes
as they are is written directly (tests/conftest.py `justered_without_signatures`), so the public
side is tested on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from minutes.drafting import services
from minutes.models import Meeting, Paragraph
from tests.conftest import justered_without_signatures

SECRET = "Hemligsakuppgift Sjukpenningärende"
DRAFT_WORD = "Utkastordet Preliminärbudget"
PUBLIC_WORD = "tilläggsäskande"


@dataclass
class Published:
    meeting: Meeting
    open_paragraph: Paragraph
    secret_paragraph: Paragraph
    draft: Meeting


def make_minutes(*, organ, actor, date: dt.date, titles: list[str], confidential: bool = True,
                 status: str = Meeting.Status.SIGNED) -> Meeting:
    meeting = services.meeting_create(organ=organ, date=date, start_time=dt.time(9, 0),
                                      end_time=dt.time(11, 0), place="Kansliet, Västerås", actor=actor)
    services.attendance_prefill(meeting=meeting, actor=actor)
    for title in titles:
        services.paragraph_add(
            meeting=meeting, title=title, body=f"Förbundschefen redogör för {title.lower()}.",
            clauses=[f"Att godkänna {title.lower()}"], actor=actor,
        )
    if confidential:
        services.paragraph_add(
            meeting=meeting, title=f"{SECRET} rubrik", body=f"{SECRET} i texten.",
            clauses=[f"Att bevilja {SECRET}"], is_confidential=True, osl_reference="26 kap. 1 § OSL",
            actor=actor,
        )
    if status == Meeting.Status.SIGNED:
        return justered_without_signatures(meeting, actor)
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def published(board, secretary) -> Published:
    meeting = make_minutes(
        organ=board.organ, actor=secretary, date=dt.date(2023, 11, 2),
        titles=["Val av justerare", f"Insatsen Steget, {PUBLIC_WORD} 147 424 kr", "Delårsrapport"],
    )
    draft = make_minutes(
        organ=board.organ, actor=secretary, date=dt.date(2023, 12, 7),
        titles=[f"{DRAFT_WORD} 2024"], confidential=False, status=Meeting.Status.DRAFTING,
    )
    paragraphs = list(meeting.paragraphs.order_by("position"))
    return Published(
        meeting=meeting,
        open_paragraph=next(p for p in paragraphs if PUBLIC_WORD in p.title),
        secret_paragraph=next(p for p in paragraphs if p.is_confidential),
        draft=draft,
    )


@pytest.fixture(autouse=True)
def _media(media_in_tmp: Path) -> Path:
    return media_in_tmp
