"""What the drafting endpoints share: the meeting or § the caller may read or change (404 to
whoever may not see it, 403 to whoever may not change it), and the people, § and agenda items
a payload names (422 when they do not exist or belong to another meeting)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from board.models import Person
from board.permissions import Action, can

from ...models import AgendaItem, Meeting, Paragraph
from ..selectors import meeting_for


def meeting_or_404(request: HttpRequest, pk: int, *, edit: bool = False) -> Meeting:
    """The meeting, 404 to a caller who may not see it; with edit, 403 to one who may not
    change its minutes."""
    meeting = meeting_for(request.user, pk)
    if edit and not can(request.user, Action.EDIT_MINUTES, meeting.organ.organisation_id):
        raise PermissionDenied("Du får inte ändra protokoll i det här förbundet.")
    return meeting


def paragraph_or_404(request: HttpRequest, pk: int, *, edit: bool = True) -> Paragraph:
    """The §, its meeting checked as meeting_or_404 does (for a change unless edit=False)."""
    paragraph = get_object_or_404(Paragraph, pk=pk)
    paragraph.meeting = meeting_or_404(request, paragraph.meeting_id, edit=edit)
    return paragraph


def person_or_422(pk: int | None, field: str = "person_id") -> Person | None:
    if pk is None:
        return None
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise ValidationError({field: "Personen finns inte."})
    return person


def paragraph_of_meeting(meeting: Meeting, pk: int | None, field: str) -> Paragraph | None:
    if pk is None:
        return None
    paragraph = meeting.paragraphs.filter(pk=pk).first()
    if paragraph is None:
        raise ValidationError({field: "Paragrafen hör inte till mötet."})
    return paragraph


def item_of_meeting(meeting: Meeting, pk: int | None) -> AgendaItem | None:
    if pk is None:
        return None
    item = meeting.agenda_items.filter(pk=pk).first()
    if item is None:
        raise ValidationError({"agenda_item_id": "Punkten hör inte till mötet."})
    return item
