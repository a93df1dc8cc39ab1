"""What the drafting pages share: the meeting or § the user may change (404 to anyone who
may not see it, 403 to those who may not change it), calling a service with its outcome as a
message, and the addresses they redirect back to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from board.forms import error_texts
from board.models import Person
from board.permissions import Action, can
from board.selectors import board_on, staff_on

from ...models import Meeting, Paragraph
from ..selectors import meeting_for


def meeting_or_404(request: HttpRequest, pk: int, *, edit: bool = False) -> Meeting:
    """The meeting, 404 to anyone who may not see it; with edit, 403 to those who may not
    change its minutes."""
    meeting = meeting_for(request.user, pk)
    if edit and not can(request.user, Action.EDIT_MINUTES, meeting.organ.organisation_id):
        raise PermissionDenied
    return meeting


def paragraph_or_404(request: HttpRequest, pk: int) -> Paragraph:
    """The § to change, its meeting checked as meeting_or_404(edit=True) does."""
    paragraph = get_object_or_404(Paragraph.objects.select_related("meeting"), pk=pk)
    paragraph.meeting = meeting_or_404(request, paragraph.meeting_id, edit=True)
    return paragraph


def posted_id(request: HttpRequest, name: str) -> int:
    """An id from the POSTed form; 404 when it is no number (get_object_or_404 raised
    ValueError for "abc", a 500)."""
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise Http404 from None


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def run_service(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Call a service; say what happened as a message. True on success."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success)
    return True


def form_errors(request: HttpRequest, form: Any) -> None:
    for text in error_texts(form):
        messages.error(request, text)


def editor_url(meeting: Meeting | int, anchor: str = "") -> str:
    pk = meeting if isinstance(meeting, int) else meeting.pk
    return reverse("minutes:editor", args=[pk]) + (f"#{anchor}" if anchor else "")


def kallelse_url(meeting: Meeting) -> str:
    return reverse("minutes:kallelse", args=[meeting.pk])


def attendees_of(meeting: Meeting) -> QuerySet[Person]:
    return Person.objects.filter(attendances__meeting=meeting).order_by("last_name", "first_name")


def candidates_for(meeting: Meeting) -> QuerySet[Person]:
    """People who may be added to the attendance: the board and the office on the day."""
    board_ids = [a.person_id for a in board_on(meeting.organ_id, meeting.date)]
    staff_ids = [s.person_id for s in staff_on(meeting.organ.organisation_id, meeting.date)]
    return Person.objects.filter(pk__in=board_ids + staff_ids).order_by("last_name", "first_name")
