"""Everything that changes meetings and minutes. Views, the API and the demo loader call these.

Each service runs in one transaction, records the acting user in the history
(`save_with_actor`) and, for acts that matter in themselves (kallelse sent, vote recorded),
an AuditEvent. Numbering is serialised per organ and year by locking the `ParagraphYear` row.

This module: paragraphs, their decision clauses, reservations, notes and jäv.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from board.audit import acting_user, save_with_actor
from board.models import Person
from board.people import display_name

from ...models import (
    AgendaItem,
    Attendance,
    DecisionClause,
    Meeting,
    Paragraph,
    ProtocolNote,
    Recusal,
    Reservation,
    VoteBallot,
)
from ..rendering import body_text, clean_html
from .conflicts import person_name
from .editing import (
    clean_text,
    delete_row,
    repack_positions,
    require_editable,
    save_typed,
    send_edited,
)
from .numbering import lock_year, renumber_year

PARAGRAPH_FIELDS = (
    "title", "dnr", "body", "stock_decision", "is_confidential", "osl_reference",
    "immediate_justering", "exp_till", "kopia_till", "handled_at", "kind",
)


def _validate_paragraph(paragraph: Paragraph) -> None:
    errors = {}
    if not clean_text(paragraph.title):
        errors["title"] = _("Ange en rubrik.")
    if paragraph.is_confidential and not clean_text(paragraph.osl_reference):
        errors["osl_reference"] = _("Ange sekretessbestämmelse (OSL) för en paragraf med sekretess.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def paragraph_add(
    *,
    meeting: Meeting,
    title: str,
    actor: Any,
    position: int | None = None,
    agenda_item: AgendaItem | None = None,
    clauses: Sequence[str] = (),
    **values: Any,
) -> Paragraph:
    """Add a § to the meeting (at the end unless a position is given) and number the year.

    The number is the next after the last used by the organ that year; the year lock makes
    two people adding at the same moment get consecutive numbers, never the same one.
    """
    meeting = Meeting.objects.select_related("organ__organisation").get(pk=meeting.pk)
    require_editable(meeting)
    unknown = set(values) - set(PARAGRAPH_FIELDS)
    if unknown:
        raise ValidationError(_("Okända fält: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if "body" in values:
        values["body"] = clean_html(values["body"])
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Punkten hör till ett annat möte.")})
    organ = meeting.organ
    year = meeting.date.year
    series = lock_year(organ, year)
    siblings = list(meeting.paragraphs.order_by("position"))
    last_number = (
        Paragraph.objects.filter(organ=organ, year=year).aggregate(m=Max("number"))["m"]
    )
    paragraph = Paragraph(
        meeting=meeting, organ=organ, year=year,
        number=(last_number + 1) if last_number else series.first_number,
        prefix=organ.organisation.paragraph_prefix, position=len(siblings) + 1,
        agenda_item=agenda_item, title=clean_text(title), updated_by=acting_user(actor), **values,
    )
    _validate_paragraph(paragraph)
    save_with_actor(paragraph, actor)
    if clauses:
        clauses_set(paragraph=paragraph, clauses=clauses, actor=actor)
    if position is not None and position <= len(siblings):
        siblings.insert(max(0, position - 1), paragraph)
        repack_positions(siblings, actor)
    renumber_year(series, actor)
    paragraph.refresh_from_db()
    send_edited(meeting, actor, "paragraph.added")
    return paragraph


@transaction.atomic
def paragraph_move(*, paragraph: Paragraph, position: int, actor: Any) -> Paragraph:
    """Move a § within its meeting; the meeting's (and later meetings') numbers follow."""
    meeting = Meeting.objects.select_related("organ").get(pk=paragraph.meeting_id)
    require_editable(meeting)
    series = lock_year(meeting.organ, paragraph.year)
    siblings = [p for p in meeting.paragraphs.order_by("position") if p.pk != paragraph.pk]
    position = max(1, min(position, len(siblings) + 1))
    current = Paragraph.objects.get(pk=paragraph.pk)
    siblings.insert(position - 1, current)
    repack_positions(siblings, actor)
    renumber_year(series, actor)
    current.refresh_from_db()
    send_edited(meeting, actor, "paragraph.moved")
    return current


@transaction.atomic
def paragraph_delete(*, paragraph: Paragraph, actor: Any) -> None:
    meeting = Meeting.objects.select_related("organ").get(pk=paragraph.meeting_id)
    require_editable(meeting)
    series = lock_year(meeting.organ, paragraph.year)
    Attendance.objects.filter(from_paragraph=paragraph).update(from_paragraph=None)
    Attendance.objects.filter(until_paragraph=paragraph).update(until_paragraph=None)
    delete_row(paragraph, actor)
    repack_positions(list(meeting.paragraphs.order_by("position")), actor)
    renumber_year(series, actor)
    send_edited(meeting, actor, "paragraph.deleted")


# The history's reason for a save that ends a conflict, by the secretary's choice.
RESOLUTIONS = {
    "mine": _lazy("Konflikt: egen text sparad över version %(v)s av %(who)s"),
    "merge": _lazy("Konflikt: sammanfogad text sparad över version %(v)s av %(who)s"),
}


class StaleParagraph(ValidationError):
    """A save based on an old version: someone else saved in between. Nothing was written."""

    def __init__(self, current: Paragraph) -> None:
        who = display_name(current.updated_by) or _("någon annan")
        when = timezone.localtime(current.updated_at).strftime("%H.%M") if current.updated_at else ""
        message = _(
            "%(label)s har ändrats av %(who)s kl %(when)s medan du skrev. Din ändring är inte sparad. "
            "Den sparade texten är nu: %(body)s"
        ) % {"label": current.label, "who": who, "when": when, "body": body_text(current.body) or _("(tom)")}
        super().__init__({"version": [message]})
        self.current = current
        self.who = who


@transaction.atomic
def paragraph_update(
    *,
    paragraph: Paragraph,
    expected_version: int,
    actor: Any,
    clauses: Sequence[str] | None = None,
    autosave: bool = False,
    resolution: str = "",
    **changes: Any,
) -> Paragraph:
    """Save a § if nobody saved it since `expected_version`; otherwise refuse (StaleParagraph).

    `clauses`, when given, replaces the decision's "Att …" clauses in the same save.
    `autosave`: the editor saving while the secretary types; its history is kept in
    proportion (editing.save_typed).
    `resolution`: the save ends a conflict (conflicts.paragraph_conflict) by the secretary's
    choice, "mine" (their text over the newer version) or "merge" (the merged text): a
    deliberate overwrite, always its own history row, which says so and whose version it
    replaced.
    """
    current = (
        Paragraph.objects.select_for_update(of=("self",))
        .select_related("meeting", "updated_by__person", "organ")
        .get(pk=paragraph.pk)
    )
    require_editable(current.meeting)
    if current.version != expected_version:
        raise StaleParagraph(current)
    unknown = set(changes) - set(PARAGRAPH_FIELDS)
    if unknown:
        raise ValidationError(_("Okända fält: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        if name == "body":
            value = clean_html(value)  # the HTML subset, whatever came in (rendering.py)
        elif isinstance(value, str):
            value = value.strip()
        setattr(current, name, value)
    _validate_paragraph(current)
    if resolution:
        if resolution not in RESOLUTIONS:
            raise ValidationError({"resolution": _("Okänt val: %(r)s") % {"r": resolution}})
        current._change_reason = RESOLUTIONS[resolution] % {  # type: ignore[attr-defined]  # simple_history reads it
            "v": current.version, "who": person_name(current.updated_by),
        }
        autosave = False
    current.version += 1
    current.updated_by = acting_user(actor)
    save_typed(current, actor, autosave=autosave)
    if clauses is not None:
        clauses_set(paragraph=current, clauses=clauses, actor=actor, autosave=autosave)
    send_edited(current.meeting, actor, "paragraph.updated")
    return current


def clauses_set(
    *, paragraph: Paragraph, clauses: Sequence[str], actor: Any, autosave: bool = False
) -> list[DecisionClause]:
    """Replace the decision clauses of a § (inside the caller's transaction)."""
    texts = [t for t in (clean_text(c) for c in clauses) if t]
    existing = list(paragraph.clauses.order_by("position"))
    result = []
    for i, text in enumerate(texts, start=1):
        if i <= len(existing):
            clause = existing[i - 1]
            if clause.text != text:
                clause.text = text
                save_typed(clause, actor, autosave=autosave)
        else:
            clause = DecisionClause(paragraph=paragraph, position=i, text=text)
            save_with_actor(clause, actor)
        result.append(clause)
    for clause in existing[len(texts):]:
        delete_row(clause, actor)
    return result


def _paragraph_for_edit(paragraph: Paragraph) -> Paragraph:
    paragraph = Paragraph.objects.select_related("meeting").get(pk=paragraph.pk)
    require_editable(paragraph.meeting)
    return paragraph


def _must_attend(paragraph: Paragraph, person: Person, field_name: str = "person") -> None:
    if not Attendance.objects.filter(meeting_id=paragraph.meeting_id, person=person).exclude(
        role=Attendance.Role.ABSENT
    ).exists():
        raise ValidationError({field_name: _("%(p)s är inte med i närvarolistan.") % {"p": person}})


@transaction.atomic
def reservation_add(*, paragraph: Paragraph, person: Person, motivation: str = "", actor: Any) -> Reservation:
    paragraph = _paragraph_for_edit(paragraph)
    _must_attend(paragraph, person)
    if not Attendance.objects.filter(
        meeting_id=paragraph.meeting_id, person=person, role__in=Attendance.VOTING_ROLES
    ).exists():
        raise ValidationError({"person": _("Bara beslutande kan reservera sig.")})
    if Recusal.objects.filter(paragraph=paragraph, person=person).exists():
        raise ValidationError({"person": _("%(p)s deltar inte i paragrafen (jäv).") % {"p": person}})
    if Reservation.objects.filter(paragraph=paragraph, person=person).exists():
        raise ValidationError({"person": _("%(p)s har redan reserverat sig.") % {"p": person}})
    reservation = Reservation(paragraph=paragraph, person=person, motivation=motivation.strip())
    save_with_actor(reservation, actor)
    send_edited(paragraph.meeting, actor, "reservation.added")
    return reservation


@transaction.atomic
def note_add(*, paragraph: Paragraph, text: str, person: Person | None = None, actor: Any) -> ProtocolNote:
    paragraph = _paragraph_for_edit(paragraph)
    if not clean_text(text):
        raise ValidationError({"text": _("Skriv anteckningen.")})
    if person is not None:
        _must_attend(paragraph, person)
    note = ProtocolNote(paragraph=paragraph, person=person, text=text.strip())
    save_with_actor(note, actor)
    send_edited(paragraph.meeting, actor, "note.added")
    return note


@transaction.atomic
def recusal_add(*, paragraph: Paragraph, person: Person, reason: str = "", actor: Any) -> Recusal:
    paragraph = _paragraph_for_edit(paragraph)
    _must_attend(paragraph, person)
    if VoteBallot.objects.filter(vote__paragraph=paragraph, person=person).exists():
        raise ValidationError({"person": _("%(p)s har röstat i paragrafen; ta bort omröstningen först.") % {"p": person}})
    if Recusal.objects.filter(paragraph=paragraph, person=person).exists():
        raise ValidationError({"person": _("%(p)s är redan anmäld som jävig.") % {"p": person}})
    recusal = Recusal(paragraph=paragraph, person=person, reason=reason.strip())
    save_with_actor(recusal, actor)
    send_edited(paragraph.meeting, actor, "recusal.added")
    return recusal


@transaction.atomic
def paragraph_child_remove(*, obj: Reservation | ProtocolNote | Recusal, actor: Any) -> None:
    """Remove a reservation, note or jäv."""
    paragraph = _paragraph_for_edit(obj.paragraph)
    delete_row(obj, actor)
    send_edited(paragraph.meeting, actor, f"{type(obj).__name__.lower()}.removed")
