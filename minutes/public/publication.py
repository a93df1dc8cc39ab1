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
are read at each visit, in the same query as the stored page (minutes_page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string

from board.documents.models import RenderedDocument

from ..models import Meeting, Notice, PublishedMinutes
from ..notices.minutes_pdf import PUBLIC_MINUTES_KIND
from .selectors import MinutesLinks, public_meetings, public_minutes


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
    """Render and store the page of justerade minutes, replacing one from an older state.

    Once stored for the meeting's current state the page never changes (the database refuses
    it, migration 0009): when two first visitors render it at once, the second keeps the
    first one's page."""
    page = render_published(meeting)
    try:
        with transaction.atomic():
            stored = PublishedMinutes.objects.select_for_update().filter(meeting=meeting).first()
            if stored is None:
                page.save(force_insert=True)
            elif stored.meeting_updated_at == page.meeting_updated_at:
                return stored
            else:
                page.save(force_update=True)
    except IntegrityError:
        # The other visitor's insert came between our look and ours.
        return PublishedMinutes.objects.get(meeting=meeting, meeting_updated_at=page.meeting_updated_at)
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


@dataclass(frozen=True)
class MinutesPage:
    title: str
    html: str


# The meeting, only if justerat (the rule of public_selectors.public_meetings; the tests try
# every other status), with its association, its stored page, its justering notice and its
# latest issued public PDF: the links that can change after the justering.
_PAGE_SQL = """
SELECT m.id, m.date, m.updated_at, o.name,
       p.meeting_updated_at, p.head_html, p.body_html,
       n.id, n.posted_on, n.last_appeal_day, n.storage_place,
       d.id, d.size
  FROM minutes_meeting m
  JOIN board_organ g ON g.id = m.organ_id
  JOIN board_organisation o ON o.id = g.organisation_id
  LEFT JOIN minutes_publishedminutes p ON p.meeting_id = m.id
  LEFT JOIN LATERAL (
       SELECT id, posted_on, last_appeal_day, storage_place FROM minutes_notice
        WHERE meeting_id = m.id AND kind = %(justering)s
        ORDER BY posted_on DESC, id DESC LIMIT 1) n ON true
  LEFT JOIN LATERAL (
       SELECT id, size FROM board_rendereddocument
        WHERE content_type_id = %(meeting_type)s AND object_id = m.id
          AND kind = %(public_pdf)s AND status = %(done)s
        ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT 1) d ON true
 WHERE m.id = %(pk)s AND m.status = %(public)s AND o.slug = %(slug)s
   AND m.date >= %(first_day)s AND m.date < %(next_year)s
"""


def minutes_page(slug: str, year: int, pk: int) -> MinutesPage | None:
    """The public page of justerade minutes `pk` of association `slug` held in `year`; None
    for anything else (a draft, unlocked minutes, a wrong association or year).

    One SQL query when the page is stored. It is written by hand: the same lookup through the
    ORM (select_related and two Subquery annotations, or three querysets) cost 4.8-5.5 ms of
    CPU per page on the benchmark machine, this one 0.3 ms, and a minutes page nobody asked
    for recently is the commonest public request. A page that is missing or from an older
    state of the meeting is written first (published_page).
    """
    params: dict[str, str | int | dt.date] = {
        "justering": Notice.Kind.JUSTERING, "meeting_type": ContentType.objects.get_for_model(Meeting).pk,
        "public_pdf": PUBLIC_MINUTES_KIND, "done": RenderedDocument.Status.DONE,
        "pk": pk, "public": Meeting.Status.SIGNED, "slug": slug,
        "first_day": dt.date(year, 1, 1), "next_year": dt.date(year + 1, 1, 1),
    }
    with connection.cursor() as cursor:
        cursor.execute(_PAGE_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    (meeting_id, date, updated_at, organisation_name, page_updated_at, head_html, body_html,
     notice_id, posted_on, last_appeal_day, storage_place, pdf_id, pdf_size) = row
    if page_updated_at != updated_at:
        meeting = public_meetings().select_related("organ__organisation", "published").filter(pk=meeting_id).first()
        if meeting is None:  # unlocked a moment ago
            return None
        page = published_page(meeting)
        head_html, body_html = page.head_html, page.body_html
    links = MinutesLinks(
        notice=Notice(pk=notice_id, posted_on=posted_on, last_appeal_day=last_appeal_day,
                      storage_place=storage_place) if notice_id else None,
        public_pdf=RenderedDocument(pk=pdf_id, size=pdf_size) if pdf_id else None,
    )
    return MinutesPage(
        title=f"Protokoll {date:%Y-%m-%d} – {organisation_name}",
        html=head_html + render_to_string("public/_minutes_links.html", {"links": links}) + body_html,
    )
