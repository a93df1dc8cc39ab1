"""The e-mails of the justering: the link to its page, and a message queued per person."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from board.mail import mail_queue
from board.models import Person

from ...models import Meeting


def justering_url(meeting: Meeting) -> str:
    """The justering page of the meeting, as a full address for an e-mail."""
    return settings.SITE_URL + reverse("minutes:justering", args=[meeting.pk])


def mail_persons(
    persons: list[Person], subject: str, body: str, *, meeting: Meeting, kind: str, actor: Any = None
) -> list[str]:
    """Queue the message to each person with an address; the addresses it went to."""
    sent = []
    for person in persons:
        if person.email:
            mail_queue(to=person, subject=subject, body=body, meeting=meeting, kind=kind, actor=actor)
            sent.append(person.email)
    return sent
