"""What the public may see, in one place: the public pages, the feed, the search and the API
all start from these querysets, so a draft or a confidential paragraph cannot leak through
one of them while the others hold.

- Minutes are public once the meeting is justerat, never before.
- What the public sees of a paragraph is decided in one place, the projection of the signed
  snapshot (minutes/projection.py): a confidential paragraph (OSL) is public only as
  its number and its OSL reference.
- A justering notice is public only while its meeting is justerat (a notice cannot outrun
  its minutes); other notices are public from their dates alone.
- What is past the association's retention (Organisation.minutes_retention_months from the
  meeting's date, notice_retention_months from a notice's takedown day) is withdrawn from
  every public output: the date is compared in SQL with today in Europe/Stockholm at each
  request, so a withdrawal by time needs no write and no job (the page cache's keys carry the
  day too, minutes/public/cache.py). `withdrawn_too=True` finds what was withdrawn, so that its
  page can answer 410 Gone instead of 404.

Every function loads what a page needs in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import reduce
from typing import Any, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    DateField,
    F,
    FilteredRelation,
    Func,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone

from board.documents.models import RenderedDocument
from board.models import Organ, Organisation
from config.compiled import CompiledValues

from ..models import Meeting, Notice, NoticeAttachment, NoticeQuerySet, PublicParagraph
from ..notices.minutes_pdf import PUBLIC_MINUTES_KIND
from ..notices.services import CERTIFICATE_KIND


def today() -> dt.date:
    return timezone.localdate()


class MonthsBefore(Func):
    """SQL `(day - make_interval(months => months))::date`: the first day still on the web
    for a retention of `months` (a column of the association) counted back from `day`."""

    arg_joiner = " - make_interval(months => "
    template = "(%(expressions)s))::date"
    output_field = DateField()


def _first_day_kept(day: dt.date, months_field: str) -> MonthsBefore:
    return MonthsBefore(Value(day, output_field=DateField()), F(months_field))


def _first_day_kept_anywhere(day: dt.date, months_field: str, longest_months: int | None = None) -> MonthsBefore:
    """The first day that any association still keeps (its longest retention in `months_field`)
    as a bound on a row's own column, which an index can use: a one-row InitPlan, evaluated
    once. Without it, a list's last page joined every older row to its association to learn
    that none is on the web (the API's agendaItems 124 ms, its notices 10 of 19 ms,
    bench/api_depth.py). With `longest_months` given (the caller has every association's
    retention), that value instead: PostgreSQL plans with a value, and cannot see into an
    InitPlan when it plans (a phrase's search took 25 ms instead of 2, minutes/public/search.py)."""
    if longest_months is not None:
        return MonthsBefore(Value(day, output_field=DateField()), Value(longest_months))
    longest = Organisation.objects.order_by(f"-{months_field}").values(months_field)[:1]
    return MonthsBefore(Value(day, output_field=DateField()), Subquery(longest))


def minutes_on_the_web(day: dt.date, prefix: str = "") -> Q:
    """Meetings (or rows reached through `prefix`, e.g. "meeting__") whose minutes are still
    within their association's retention on `day`."""
    return Q(**{f"{prefix}date__gte": _first_day_kept(day, f"{prefix}organ__organisation__minutes_retention_months")})


def notices_on_the_web(day: dt.date) -> Q:
    """Notices still within their association's retention on `day` (every notice that is up),
    bounded on their own takedown_on by the longest retention too (_first_day_kept_anywhere)."""
    return (Q(takedown_on__gte=_first_day_kept(day, "organisation__notice_retention_months"))
            & Q(takedown_on__gte=_first_day_kept_anywhere(day, "notice_retention_months")))


def months_before(day: dt.date, months: int) -> dt.date:
    """`day` moved back `months` calendar months (the 31st to the month's last day), as SQL does."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - February has 28 days


def meeting_withdrawn(meeting: Meeting, organisation: PublicOrganisation, day: dt.date | None = None) -> bool:
    return meeting.date < months_before(day or today(), organisation.minutes_retention_months)


def notice_withdrawn(notice: Notice, organisation: PublicOrganisation, day: dt.date | None = None) -> bool:
    return notice.takedown_on < months_before(day or today(), organisation.notice_retention_months)


def public_meetings(*, withdrawn_too: bool = False) -> QuerySet[Meeting]:
    qs = Meeting.objects.filter(status=Meeting.Status.SIGNED)
    return qs if withdrawn_too else qs.filter(minutes_on_the_web(today()))


def public_paragraphs(day: dt.date | None = None, longest_months: int | None = None) -> QuerySet[PublicParagraph]:
    """The paragraphs of justerade minutes as the public projection shows them (confidential
    ones as their number and OSL reference): the search index, written at the justering.
    Those of withdrawn minutes on `day` (today) are not among them.

    `longest_months`, when the caller has it (longest_minutes_retention), is the longest
    retention of any association, for the bound on the meeting date (_first_day_kept_anywhere)."""
    day = day or today()
    # The meeting justerat and minutes_on_the_web, on the row's own copies of the meeting's
    # status and date and its association's retention (kept by the database, migration 0027):
    # no join, two fifths of the search's query (README "Benchmarks").
    return PublicParagraph.objects.filter(meeting_signed=True).filter(
        Q(meeting_date__gte=_first_day_kept(day, "retention_months")),
        meeting_date__gte=_first_day_kept_anywhere(day, "minutes_retention_months", longest_months))


def longest_minutes_retention(organisations: Iterable[OrganisationChoice]) -> int:
    """The longest minutes retention of `organisations` (every association, as the filters
    list them), for public_paragraphs' `longest_months`; 0 when there is none."""
    return max((o.minutes_retention_months for o in organisations), default=0)


def public_notices(*, withdrawn_too: bool = False) -> NoticeQuerySet[Notice]:
    qs = Notice.objects.filter(~Q(kind=Notice.Kind.JUSTERING) | Q(meeting__status=Meeting.Status.SIGNED))
    return qs if withdrawn_too else qs.filter(notices_on_the_web(today()))


# --- search engines -------------------------------------------------------------------------


def justering_appeal_ends() -> Subquery:
    """For a Meeting queryset: the last day of appeal of its justering notice (or NULL)."""
    return Subquery(
        Notice.objects.filter(meeting=OuterRef("pk"), kind=Notice.Kind.JUSTERING)
        .order_by("-posted_on", "-pk").values("last_appeal_day")[:1]
    )


def minutes_indexable(organisation: PublicOrganisation | Organisation, last_appeal_day: dt.date | None,
                      day: dt.date | None = None) -> bool:
    """Whether search engines may index justerade minutes (their page and public PDF) on
    `day`, by the association's choice (Organisation.minutes_indexing): under the appeal
    period (through the justering notice's last day of appeal; before the notice is posted,
    the period has not begun), always, or never. Withdrawn minutes are not served at all."""
    setting = getattr(organisation, "minutes_indexing", Organisation.Indexing.APPEAL)
    if setting == Organisation.Indexing.NEVER:
        return False
    if setting == Organisation.Indexing.ALWAYS:
        return True
    return last_appeal_day is None or (day or today()) <= last_appeal_day


def indexable_meetings(day: dt.date) -> list[Meeting]:
    """The justerade minutes on the web that search engines may index on `day` (the sitemap)."""
    meetings = (
        public_meetings()
        .select_related("organ__organisation")
        .annotate(appeal_ends=justering_appeal_ends())
        .exclude(organ__organisation__minutes_indexing=Organisation.Indexing.NEVER)
        .order_by("-date", "-pk")
    )
    return [m for m in meetings if minutes_indexable(m.organ.organisation, m.appeal_ends, day)]


@dataclass(frozen=True)
class OrganisationChoice:
    """An association as the public filters list it: plain values, cheap to cache."""

    pk: int
    name: str
    slug: str
    short_name: str
    minutes_indexing: str = "overklagandetid"
    minutes_retention_months: int = 48
    notice_retention_months: int = 3
    contact_email: str = ""


# An association as the public pages use it: the model, or its cached OrganisationChoice.
PublicOrganisation = Organisation | OrganisationChoice


# The columns of an association an OrganisationChoice holds, in its fields' order.
ORGANISATION_CHOICE_FIELDS = tuple(field.name for field in fields(OrganisationChoice))


def _organisation_rows() -> QuerySet[Any, Any]:
    return Organisation.objects.order_by("name").values(*ORGANISATION_CHOICE_FIELDS)


def _organ_rows() -> QuerySet[Any, Any]:
    return Organ.objects.order_by("organisation__name", "name").values(
        "pk", "name", "organisation__short_name", "organisation__name")


# The choices' two queries, compiled once per process (config/compiled.py): building and
# compiling them was 0.4 of the 0.9-1.0 ms of CPU the choices cost a page with the page cache
# off (a search, a board of one association).
_ORGANISATION_ROWS = CompiledValues(Organisation, _organisation_rows, prepare=True)
_ORGAN_ROWS = CompiledValues(Organ, _organ_rows, prepare=True)


def organisation_choices() -> list[OrganisationChoice]:
    return [OrganisationChoice(**row) for row in _ORGANISATION_ROWS.rows()]


@dataclass(frozen=True)
class FilterChoices:
    """What the public filters offer: every association, and every organ by association."""

    organisations: list[OrganisationChoice]
    organs: list[tuple[int, str]]


def filter_choices() -> FilterChoices:
    return FilterChoices(organisations=organisation_choices(), organs=organ_choices())


def organ_choices() -> list[tuple[int, str]]:
    """(organ id, "Styrelse (förbundets kortnamn)") for every organ, by association."""
    return [(row["pk"], f"{row['name']} ({row['organisation__short_name'] or row['organisation__name']})")
            for row in _ORGAN_ROWS.rows()]


# --- issued PDFs --------------------------------------------------------------------------


def issued_documents(kind: str) -> QuerySet[RenderedDocument]:
    """The documents of `kind` the worker has finished (klar)."""
    return RenderedDocument.objects.filter(kind=kind, status=RenderedDocument.Status.DONE)


# Which of an object's issued documents of a kind is its latest: the one with the highest of
# this field, then the highest id; an empty field counts as the highest, as PostgreSQL sorts it
# (finished_at is empty on a row written as issued by hand). The one rule for latest_issued and
# for with_minutes_links's subquery.
LATEST_BY = {CERTIFICATE_KIND: "version", PUBLIC_MINUTES_KIND: "finished_at"}


def latest_issued(wanted: dict[str, tuple[type, Iterable[int]]]) -> dict[str, dict[int, RenderedDocument]]:
    """For each kind of `wanted` ({kind: (model, object ids)}): {object id: its latest issued
    document of that kind} (LATEST_BY); one query for all the kinds, none if there are no ids."""
    found: dict[str, dict[int, RenderedDocument]] = {kind: {} for kind in wanted}
    asked = []
    for kind, (model, ids) in wanted.items():
        if ids := list(ids):
            asked.append(Q(kind=kind, content_type=ContentType.objects.get_for_model(model), object_id__in=ids))
    if not asked:
        return found
    docs = RenderedDocument.objects.filter(status=RenderedDocument.Status.DONE).filter(reduce(operator.or_, asked))

    def order(doc: RenderedDocument) -> tuple[bool, Any, int]:
        value = getattr(doc, LATEST_BY[doc.kind])
        return value is None, value, doc.pk

    for doc in sorted(docs, key=lambda d: (d.kind, *order(d))):
        found[doc.kind][doc.object_id] = doc  # the last of its kind wins
    return found


def certificates_for(notices: Iterable[Notice]) -> dict[int, RenderedDocument]:
    """{notice id: its latest issued anslagsbevis}; one query."""
    return latest_issued({CERTIFICATE_KIND: (Notice, (n.pk for n in notices))})[CERTIFICATE_KIND]


def public_pdfs_for(meeting_ids: Iterable[int]) -> dict[int, RenderedDocument]:
    """{meeting id: its latest public minutes PDF}; one query.

    Only kind minutes.public, which the justering orders for the meeting: the full minutes
    may hold confidential paragraphs and are never linked from a public page.
    """
    return latest_issued({PUBLIC_MINUTES_KIND: (Meeting, meeting_ids)})[PUBLIC_MINUTES_KIND]


# --- the notice board ---------------------------------------------------------------------


@dataclass
class NoticeRow:
    notice: Notice
    certificate: RenderedDocument | None = None
    minutes_pdf: RenderedDocument | None = None


def notice_rows(notices: Iterable[Notice]) -> list[NoticeRow]:
    """Each notice with its anslagsbevis and, for a justering, the public minutes PDF."""
    notices = list(notices)
    latest = latest_issued({  # both kinds in one query: one round trip less for every page of the board
        CERTIFICATE_KIND: (Notice, [n.pk for n in notices]),
        PUBLIC_MINUTES_KIND: (Meeting, {n.meeting_id for n in notices if n.meeting_id and n.kind == Notice.Kind.JUSTERING}),
    })
    certificates, pdfs = latest[CERTIFICATE_KIND], latest[PUBLIC_MINUTES_KIND]
    return [
        NoticeRow(notice=n, certificate=certificates.get(n.pk), minutes_pdf=pdfs.get(n.meeting_id or 0))
        for n in notices
    ]


# What the notice pages (and the board's block keys, minutes/public/blocks.py) read of the rows
# joined to a notice: the other 20 columns of an association and 12 of a meeting were fetched
# and made into objects for all 25 notices of a board page, a third of its time with the
# page cache off (bench/public_inprocess.py). Reading another of their fields costs a query
# per notice: the query-count tests of these pages would show it.
NOTICE_JOINED_FIELDS = ("organisation__name", "organisation__slug", "organ__name", "meeting__date",
                        "meeting__start_time")


def _notice_fields(*more: str) -> list[str]:
    """For only(): every column of a notice, what is shown of its joined rows, and `more`."""
    return [*(f.name for f in Notice._meta.concrete_fields), *NOTICE_JOINED_FIELDS, *more]


def _notice_qs() -> NoticeQuerySet[Notice]:
    return (
        public_notices()
        .select_related("organisation", "organ", "meeting")
        .only(*_notice_fields())
        # By id alone: the model's ordering ("notice", "pk") joined the notices again to sort.
        .prefetch_related(Prefetch("attachments", queryset=NoticeAttachment.objects.order_by("pk")))
        .order_by("-posted_on", "-pk")
    )


def notices_up(*, day: dt.date, organisation: PublicOrganisation | None = None) -> NoticeQuerySet[Notice]:
    """The board on `day`, newest first (the view pages it; notice_rows adds the files), each
    with its stored block joined (minutes/public/blocks.py): no query of its own to read them."""
    qs = _notice_qs().up_on(day).select_related("block").only(*_notice_fields("block__key", "block__html"))
    if organisation is not None:
        qs = qs.filter(organisation_id=organisation.pk)
    return qs


def notices_archive(*, day: dt.date, organisation: PublicOrganisation | None = None) -> QuerySet[Notice]:
    qs = _notice_qs().taken_down_by(day).order_by("-takedown_on", "-pk")
    if organisation is not None:
        qs = qs.filter(organisation_id=organisation.pk)
    return qs


def notice_public(pk: int, *, day: dt.date) -> Notice | None:
    """A notice the public may open: posted by `day` (up or in the archive)."""
    return _notice_qs().filter(pk=pk, posted_on__lte=day).first()


# --- the public archive of minutes ----------------------------------------------------------


class ArchiveYear(TypedDict):
    """A row of archive_years: a year and the number of justerade meetings in it."""

    date__year: int
    count: int


def archive_years(organisation: PublicOrganisation) -> list[ArchiveYear]:
    return list(
        public_meetings()
        .filter(organ__organisation_id=organisation.pk)
        .values("date__year")
        .annotate(count=Count("pk"))
        .order_by("-date__year")
    )


def archive_meetings(organisation: PublicOrganisation, year: int) -> list[Meeting]:
    return list(
        public_meetings()
        .filter(organ__organisation_id=organisation.pk, date__year=year)
        .select_related("organ")
        .annotate(
            first_number=Min("paragraphs__number"),
            last_number=Max("paragraphs__number"),
            paragraph_count=Count("paragraphs"),
        )
        .order_by("-date", "-start_time")
    )


@dataclass(frozen=True)
class MinutesLinks:
    """What a justerade minutes' page links to that can change after the justering: its
    justering notice and its latest public PDF, read with the meeting (minutes_links)."""

    notice_pk: int | None
    posted_on: dt.date | None
    last_appeal_day: dt.date | None
    storage_place: str
    public_pdf_pk: int | None
    public_pdf_size: int | None


def with_minutes_links(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """`meetings` with what minutes_links reads, in the same query: the justering notice
    joined (there is at most one per meeting, notice_one_justering_per_meeting) and the
    latest public PDF's id and size (the PDF public_pdfs_for would give). Two more queries
    per minutes page before: a third of its time (bench/public_inprocess.py)."""
    pdf = issued_documents(PUBLIC_MINUTES_KIND).filter(
        content_type=ContentType.objects.get_for_model(Meeting), object_id=OuterRef("pk"),
    ).order_by(F(LATEST_BY[PUBLIC_MINUTES_KIND]).desc(nulls_first=True), "-pk")
    return meetings.annotate(
        justering=FilteredRelation("notices", condition=Q(notices__kind=Notice.Kind.JUSTERING)),
        links_notice_pk=F("justering__pk"),
        links_posted_on=F("justering__posted_on"),
        links_last_appeal_day=F("justering__last_appeal_day"),
        links_storage_place=F("justering__storage_place"),
        links_pdf_pk=Subquery(pdf.values("pk")[:1]),
        links_pdf_size=Subquery(pdf.values("size")[:1]),
    )


# The names with_minutes_links annotates, as minutes_links reads them from a values() row.
MINUTES_LINKS_VALUES = (
    "links_notice_pk", "links_posted_on", "links_last_appeal_day", "links_storage_place", "links_pdf_pk",
    "links_pdf_size",
)


def minutes_links(row: Mapping[str, Any]) -> MinutesLinks:
    """The links of a meeting from its values() row through with_minutes_links (MINUTES_LINKS_VALUES)."""
    return MinutesLinks(
        notice_pk=row["links_notice_pk"], posted_on=row["links_posted_on"],
        last_appeal_day=row["links_last_appeal_day"], storage_place=row["links_storage_place"] or "",
        public_pdf_pk=row["links_pdf_pk"], public_pdf_size=row["links_pdf_size"],
    )


# --- the calendar ---------------------------------------------------------------------------


def upcoming_meetings(*, day: dt.date, limit: int = 500) -> QuerySet[Meeting]:
    """Meetings from today on that are planned or called (not their minutes)."""
    return (
        Meeting.objects.filter(date__gte=day, status__in=[Meeting.Status.PLANNED, Meeting.Status.CALLED])
        .select_related("organ__organisation")
        .prefetch_related("agenda_items")
        .order_by("date", "start_time")[:limit]
    )
