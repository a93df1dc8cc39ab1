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
are read at each visit (minutes_page).

What the page shows comes from the public projection of the signed snapshot
(minutes/projection.py), and so does the search index written beside it
(PublicParagraph): neither reads a paragraph's live rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string

from board.models import Person
from config.compiled import CompiledValues

from ..drafting.rendering import body_text
from ..models import (
    Meeting,
    MinutesVersion,
    PublicParagraph,
    PublishedMinutes,
    Vote,
    VoteBallot,
)
from ..projection import public_minutes
from .selectors import (
    MINUTES_LINKS_VALUES,
    ORGANISATION_CHOICE_FIELDS,
    OrganisationChoice,
    meeting_withdrawn,
    minutes_indexable,
    minutes_links,
    public_meetings,
    with_minutes_links,
)

ATTENDANCE_LABELS = (  # the snapshot's attendance groups, as the minutes head them
    ("beslutande", "Beslutande"),
    ("ersattare", "Närvarande ersättare"),
    ("ovriga", "Övriga deltagare"),
    ("franvarande", "Frånvarande"),
)


def _label(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _page_paragraph(item: dict[str, Any]) -> dict[str, Any]:
    """A projected paragraph with the labels the page prints for its vote codes."""
    votes = [
        {
            **vote,
            "decided_by_label": _label(Vote.DecidedBy, vote.get("decided_by") or "") if vote.get("decided_by") else "",
            "proposals": [{**pr, "answer_label": _label(Vote.Answer, pr["answer"])} for pr in vote.get("proposals", [])],
            "ballots": [{**b, "choice_label": _label(VoteBallot.Choice, b["choice"])} for b in vote.get("ballots", [])],
        }
        for vote in item.get("votes", [])
    ]
    return {**item, "votes": votes}


def signed_snapshots(meetings: Iterable[Meeting]) -> dict[int, dict[str, Any]]:
    """{meeting id: the snapshot of its justerade version} in one query; meetings without one left out."""
    snapshots: dict[int, dict[str, Any]] = {}
    versions = MinutesVersion.objects.filter(
        meeting__in=[m.pk for m in meetings], status=MinutesVersion.Status.SIGNED
    )  # in the model's order, as .first() took it: a meeting's latest version first
    for meeting_id, snapshot in versions.values_list("meeting_id", "snapshot"):
        snapshots.setdefault(meeting_id, snapshot)
    return snapshots


def render_published(meeting: Meeting, projected: dict[str, Any]) -> PublishedMinutes:
    """The page of `meeting` from its public projection (not saved). `meeting.organ.organisation` is used."""
    attendance = projected.get("attendance", {})
    context = {
        "meeting": meeting,
        "organisation": meeting.organ.organisation,
        "range_label": projected.get("paragraph_range", ""),
        "attendance": [(label, attendance[key]) for key, label in ATTENDANCE_LABELS if attendance.get(key)],
        "paragraphs": [_page_paragraph(item) for item in projected["paragraphs"]],
    }
    return PublishedMinutes(
        meeting=meeting,
        meeting_updated_at=meeting.updated_at,
        head_html=render_to_string("public/_minutes_head.html", context),
        body_html=render_to_string("public/_minutes_body.html", context),
    )


def voter_ids(meetings: Iterable[Meeting]) -> dict[int, dict[str, int | None]]:
    """{meeting id: {name: person id}} of each meeting's attendance, in one query: for the API's
    links from a ballot to its person (the snapshot names the voters); None for a name two
    attending persons share."""
    result: dict[int, dict[str, int | None]] = {m.pk: {} for m in meetings}
    persons = (
        Person.objects.filter(attendances__meeting__in=list(result))
        .annotate(attended=F("attendances__meeting"))
        .distinct()
    )
    for person in persons:
        ids = result[person.attended]
        ids[person.full_name] = None if person.full_name in ids else person.pk
    return result


def _with_voter_ids(item: dict[str, Any], ids: dict[str, int | None]) -> dict[str, Any]:
    if not item.get("votes"):
        return item
    return {**item, "votes": [
        {**vote, "ballots": [{**b, "person_id": ids.get(b["name"])} for b in vote.get("ballots", [])]}
        for vote in item["votes"]
    ]}


def _index_rows(meeting: Meeting, projected: dict[str, Any], ids: dict[str, int | None]) -> list[PublicParagraph]:
    """The search index rows of the projection: one per paragraph, masked ones without text;
    `ids` the meeting's voter_ids."""
    return [
        PublicParagraph(
            paragraph_id=item["id"], meeting=meeting, organ_id=meeting.organ_id, meeting_date=meeting.date,
            year=meeting.date.year,
            position=position, label=item["label"], title=item.get("title", ""), body=body_text(item.get("body", "")),
            content=_with_voter_ids(item, ids),
        )
        for position, item in enumerate(projected["paragraphs"], start=1)
    ]


def publication(
    meeting: Meeting, snapshot: dict[str, Any], ids: dict[str, int | None]
) -> tuple[PublishedMinutes, list[PublicParagraph]]:
    """The page and the search index rows of `meeting` (neither saved, no query) from its signed
    snapshot (signed_snapshots) and its voter_ids: what publish stores. The bench data
    (bench_data) renders thousands of them in worker processes. `meeting.organ.organisation` is used."""
    projected = public_minutes(snapshot)
    return render_published(meeting, projected), _index_rows(meeting, projected, ids)


def publish(meeting: Meeting) -> PublishedMinutes | None:
    """Store the page and the search index of justerade minutes from the public projection of
    their signed snapshot, replacing those of an older state; None if no version is justerad.

    Once stored for the meeting's current state the page never changes (the database refuses
    it, migration 0009): when two first visitors render it at once, the second keeps the
    first one's page."""
    snapshot = signed_snapshots([meeting]).get(meeting.pk)
    if snapshot is None:
        return None
    page, rows = publication(meeting, snapshot, voter_ids([meeting])[meeting.pk])
    try:
        with transaction.atomic():
            stored = PublishedMinutes.objects.select_for_update().filter(meeting=meeting).first()
            if stored is not None and stored.meeting_updated_at == page.meeting_updated_at:
                return stored
            if stored is None:
                page.save(force_insert=True)
            else:
                page.save(force_update=True)
            PublicParagraph.objects.filter(meeting=meeting).delete()
            PublicParagraph.objects.bulk_create(rows)
    except IntegrityError:
        # The other visitor's insert came between our look and ours.
        return PublishedMinutes.objects.get(meeting=meeting, meeting_updated_at=page.meeting_updated_at)
    return page


def published_page(meeting: Meeting) -> PublishedMinutes | None:
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
    indexable: bool = True
    # Past the association's retention: the page answers 410 Gone and names `organisation`.
    withdrawn: bool = False
    organisation: Any = None


# What minutes_page and the answers it leads to (the page, a 410) read of the meeting, its
# association, its stored page and its links: values, not the 40 columns of four models.
ORGANISATION = "organ__organisation__"
MINUTES_PAGE_VALUES = (
    "date", "updated_at", *(ORGANISATION + name for name in ORGANISATION_CHOICE_FIELDS),
    "published__meeting_updated_at", "published__head_html", "published__body_html", *MINUTES_LINKS_VALUES,
)


def _minutes_page_query(pk: int, slug: str, start: dt.date, end: dt.date) -> QuerySet[Meeting, dict[str, Any]]:
    """Justerade minutes `pk` of association `slug` held from `start` to before `end`, with
    their stored page and links (with_minutes_links): minutes_page's one query."""
    return (
        with_minutes_links(public_meetings(withdrawn_too=True))
        .filter(pk=pk, organ__organisation__slug=slug, date__gte=start, date__lt=end)
        .order_by()
        .values(*MINUTES_PAGE_VALUES)[:1]
    )


# Built and compiled once per process (config/compiled.py): the ORM took four times longer to
# build and compile this query than PostgreSQL to run it, at every visit.
_MINUTES_PAGE_QUERY = CompiledValues(
    Meeting, _minutes_page_query, prepare=True, pk=(1, 2), slug=("a", "b"),
    start=(dt.date(2001, 1, 1), dt.date(2002, 1, 1)), end=(dt.date(2003, 1, 1), dt.date(2004, 1, 1)),
)


def minutes_page(slug: str, year: int, pk: int) -> MinutesPage | None:
    """The public page of justerade minutes `pk` of association `slug` held in `year`; None
    for anything else (a draft, unlocked minutes, a wrong association or year).

    One query when the page is stored: the meeting with its association, its stored page and
    the links that can change after the justering (its justering notice, its latest issued
    public PDF: with_minutes_links). A page that is missing or from an older state of the
    meeting is written first (published_page), with the meeting read again for it.
    """
    found = _MINUTES_PAGE_QUERY.rows(pk=pk, slug=slug, start=dt.date(year, 1, 1), end=dt.date(year + 1, 1, 1))
    if not found:
        return None
    row = found[0]
    organisation = OrganisationChoice(*(row[ORGANISATION + name] for name in ORGANISATION_CHOICE_FIELDS))
    meeting = Meeting(pk=pk, date=row["date"], updated_at=row["updated_at"])
    if meeting_withdrawn(meeting, organisation):
        return MinutesPage(title="", html="", indexable=False, withdrawn=True, organisation=organisation)
    if row["published__meeting_updated_at"] == meeting.updated_at:
        head, body = row["published__head_html"], row["published__body_html"]
    else:  # none stored yet, or from an older state of the meeting: written now
        stored = Meeting.objects.select_related("organ__organisation", "published").filter(pk=pk).first()
        page = published_page(stored) if stored is not None else None  # None: deleted since the row was read
        if page is None:
            return None
        head, body = page.head_html, page.body_html
    links = minutes_links(row)
    return MinutesPage(
        title=f"Protokoll {meeting.date:%Y-%m-%d} – {organisation.name}",
        html=head + render_to_string("public/_minutes_links.html", {"links": links}) + body,
        indexable=minutes_indexable(organisation, links.last_appeal_day),
        organisation=organisation,
    )
