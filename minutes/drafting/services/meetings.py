"""Meetings: create and change them, their calendar event, and the kallelse sent to the board.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from board.audit import event_record, save_with_actor
from board.formatting import one_line
from board.mail import mail_queue
from board.models import Organ, OutgoingMail, Person
from board.selectors import board_on

from ...models import Meeting
from .editing import clean_text, require_editable, send_edited
from .numbering import lock_year, renumber_year

STOCKHOLM = ZoneInfo("Europe/Stockholm")


MEETING_FIELDS = ("date", "start_time", "end_time", "place", "is_remote", "kind", "kallelse_message")


# The years a meeting may fall in (those of the numbering page too). A meeting dated
# 9999-12-31 was saved, and its justering page, adding the 14 days, answered 500.
MEETING_YEARS = range(1901, 3000)


def _validate_meeting(meeting: Meeting) -> None:
    organ = meeting.organ
    if meeting.date is None:  # PATCH {"date": null}: the checks below compare with it
        raise ValidationError({"date": _("Ange mötets datum.")})
    if meeting.date.year not in MEETING_YEARS:
        raise ValidationError({"date": _("Ange ett datum mellan år %(first)s och %(last)s.")
                               % {"first": MEETING_YEARS[0], "last": MEETING_YEARS[-1]}})
    if not meeting.place and not meeting.is_remote:
        raise ValidationError({"place": _("Ange en plats eller markera att mötet hålls digitalt.")})
    if organ.active_from and meeting.date < organ.active_from or (
        organ.active_until and meeting.date > organ.active_until
    ):
        raise ValidationError({"date": _("Organet är inte verksamt det datumet.")})


@transaction.atomic
def meeting_create(
    *,
    organ: Organ,
    date: dt.date,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    place: str = "",
    is_remote: bool = False,
    kind: str = Meeting.Kind.ORDINARY,
    kallelse_message: str = "",
    actor: Any,
) -> Meeting:
    meeting = Meeting(
        organ=organ,
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=clean_text(place),
        is_remote=is_remote,
        kind=kind,
        kallelse_message=kallelse_message,
    )
    _validate_meeting(meeting)
    save_with_actor(meeting, actor)
    event_record(
        verb="meeting.created", actor=actor, organisation=organ.organisation, target=meeting,
        summary=str(meeting),
    )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: Any, **changes: Any) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("organ").get(pk=meeting.pk)
    require_editable(meeting)
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise ValidationError(_("Okända fält: %(f)s") % {"f": ", ".join(sorted(unknown))})
    old_date = meeting.date
    for name, value in changes.items():
        setattr(meeting, name, clean_text(value) if name == "place" else value)
    _validate_meeting(meeting)
    has_paragraphs = meeting.paragraphs.exists()
    if has_paragraphs and meeting.date.year != old_date.year:
        raise ValidationError(
            {"date": _("Mötet har redan paragrafer numrerade för %(y)s; datumet kan inte flyttas till ett annat år.")
             % {"y": old_date.year}}
        )
    save_with_actor(meeting, actor)
    if has_paragraphs and meeting.date != old_date:
        # The order of meetings within the year decides the numbers.
        renumber_year(lock_year(meeting.organ, meeting.date.year), actor)
    send_edited(meeting, actor, "meeting.updated")
    return meeting


def _agenda_text(meeting: Meeting) -> str:
    return "\n".join(f"{i.position}. {i.title}" for i in meeting.agenda_items.order_by("position"))


def meeting_ics(meeting: Meeting, *, url: str = "") -> bytes:
    """An iCalendar event for the meeting (the kallelse's attachment)."""
    cal = Calendar()
    cal.add("prodid", "-//Samordna//Kallelse//SV")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@samordna")
    event.add("dtstamp", timezone.now())
    start = meeting.start_time or dt.time(9, 0)
    end = meeting.end_time or (dt.datetime.combine(meeting.date, start) + dt.timedelta(hours=2)).time()
    event.add("dtstart", dt.datetime.combine(meeting.date, start, tzinfo=STOCKHOLM))
    event.add("dtend", dt.datetime.combine(meeting.date, end, tzinfo=STOCKHOLM))
    event.add("summary", f"{meeting.organ} – {meeting.organ.organisation}: {meeting.get_kind_display().lower()}")
    event.add("location", meeting.place_display)
    event.add("description", f"Dagordning:\n{_agenda_text(meeting)}\n\n{url}".strip())
    if url:
        event.add("url", url)
    cal.add_component(event)
    # RFC 5545: a TZID needs its VTIMEZONE in the file, or the client has to guess.
    cal.add_missing_timezones()
    return cal.to_ical()


def kallelse_recipients(meeting: Meeting) -> list[Person]:
    """Everyone on the board on the meeting date (ledamöter and ersättare), once each."""
    seen: dict[int, Person] = {}
    for appointment in board_on(meeting.organ, meeting.date):
        seen.setdefault(appointment.person_id, appointment.person)
    return list(seen.values())


@transaction.atomic
def kallelse_send(*, meeting: Meeting, actor: Any) -> list[str]:
    """E-mail the kallelse (link + ICS) to every board member; returns the addresses used."""
    meeting = Meeting.objects.select_for_update().select_related("organ__organisation").get(pk=meeting.pk)
    require_editable(meeting)
    if not meeting.agenda_items.exists():
        raise ValidationError(_("Lägg till minst en punkt på dagordningen innan kallelsen skickas."))
    recipients = [p for p in kallelse_recipients(meeting) if p.email]
    if not recipients:
        raise ValidationError(_("Ingen i styrelsen har en e-postadress."))
    url = settings.SITE_URL + reverse("minutes:kallelse", args=[meeting.pk])
    ics = meeting_ics(meeting, url=url)
    organisation = meeting.organ.organisation
    subject = one_line(f"Kallelse: {meeting.organ}, {organisation}, {meeting.date:%Y-%m-%d}")
    when = meeting.date.strftime("%Y-%m-%d")
    if meeting.start_time:
        when += f" kl {meeting.start_time:%H.%M}"
    body = (
        f"Välkommen till {meeting.get_kind_display().lower()} med {meeting.organ}, {organisation}.\n\n"
        f"Tid: {when}\nPlats: {meeting.place_display}\n\n"
        f"{meeting.kallelse_message.strip()}\n\nDagordning:\n{_agenda_text(meeting)}\n\n"
        f"Kallelse och handlingar: {url}\n"
    )
    for person in recipients:
        mail_queue(
            to=person, subject=subject, body=body, meeting=meeting, kind=OutgoingMail.Kind.KALLELSE, actor=actor,
            attachments=[(f"sammantrade-{meeting.date:%Y-%m-%d}.ics", ics, "text/calendar; method=PUBLISH")],
        )
    meeting.kallelse_sent_at = timezone.now()
    if meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.CALLED
    save_with_actor(meeting, actor)
    addresses = [p.email for p in recipients]
    event_record(
        verb="meeting.kallelse_sent", actor=actor, organisation=organisation, target=meeting,
        summary=f"Kallelse {meeting} till {len(addresses)} mottagare", data={"to": addresses},
    )
    return addresses
