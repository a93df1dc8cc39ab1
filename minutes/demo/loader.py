"""Loads the demo minutes (minutes.demo.data) as minutes in progress (status "protokoll under
arbete").

The numbers come out as in the seeds because each organ's series for the year starts where
the seed starts (`ParagraphYear.first_number`). Idempotent: rows are found by natural keys
(organ+date, meeting+position, meeting+person) and saved only when something differs, so a
second run changes nothing. Paragraphs are created through `services.paragraph_add`, so
numbering is the real one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from board.demo.loader import canonical, upsert
from board.models import Organ, Person
from minutes.demo.data import SEEDS
from minutes.drafting import services
from minutes.drafting.rendering import body_html
from minutes.drafting.selectors import paragraph_range
from minutes.models import (
    AgendaDocument,
    Attendance,
    DecisionClause,
    Meeting,
    MinutesAdjuster,
    Paragraph,
    ParagraphYear,
)


def _person(name: str) -> Person:
    """The registry's person by the seed's spelling; guests of the seeds are created."""
    first, _, last = canonical(name).partition(" ")
    return upsert(Person, first_name=first, last_name=last)


def _load_meeting(spec: dict[str, Any]) -> Meeting | None:
    organ = Organ.objects.filter(organisation__slug=spec["org"], name=spec["organ"]).select_related(
        "organisation"
    ).first()
    if organ is None:
        return None
    day: dt.date = spec["date"]
    upsert(ParagraphYear, organ=organ, year=day.year, defaults={"first_number": spec["first"]})
    meeting = upsert(Meeting, organ=organ, date=day, defaults={**spec["meeting"]})

    paragraphs: list[Paragraph] = []
    for position, p in enumerate(spec["paragraphs"], start=1):
        fields = {
            "title": p["title"], "kind": p.get("kind", ""), "dnr": p.get("dnr", ""),
            # The seeds' texts (Markdown or the HTML subset) as stored: the HTML subset.
            "body": body_html(p.get("body", "")),
            "stock_decision": p.get("stock", ""), "exp_till": p.get("exp_till", ""),
            "kopia_till": p.get("kopia_till", ""),
        }
        paragraph = meeting.paragraphs.filter(position=position).first()
        if paragraph is None:
            paragraph = services.paragraph_add(meeting=meeting, actor=None, **fields)
        else:
            paragraph = upsert(Paragraph, pk=paragraph.pk, defaults=fields)
        paragraphs.append(paragraph)
        clauses = p.get("clauses", [])
        for i, text in enumerate(clauses, start=1):
            upsert(DecisionClause, paragraph=paragraph, position=i, defaults={"text": text})
        paragraph.clauses.filter(position__gt=len(clauses)).delete()
        for i, title in enumerate(p.get("docs", []), start=1):
            upsert(AgendaDocument, meeting=meeting, paragraph=paragraph, title=title, defaults={"position": i})

    for position, (name, role, extra) in enumerate(spec["attendance"], start=1):
        extra = dict(extra)
        span = extra.pop("paragraphs", None)
        defaults: dict[str, Any] = {
            "role": role, "position": position, "function": "", "party": "", "affiliation": "",
            "role_text": "", "is_remote": False, "present_from": None, **extra,
        }
        if span is not None:
            defaults["from_paragraph"] = paragraphs[span[0]]
            defaults["until_paragraph"] = paragraphs[span[1]]
        upsert(Attendance, meeting=meeting, person=_person(name), defaults=defaults)

    chosen_in = next((p for p in paragraphs if p.kind == Paragraph.Kind.ADJUSTERS), None)
    for i, name in enumerate(spec["adjusters"], start=1):
        upsert(MinutesAdjuster, meeting=meeting, person=_person(name), defaults={"position": i, "chosen_in": chosen_in})

    if meeting.status in {Meeting.Status.PLANNED, Meeting.Status.CALLED, Meeting.Status.HELD}:
        meeting.status = Meeting.Status.DRAFTING
        meeting.save(update_fields=["status"])
    return meeting


def load(*, stdout: TextIO) -> None:
    for spec in SEEDS:
        meeting = _load_meeting(spec)
        if meeting is None:
            stdout.write(f"  Protokoll: {spec['org']}/{spec['organ']} saknas i registret; hoppar över.\n")
            continue
        label = paragraph_range(list(meeting.paragraphs.only("number", "prefix")))
        stdout.write(f"  protokoll: {meeting.organ.organisation}, {meeting}: {label}\n")
