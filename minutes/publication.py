"""The public web page of justerade minutes, rendered once and stored (PublishedMinutes).

Justerade minutes do not change - the justering's triggers refuse it - so their page is
rendered when they are justerade and served from the table afterwards: a visit reads one row
instead of loading and rendering every paragraph, vote and attendance line (9 queries and
about 20 ms of CPU for 14 paragraphs on the bench dataset, every time a page nobody had asked
for recently was opened). Minutes justerade before the table existed get their page at the
first visit.

The stored page belongs to one state of the meeting (`meeting_updated_at`): unlocking and
justering again saves the meeting, so a page from before is never served for the new
minutes. The notice and the public PDF are not stored: they change after the justering and
are read at each visit (public_selectors.minutes_links).
"""

from __future__ import annotations

from django.template.loader import render_to_string

from .models import Meeting, PublishedMinutes
from .public_selectors import public_minutes


def render_published(meeting: Meeting) -> PublishedMinutes:
    """The page of `meeting` as it is now (not saved). `meeting.organ.organisation` is used."""
    context = {"doc": public_minutes(meeting), "organisation": meeting.organ.organisation}
    return PublishedMinutes(
        meeting=meeting,
        meeting_updated_at=meeting.updated_at,
        head_html=render_to_string("public/_minutes_head.html", context),
        body_html=render_to_string("public/_minutes_body.html", context),
    )


def publish(meeting: Meeting) -> PublishedMinutes:
    """Render and store the page of justerade minutes, replacing an older one.

    update_or_create is safe against two first visitors at once (the second insert is refused
    and turned into an update)."""
    page = render_published(meeting)
    PublishedMinutes.objects.update_or_create(
        meeting=meeting,
        defaults={"meeting_updated_at": page.meeting_updated_at, "head_html": page.head_html,
                  "body_html": page.body_html},
    )
    return page


def published_page(meeting: Meeting) -> PublishedMinutes:
    """The stored page of justerade `meeting`, written now if missing or from an older state.

    Load the meeting with select_related("published", "organ__organisation"): then a stored
    page costs no query.
    """
    try:
        page = meeting.published
    except PublishedMinutes.DoesNotExist:
        page = None
    if page is not None and page.meeting_updated_at == meeting.updated_at:
        return page
    return publish(meeting)
