"""The Atom feed of the notice board and the ICS calendar of upcoming meetings.

The feed lists the notices posted by today (the newest 50), with the same visibility rule as
the board: a notice appears from its posting day, never before.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from icalendar import Calendar, Event

from board.formatting import printable

from ..models import Notice
from ..projection import public_text
from .selectors import public_notices, today, upcoming_meetings

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=STOCKHOLM)


class NoticeFeed(Feed):
    feed_type = Atom1Feed
    title = "Anslagstavla – samordningsförbunden"
    subtitle = "Anslag om justerade protokoll, kungörelser och delegationsbeslut."
    language = "sv"

    def link(self) -> str:
        return reverse("public:board")

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        return None

    def items(self) -> list[Notice]:
        return list(
            public_notices()
            .filter(posted_on__lte=today())
            .select_related("organisation", "organ")
            .order_by("-posted_on", "-pk")[:50]
        )

    # Every text of a notice through printable(): Django refuses to write a control character
    # into XML, and one in a title took the whole feed down with a 500.
    def item_title(self, item: Notice) -> str:
        return public_text(printable(item.title))

    def item_description(self, item: Notice) -> str:
        parts = [f"{item.organisation.name}. Uppsatt {item.posted_on:%Y-%m-%d}, nedtas efter {item.takedown_on:%Y-%m-%d}."]
        if item.paragraphs:
            parts.append(f"Paragrafer: {item.paragraphs}.")
        if item.last_appeal_day:
            parts.append(f"Sista dag för överklagande: {item.last_appeal_day:%Y-%m-%d}.")
        if item.posted_by_name:
            parts.append(f"Ansvarig för anslag: {item.posted_by_name}.")
        return public_text(printable(" ".join(parts)))

    def item_link(self, item: Notice) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Notice) -> str:
        return f"tag:samordna,{item.created:%Y-%m-%d}:anslag/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Notice) -> dt.datetime:
        return _noon(item.posted_on)

    def item_updateddate(self, item: Notice) -> dt.datetime:
        return max(item.updated_at, _noon(item.posted_on))

    def item_author_name(self, item: Notice) -> str:
        return printable(item.organisation.name)

    def item_categories(self, item: Notice) -> list[str]:
        return [item.get_kind_display()]

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A feed is for readers of the board, not for search engines (its notices carry noindex).
        response = super().__call__(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response


def calendar_ics(request: HttpRequest) -> HttpResponse:
    """Upcoming meetings of every association as iCalendar (date, time, place, organ)."""
    cal = Calendar()
    cal.add("prodid", "-//Samordna//Sammanträden//SV")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Samordningsförbundens sammanträden")
    stamp = dt.datetime.now(tz=dt.UTC)
    for meeting in upcoming_meetings(day=today()):
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@samordna")
        event.add("dtstamp", stamp)
        start = meeting.start_time or dt.time(9, 0)
        end = meeting.end_time or (dt.datetime.combine(meeting.date, start) + dt.timedelta(hours=2)).time()
        event.add("dtstart", dt.datetime.combine(meeting.date, start, tzinfo=STOCKHOLM))
        event.add("dtend", dt.datetime.combine(meeting.date, end, tzinfo=STOCKHOLM))
        organisation = meeting.organ.organisation
        event.add("summary", public_text(f"{meeting.organ}, {organisation}"))
        if meeting.place_display:
            event.add("location", public_text(meeting.place_display))
        if meeting.status == meeting.Status.CALLED:
            # The agenda is public once the kallelse has gone out (and is kungjord).
            agenda = "\n".join(f"{i.position}. {i.title}" for i in meeting.agenda_items.all())
            if agenda:
                event.add("description", public_text(f"Dagordning:\n{agenda}"))
        event.add("url", settings.SITE_URL + reverse("public:board_org", args=[organisation.slug]))
        cal.add_component(event)
    # RFC 5545: a TZID needs its VTIMEZONE in the file, or the client has to guess.
    cal.add_missing_timezones()
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sammantraden.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
