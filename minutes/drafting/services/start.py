"""Starting the minutes: the standard opening and closing paragraphs and one per agenda item.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board.audit import event_record, save_with_actor

from ...models import (
    Meeting,
    Paragraph,
)
from .editing import require_editable
from .paragraphs import paragraph_add

# Before the justering: the minutes may be started in any of these.
_BEFORE_JUSTERING = frozenset(
    {Meeting.Status.PLANNED, Meeting.Status.CALLED, Meeting.Status.HELD, Meeting.Status.DRAFTING}
)


STANDARD_OPENING = [
    (Paragraph.Kind.ADJUSTERS, "Val av justerare", ""),
    (Paragraph.Kind.AGENDA, "Godkännande av dagordning", Paragraph.StockDecision.AGENDA_APPROVED),
    (Paragraph.Kind.PREVIOUS, "Föregående protokoll", ""),
]


STANDARD_CLOSING = [
    (Paragraph.Kind.OTHER, "Övriga frågor", ""),
    (Paragraph.Kind.CLOSING, "Mötets avslutande", ""),
]


STANDARD_TEXT = {
    Paragraph.Kind.PREVIOUS: ["Att föregående protokoll godkänns och läggs till handlingarna."],
}


STANDARD_BODY = {
    Paragraph.Kind.CLOSING: "Ordförande tackar alla närvarande och förklarar mötet avslutat.",
}


@transaction.atomic
def minutes_start(
    *,
    meeting: Meeting,
    actor: Any,
    opening: Iterable[str] = tuple(k for k, _t, _d in STANDARD_OPENING),
    from_agenda: bool = True,
    closing: Iterable[str] = tuple(k for k, _t, _d in STANDARD_CLOSING),
) -> list[Paragraph]:
    """Start the minutes: the chosen standard paragraphs, one § per agenda item, the closing ones."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_editable(meeting)
    if meeting.status not in _BEFORE_JUSTERING:
        raise ValidationError(_("Protokollet är redan skickat för justering."))
    opening, closing = set(opening), set(closing)
    created: list[Paragraph] = []
    if not meeting.paragraphs.exists():
        for kind, title, stock in STANDARD_OPENING:
            if kind in opening:
                created.append(paragraph_add(
                    meeting=meeting, title=title, kind=kind, stock_decision=stock,
                    clauses=STANDARD_TEXT.get(kind, ()), actor=actor,
                ))
        if from_agenda:
            for item in meeting.agenda_items.order_by("position"):
                created.append(paragraph_add(
                    meeting=meeting, title=item.title, dnr=item.dnr, agenda_item=item,
                    body=item.description, clauses=_proposal_clauses(item.proposed_decision),
                    actor=actor,
                ))
        for kind, title, stock in STANDARD_CLOSING:
            if kind in closing:
                created.append(paragraph_add(
                    meeting=meeting, title=title, kind=kind, stock_decision=stock,
                    body=STANDARD_BODY.get(kind, ""), actor=actor,
                ))
    meeting.status = Meeting.Status.DRAFTING
    meeting.minutes_started_at = meeting.minutes_started_at or timezone.now()
    save_with_actor(meeting, actor)
    event_record(
        verb="minutes.started", actor=actor, organisation=meeting.organ.organisation,
        target=meeting, summary=str(meeting),
    )
    return created


def _proposal_clauses(text: str) -> list[str]:
    """A proposed decision becomes draft clauses, one per line."""
    return [line.lstrip("-•* ").strip() for line in (text or "").splitlines() if line.strip()]
