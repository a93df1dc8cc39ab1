"""Decisions and action items (uppdrag): decision clauses linked to interventions, tasks read
from the task-giving clauses of a paragraph, their progress, and the follow-up item they put
on the next meeting's agenda."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from board.audit import event_record, save_with_actor
from board.models import Appointment, Person, StaffRole
from board.selectors import family_ids
from minutes.drafting import services as minutes_services
from minutes.models import AgendaItem, DecisionClause, Meeting, Paragraph

from .models import ActionItem, Intervention, InterventionDecision
from .selectors import open_action_items_for

FOLLOW_UP_TITLE = "Uppföljning av uppdrag"


# "Styrelsen uppdrar åt förbundschef att …", "Att uppdra åt ordförande att …",
# "Styrelsen ger förbundschefen i uppdrag att …".
_TASK_PATTERNS = [
    re.compile(r"\buppdra(?:r|s|git)?\s+(?:åt|till)\s+(?P<owner>.+?)\s+att\b", re.IGNORECASE),
    re.compile(r"\bger\s+(?P<owner>.+?)\s+i\s+uppdrag\b", re.IGNORECASE),
    # Passive: "Förbundschefen får i uppdrag att …", "Att presidiet ges i uppdrag att …".
    re.compile(r"^(?:att\s+)?(?P<owner>[^,.;]+?)\s+(?:får|ges)\s+i\s+uppdrag\b", re.IGNORECASE),
]


def task_owner_in(text: str) -> str | None:
    """Who the clause gives a task to ("förbundschef"), or None when it gives none."""
    for pattern in _TASK_PATTERNS:
        match = pattern.search(text or "")
        if match:
            return match.group("owner").strip(" ,.")
    return None


_ROLE_WORDS = {
    "förbundschef": ("staff", StaffRole.Role.DIRECTOR),
    "sekreterare": ("staff", StaffRole.Role.SECRETARY),
    "ekonom": ("staff", StaffRole.Role.ACCOUNTANT),
    "ordförande": ("chair", None),
}


def _owner_person(owner: str, paragraph: Paragraph) -> Person | None:
    """The person holding the named role on the meeting day, when the owner is a role."""
    word = owner.casefold().removesuffix("en").removesuffix("n")
    day = paragraph.meeting.date
    for role_word, (kind, role) in _ROLE_WORDS.items():
        if word.startswith(role_word) or role_word.startswith(word):
            if kind == "staff":
                found = StaffRole.objects.active_on(day).filter(
                    organisation_id=paragraph.organ.organisation_id, role=role
                ).select_related("person").first()
                return found.person if found else None
            seat = Appointment.objects.active_on(day).filter(
                organ_id=paragraph.organ_id, role=Appointment.Role.CHAIR
            ).select_related("person").first()
            return seat.person if seat else None
    return None


@transaction.atomic
def decision_link(*, clause: DecisionClause, intervention: Intervention, actor: Any) -> InterventionDecision:
    clause = DecisionClause.objects.select_related("paragraph__organ").get(pk=clause.pk)
    if clause.paragraph.organ.organisation_id not in family_ids(intervention.organisation_id):
        raise ValidationError({"clause": "Beslutet hör till ett annat förbunds protokoll."})
    link = InterventionDecision.objects.filter(clause=clause, intervention=intervention).first()
    if link is None:
        link = InterventionDecision(clause=clause, intervention=intervention)
        save_with_actor(link, actor)
    return link


@transaction.atomic
def action_item_create(
    *,
    paragraph: Paragraph,
    text: str,
    actor: Any,
    clause: DecisionClause | None = None,
    owner_text: str = "",
    owner_person: Person | None = None,
    due_date: dt.date | None = None,
    intervention: Intervention | None = None,
) -> ActionItem:
    paragraph = Paragraph.objects.select_related("organ__organisation", "meeting").get(pk=paragraph.pk)
    if clause is not None and clause.paragraph_id != paragraph.pk:
        raise ValidationError({"clause": "Beslutssatsen hör till en annan paragraf."})
    if intervention is not None and paragraph.organ.organisation_id not in family_ids(intervention.organisation_id):
        raise ValidationError({"intervention": "Insatsen hör till ett annat förbund."})
    if not (text or "").strip():
        raise ValidationError({"text": "Beskriv uppdraget."})
    if not owner_text.strip() and owner_person is None:
        raise ValidationError({"owner_text": "Ange vem som har uppdraget."})
    if due_date is not None and due_date < paragraph.meeting.date:
        raise ValidationError({"due_date": "Uppdraget kan inte vara klart före beslutet."})
    item = ActionItem(
        organisation=paragraph.organ.organisation, organ=paragraph.organ, paragraph=paragraph, clause=clause,
        text=text.strip(), owner_text=owner_text.strip()[:200], owner_person=owner_person, due_date=due_date,
        intervention=intervention,
    )
    save_with_actor(item, actor)
    event_record(
        verb="action_item.created", actor=actor, organisation=item.organisation, target=item,
        summary=f"Uppdrag ({paragraph.label}): {item.text[:200]}",
    )
    return item


@transaction.atomic
def action_items_from_paragraph(
    *, paragraph: Paragraph, actor: Any, intervention: Intervention | None = None, due_date: dt.date | None = None
) -> list[ActionItem]:
    """An action item for every clause of the § that gives someone a task (once per clause)."""
    created = []
    for clause in paragraph.clauses.order_by("position"):
        owner = task_owner_in(clause.text)
        if owner is None or ActionItem.objects.filter(clause=clause).exists():
            continue
        created.append(action_item_create(
            paragraph=paragraph, clause=clause, text=clause.text, owner_text=owner,
            owner_person=_owner_person(owner, paragraph), due_date=due_date, intervention=intervention,
            actor=actor,
        ))
        if intervention is not None:
            decision_link(clause=clause, intervention=intervention, actor=actor)
    return created


@transaction.atomic
def action_item_update(
    *,
    item: ActionItem,
    actor: Any,
    status: str | None = None,
    due_date: dt.date | None | str = "keep",
    report: str | None = None,
    owner_text: str | None = None,
    owner_person: Person | None | str = "keep",
    on: dt.date | None = None,
) -> ActionItem:
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    before = item.status
    if status is not None:
        if status not in ActionItem.Status.values:
            raise ValidationError({"status": "Okänd status."})
        item.status = status
        if status == ActionItem.Status.DONE:
            item.closed_on = item.closed_on or on or timezone.localdate()
        else:
            item.closed_on = None
    if due_date != "keep":
        item.due_date = due_date  # type: ignore[assignment]
    if report is not None:
        item.report = report.strip()
    if owner_text is not None:
        item.owner_text = owner_text.strip()[:200]
    if owner_person != "keep":
        item.owner_person = owner_person  # type: ignore[assignment]
    if not item.owner_text and item.owner_person_id is None:
        raise ValidationError({"owner_text": "Ange vem som har uppdraget."})
    save_with_actor(item, actor)
    if before != item.status:
        event_record(
            verb="action_item.status", actor=actor, organisation=item.organisation, target=item,
            summary=f"Uppdrag {item.pk}: {item.get_status_display()}",
        )
    return item


def _follow_up_text(items: Sequence[ActionItem]) -> str:
    lines = []
    for item in items:
        due = f", klart senast {item.due_date:%Y-%m-%d}" if item.due_date else ""
        lines.append(
            f"- {item.paragraph.label} ({item.paragraph.meeting.date:%Y-%m-%d}): {item.text} "
            f"– ansvarig: {item.owner_display}{due}; status: {item.get_status_display().lower()}"
        )
    return "Öppna uppdrag från tidigare beslut:\n\n" + "\n".join(lines)


@transaction.atomic
def action_items_to_agenda(*, meeting: Meeting, actor: Any) -> AgendaItem | None:
    """Add (or bring up to date) "Uppföljning av uppdrag" on the meeting's agenda.

    It lists the organ's tasks decided before this meeting that are not closed. Run it again
    after a task is closed and the item no longer lists it; with nothing open it is removed.
    """
    meeting = Meeting.objects.select_related("organ").get(pk=meeting.pk)
    items = list(open_action_items_for(meeting))
    existing = meeting.agenda_items.filter(title=FOLLOW_UP_TITLE).first()
    if not items:
        if existing is not None and not existing.paragraphs.exists():
            minutes_services.agenda_item_delete(item=existing, actor=actor)
        return None
    text = _follow_up_text(items)
    proposal = "Att notera återrapporteringen av uppdragen."
    if existing is None:
        return minutes_services.agenda_item_add(
            meeting=meeting, title=FOLLOW_UP_TITLE, description=text, proposed_decision=proposal, actor=actor
        )
    if existing.description != text:
        return minutes_services.agenda_item_update(item=existing, description=text, actor=actor)
    return existing
