"""The member's room: which meetings are theirs, their private notes, their last visits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from board.models import Appointment

from ..drafting.selectors import meetings_visible_to
from ..models import NOTE_MAX_LENGTH, AgendaDocument, AgendaItem, Meeting, MeetingVisit, PrivateNote


def coming_meetings(user: Any, today: dt.date | None = None) -> list[Meeting]:
    """The meetings from today on of the organs where the user's person holds a seat (ledamot
    or ersättare) on the meeting's day, among those the user may see. Two queries."""
    today = today or timezone.localdate()
    person = getattr(user, "person", None)
    if person is None:
        return []
    seats = list(Appointment.objects.filter(person=person).values_list("organ_id", "start", "end"))
    meetings = meetings_visible_to(user).filter(date__gte=today, organ_id__in={s[0] for s in seats})
    return [
        m for m in meetings.order_by("date", "start_time", "pk")
        if any(organ == m.organ_id and start <= m.date and (end is None or m.date <= end) for organ, start, end in seats)
    ]


def note_save(*, author: Any, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None,
              document: AgendaDocument | None = None) -> PrivateNote | None:
    """Keep the author's note on an item or a handling of the meeting; an empty text deletes it."""
    if (agenda_item is None) == (document is None):
        raise ValidationError("Anteckningen måste höra till en punkt eller en handling.")
    target = agenda_item or document
    assert target is not None
    if target.meeting_id != meeting.pk:
        raise ValidationError("Punkten eller handlingen hör inte till sammanträdet.")
    text = (text or "").replace("\x00", "").strip()
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(f"Anteckningen får vara högst {NOTE_MAX_LENGTH:,} tecken.".replace(",", " "))
    key = {"author": author, "agenda_item": agenda_item} if agenda_item else {"author": author, "document": document}
    with transaction.atomic():
        if not text:
            PrivateNote.objects.filter(**key).delete()
            return None
        note, _created = PrivateNote.objects.update_or_create(**key, defaults={"meeting": meeting, "text": text})
    return note


def notes_of(author: Any, meeting: Meeting) -> tuple[dict[int, str], dict[int, str]]:
    """The author's notes on the meeting: by agenda item id, by document id."""
    items: dict[int, str] = {}
    documents: dict[int, str] = {}
    for note in PrivateNote.objects.filter(author=author, meeting=meeting):
        if note.agenda_item_id:
            items[note.agenda_item_id] = note.text
        elif note.document_id:
            documents[note.document_id] = note.text
    return items, documents


def notes_export(author: Any) -> str:
    """All the author's notes on meetings they may still see, as plain text, oldest meeting first."""
    visible = meetings_visible_to(author).values("pk")
    notes = (
        PrivateNote.objects.filter(author=author, meeting__in=visible)
        .select_related("meeting__organ__organisation", "agenda_item", "document")
        .order_by("meeting__date", "meeting_id", "agenda_item__position", "document__position", "pk")
    )
    lines: list[str] = ["Mina anteckningar", f"Utskrivna {timezone.localtime():%Y-%m-%d %H:%M}", ""]
    current = None
    for note in notes:
        if note.meeting_id != current:
            current = note.meeting_id
            m = note.meeting
            lines += [f"== {m.organ.organisation.name}, {m.organ.name} {m.date:%Y-%m-%d} ==", ""]
        if note.agenda_item is not None:
            lines.append(f"Punkt {note.agenda_item.position}: {note.agenda_item.title}")
        elif note.document is not None:
            lines.append(f"Handling: {note.document.title}")
        lines += [note.text, ""]
    if current is None:
        lines.append("Inga anteckningar.")
    return "\n".join(lines) + "\n"


def meeting_visited(*, user: Any, meeting: Meeting) -> dt.datetime | None:
    """Record this visit; the time of the one before (None on the first)."""
    now = timezone.now()
    with transaction.atomic():
        visit, created = MeetingVisit.objects.select_for_update().get_or_create(
            user=user, meeting=meeting, defaults={"seen_at": now},
        )
        if created:
            return None
        before = visit.seen_at
        visit.seen_at = now
        visit.save(update_fields=["seen_at"])
    return before
