"""Loads the demo minutes (minutes.demo.data) as minutes in progress (status "protokoll under
arbete"), each meeting with its kallelse's agenda items and handlingar, and the walk-through
meeting (seed 004's agenda, no minutes yet).

The numbers come out as in the seeds because each organ's series for the year starts where
the seed starts (`ParagraphYear.first_number`). Idempotent: rows are found by natural keys
(organ+date, meeting+position, meeting+person, meeting+item+title) and saved only when
something differs, so a second run changes nothing. Paragraphs are created through `services.paragraph_add`, so
numbering is the real one.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify

from board.demo.loader import canonical, upsert
from board.documents.pdf import render_pdf
from board.models import Organ, Organisation, Person
from minutes.delegation import services as delegation
from minutes.demo.data import (
    DELEGATION_DAYS_AHEAD,
    DELEGATION_DECISIONS,
    DELEGATION_FROM,
    DELEGATION_LINES,
    DELEGATION_MEETING,
    DELEGATION_ORG,
    SEEDS,
    WALKTHROUGH,
)
from minutes.drafting import services
from minutes.drafting.rendering import body_html
from minutes.drafting.selectors import paragraph_range
from minutes.models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    DecisionClause,
    DelegationDecision,
    DelegationLine,
    Meeting,
    MinutesAdjuster,
    Paragraph,
    ParagraphYear,
)


def _person(name: str) -> Person:
    """The registry's person by the seed's spelling; guests of the seeds are created."""
    first, _, last = canonical(name).partition(" ")
    return upsert(Person, first_name=first, last_name=last)


# The paragraphs that are points on the kallelse's agenda: the ordinary items, and "Föregående
# protokoll" (it has its handling). "Påbörja protokollet" adds the other standard ones itself.
AGENDA_KINDS = frozenset({Paragraph.Kind.ORDINARY, Paragraph.Kind.PREVIOUS})


def _organ(spec: dict[str, Any]) -> Organ | None:
    return Organ.objects.filter(organisation__slug=spec["org"], name=spec["organ"]).select_related(
        "organisation"
    ).first()


def _load_agenda(meeting: Meeting, paragraphs: list[dict[str, Any]], *, prune: bool = True) -> list[AgendaItem | None]:
    """The agenda items and their handlingar; for each paragraph its item (or None).

    `prune` removes the items after the seed's and the handlingar (without a file) the seed
    does not list, rows an earlier version of the demo made.
    """
    items: list[AgendaItem | None] = []
    position = 0
    for p in paragraphs:
        if p.get("kind", "") not in AGENDA_KINDS:
            items.append(None)
            continue
        position += 1
        item = upsert(AgendaItem, meeting=meeting, position=position,
                      defaults={"title": p["title"], "dnr": p.get("dnr", "")})
        items.append(item)
        # A handling of the kallelse belongs to its item; the item's § shows it (selectors).
        docs = [upsert(AgendaDocument, meeting=meeting, agenda_item=item, title=title,
                       defaults={"position": i, "paragraph": None})
                for i, title in enumerate(p.get("docs", []), start=1)]
        if prune:
            item.documents.filter(file="").exclude(pk__in=[d.pk for d in docs]).delete()
    if prune:
        meeting.agenda_items.filter(position__gt=position).delete()
    return items


def _load_meeting(spec: dict[str, Any]) -> Meeting | None:
    organ = _organ(spec)
    if organ is None:
        return None
    day: dt.date = spec["date"]
    upsert(ParagraphYear, organ=organ, year=day.year, defaults={"first_number": spec["first"]})
    meeting = upsert(Meeting, organ=organ, date=day, defaults={**spec["meeting"]})
    items = _load_agenda(meeting, spec["paragraphs"])

    paragraphs: list[Paragraph] = []
    for position, (p, item) in enumerate(zip(spec["paragraphs"], items, strict=True), start=1):
        fields = {
            "title": p["title"], "kind": p.get("kind", ""), "dnr": p.get("dnr", ""),
            # The seeds' texts (Markdown or the HTML subset) as stored: the HTML subset.
            "body": body_html(p.get("body", "")),
            "stock_decision": p.get("stock", ""), "exp_till": p.get("exp_till", ""),
            "kopia_till": p.get("kopia_till", ""),
        }
        paragraph = meeting.paragraphs.filter(position=position).first()
        if paragraph is None:
            paragraph = services.paragraph_add(meeting=meeting, actor=None, agenda_item=item, **fields)
        else:
            paragraph = upsert(Paragraph, pk=paragraph.pk, defaults={**fields, "agenda_item": item})
        paragraphs.append(paragraph)
        clauses = p.get("clauses", [])
        for i, text in enumerate(clauses, start=1):
            upsert(DecisionClause, paragraph=paragraph, position=i, defaults={"text": text})
        paragraph.clauses.filter(position__gt=len(clauses)).delete()
        # Before the agenda, the demo tied the handlingar to the §; they are the item's now.
        paragraph.documents.filter(file="", agenda_item=None, title__in=p.get("docs", [])).delete()

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


def _load_walkthrough(spec: dict[str, Any]) -> Meeting | None:
    """A held meeting with the seed's agenda and handlingar and no minutes: the secretary's to
    write. Once its minutes are started the loader leaves them (and its status) alone."""
    organ = _organ(spec)
    if organ is None:
        return None
    meeting = upsert(Meeting, organ=organ, date=spec["date"], defaults={**spec["meeting"]})
    if meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])
    # The secretary may add to this agenda; a reload puts the seed's items back and keeps theirs.
    _load_agenda(meeting, spec["agenda_of"]["paragraphs"], prune=False)
    return meeting


def _load_delegation() -> Meeting | None:
    """The order, the förbundschef's three decisions (recorded through the service, as the
    förbundschef, so the order's rules hold) and the next meeting with its minutes started."""
    organisation = Organisation.objects.filter(slug=DELEGATION_ORG).first()
    director = get_user_model().objects.filter(username="forbundschef").first()
    organ = _organ(DELEGATION_MEETING)
    if organisation is None or director is None or organ is None:
        return None
    lines = {
        code: upsert(DelegationLine, organisation=organisation, code=code, valid_from=DELEGATION_FROM, defaults={
            "matter": matter, "delegate_role": role, "max_amount": limit, "report_duty": report,
        })
        for code, matter, role, limit, report in DELEGATION_LINES
    }
    for code, day, matter, decision, amount, appealable in DELEGATION_DECISIONS:
        if not DelegationDecision.objects.filter(organisation=organisation, decided_on=day, matter=matter).exists():
            delegation.delegation_decision_record(
                organisation=organisation, line=lines[code], actor=director, decided_on=day, matter=matter,
                decision=decision, amount=amount, appealable=appealable,
            )
    today = timezone.localdate()
    meeting = Meeting.objects.filter(organ=organ, date__gte=today).order_by("date").first()
    if meeting is None:
        meeting = upsert(Meeting, organ=organ, date=today + dt.timedelta(days=DELEGATION_DAYS_AHEAD),
                         defaults={**DELEGATION_MEETING["meeting"]})
    if not meeting.agenda_items.exists():
        for title, description, handling in DELEGATION_MEETING["agenda"]:
            item = services.agenda_item_add(meeting=meeting, title=title, description=description, actor=None)
            if handling is not None:
                heading, text = handling
                pdf = render_pdf(f"<html><body><h1>{escape(heading)}</h1><p>{escape(text)}</p></body></html>",
                                 title=heading)
                services.document_add(meeting=meeting, title=heading, agenda_item=item, actor=None,
                                      upload=SimpleUploadedFile(f"{slugify(heading)}.pdf", pdf))
    if meeting.minutes_started_at is None:
        services.minutes_start(meeting=meeting, actor=None)
    return meeting


def load(*, stdout: TextIO) -> None:
    for spec in SEEDS:
        meeting = _load_meeting(spec)
        if meeting is None:
            stdout.write(f"  Protokoll: {spec['org']}/{spec['organ']} saknas i registret; hoppar över.\n")
            continue
        label = paragraph_range(list(meeting.paragraphs.only("number", "prefix")))
        stdout.write(f"  protokoll: {meeting.organ.organisation}, {meeting}: {label}\n")
    walkthrough = _load_walkthrough(WALKTHROUGH)
    if walkthrough is not None:
        items = walkthrough.agenda_items.count()
        stdout.write(f"  sammanträde att skriva protokoll för: {walkthrough.organ.organisation}, {walkthrough}: "
                     f"{items} punkter på dagordningen\n")
    next_meeting = _load_delegation()
    if next_meeting is not None:
        stdout.write(f"  delegationsbeslut att anmäla: {next_meeting.organ.organisation}, {next_meeting}\n")
