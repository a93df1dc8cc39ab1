"""The daily reminder to the signers who have not signed as the 14-day deadline nears.

Imported in MinutesConfig.ready (minutes/apps.py), so that every worker registers the task.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from board.audit import event_record
from board.models import OutgoingMail, Person

from ..models import Meeting
from .rules import WARN_DAYS, deadline_for
from .selectors import current_version, signers_of
from .services.mail import justering_url, mail_persons

REMIND_ON_DAYS_LEFT = frozenset({WARN_DAYS, 1, 0, -1})  # three days before, the last days, once late


def _persons(ids: list[int]) -> list[Person]:
    found = Person.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]


def justering_remind_signers(*, today: dt.date | None = None) -> list[str]:
    """E-mail the signers who have not signed when the deadline nears (and once when passed)."""
    today = today or timezone.localdate()
    sent: list[str] = []
    for meeting in Meeting.objects.filter(status=Meeting.Status.JUSTERING).select_related("organ__organisation"):
        deadline = deadline_for(meeting, today)
        if deadline.days_left not in REMIND_ON_DAYS_LEFT:
            continue
        version = current_version(meeting)
        if version is None:
            continue
        signed = set(version.signatures.values_list("person_id", flat=True))
        waiting = _persons([s["person_id"] for s in signers_of(version) if s["person_id"] not in signed])
        addresses = mail_persons(
            waiting,
            f"Påminnelse: justera protokollet {meeting.date:%Y-%m-%d}, {meeting.organ.organisation}",
            f"{deadline.text}\n\nLäs och skriv under här:\n{justering_url(meeting)}\n",
            meeting=meeting, kind=OutgoingMail.Kind.JUSTERING_REMINDER,
        )
        if addresses:
            event_record(
                verb="justering.reminded", organisation=meeting.organ.organisation, target=meeting,
                summary=f"Påminnelse om justering till {len(addresses)}", data={"to": addresses},
            )
        sent += addresses
    return sent


@shared_task(name="minutes.justering_reminders")
def justering_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind signers as the 14-day deadline nears."""
    return len(justering_remind_signers())
