"""/api/v1/public/: the public read API, no authentication (OParl 1.1-inspired names).

bodies (associations), organizations (organs), persons (board members: names and seats
only, never contact details), meetings (justerade only), agendaItems (paragraphs with their
decisions and per-person votes; a confidential paragraph is its number and OSL reference
only), papers (the public PDFs: minutes, public version, and anslagsbevis) and notices
(posted by today).

Personal data: every answer's texts go through the projection's `public_value` (personal
identity numbers masked, whatever the secretary typed); what is past the association's
retention is left out of the lists, and asked for by id answers 410 Gone with a reason.

Every list is paged by keyset (`cursor` from the page before's `next`, and `page_size`; see
config.api_params.Keyset: no page costs more than the first, nothing is counted) and filterable by `modified_since` and a date
range where the object has dates (the FilterSchemas below). Everything starts from
minutes/public/selectors.py; the schemas, which read the rows and mask every string of every
answer (PublicSchema), are in minutes/public/schemas.py.
"""

# No `from __future__ import annotations` here: @paginate wraps the views, and django-ninja
# would resolve their string annotations in ninja.pagination's namespace, not this one.

from datetime import date
from typing import Annotated, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Status
from ninja.pagination import paginate
from pydantic import field_validator

from board.documents.models import RenderedDocument
from board.models import Appointment, Organ, Organisation, Person
from config.api_params import DbDateTime, ErrorOut, Keyset

from ..models import Meeting, Notice, Paragraph, PublicParagraph
from .privacy import gone_sentence
from .schemas import (
    PUBLIC_PDF,
    AgendaItemOut,
    BodyOut,
    FileOut,
    MeetingDetailOut,
    NoticeOut,
    OrganizationOut,
    PublicMeetingOut,
    PublicPersonOut,
)
from .selectors import (
    CERTIFICATE_KIND,
    PUBLIC_MINUTES_KIND,
    issued_documents,
    public_meetings,
    public_notices,
    public_paragraphs,
    public_pdfs_for,
    today,
)
from .selectors import meeting_withdrawn as _meeting_withdrawn
from .selectors import notice_withdrawn as _notice_withdrawn

router = Router(tags=["offentligt"], auth=None)


def _gone_reason(organisation: Organisation, what: str) -> dict:
    return {"detail": gone_sentence(organisation, what)}


# --- filters --------------------------------------------------------------------------------
# Each parameter is its lookup (FilterLookup); ninja leaves out a parameter that is None.

_Q = TypeVar("_Q", bound=QuerySet)

BODY = Field(None, description="Förbundets id (`id` i /bodies).")
START_DATE = Field(None, description="Från och med den dagen (ÅÅÅÅ-MM-DD).")
END_DATE = Field(None, description="Till och med den dagen (ÅÅÅÅ-MM-DD).")
MODIFIED_SINCE = Field(None, description="Bara det som ändrats sedan den tidpunkten (ISO 8601).")


class PublicFilter(FilterSchema):
    """An empty `body` (or a 0 for an id) filters nothing, as it always has: it counts as left out."""

    @field_validator("*", mode="after")
    @classmethod
    def _empty_is_left_out(cls, value: Any) -> Any:
        return value if value or isinstance(value, bool) else None


class OrganizationFilter(PublicFilter):
    body: Annotated[str | None, FilterLookup("organisation__slug")] = BODY


class PersonFilter(PublicFilter):
    # The persons with an appointment in the association (and the list shows those appointments).
    body: Annotated[str | None, FilterLookup("appointments__organ__organisation__slug")] = BODY


class MeetingFilter(PublicFilter):
    body: Annotated[str | None, FilterLookup("organ__organisation__slug")] = BODY
    organization: Annotated[int | None, FilterLookup("organ_id")] = Field(
        None, description="Organets id (`id` i /organizations).")
    start_date: Annotated[date | None, FilterLookup("date__gte")] = START_DATE
    end_date: Annotated[date | None, FilterLookup("date__lte")] = END_DATE
    modified_since: Annotated[DbDateTime | None, FilterLookup("updated_at__gte")] = MODIFIED_SINCE


class AgendaItemFilter(PublicFilter):
    body: Annotated[str | None, FilterLookup("organ__organisation__slug")] = BODY
    meeting: Annotated[int | None, FilterLookup("meeting_id")] = Field(
        None, description="Sammanträdets id (`id` i /meetings).")
    start_date: Annotated[date | None, FilterLookup("meeting_date__gte")] = START_DATE
    end_date: Annotated[date | None, FilterLookup("meeting_date__lte")] = END_DATE
    modified_since: Annotated[DbDateTime | None, FilterLookup("published_at__gte")] = MODIFIED_SINCE


class PaperFilter(PublicFilter):
    body: Annotated[str | None, FilterLookup("organisation__slug")] = BODY
    modified_since: Annotated[DbDateTime | None, FilterLookup("finished_at__gte")] = MODIFIED_SINCE


class NoticeFilter(PublicFilter):
    body: Annotated[str | None, FilterLookup("organisation__slug")] = BODY
    up: bool | None = Field(None, description="true: uppsatta i dag; false: nedtagna; utan: båda.")
    start_date: Annotated[date | None, FilterLookup("posted_on__gte")] = Field(
        None, description="Uppsatta från och med den dagen (ÅÅÅÅ-MM-DD).")
    end_date: Annotated[date | None, FilterLookup("posted_on__lte")] = Field(
        None, description="Uppsatta till och med den dagen (ÅÅÅÅ-MM-DD).")
    modified_since: Annotated[DbDateTime | None, FilterLookup("updated_at__gte")] = MODIFIED_SINCE

    def filter_up(self, value: bool | None) -> Q:
        return Q()  # the notices' own rule, in `filter`: NoticeQuerySet.up_on / taken_down_by

    def filter(self, queryset: _Q) -> _Q:
        queryset = super().filter(queryset)
        if self.up is True:
            return queryset.up_on(today())  # type: ignore[attr-defined,no-any-return]
        if self.up is False:
            return queryset.taken_down_by(today())  # type: ignore[attr-defined,no-any-return]
        return queryset


# --- endpoints ------------------------------------------------------------------------------


@router.get("/bodies", response={200: list[BodyOut], 400: ErrorOut}, summary="Samordningsförbund")
@paginate(Keyset)
def bodies(request: HttpRequest) -> QuerySet[Organisation]:
    return Organisation.objects.select_related("successor").order_by("name", "pk")


@router.get("/organizations", response={200: list[OrganizationOut], 400: ErrorOut}, summary="Organ (styrelser)")
@paginate(Keyset)
def organizations(request: HttpRequest, filters: Query[OrganizationFilter]) -> QuerySet[Organ]:
    qs = Organ.objects.select_related("organisation").order_by("organisation__name", "name", "pk")
    return filters.filter(qs)


@router.get("/persons", response={200: list[PublicPersonOut], 400: ErrorOut}, summary="Ledamöter och ersättare (namn och uppdrag)")
@paginate(Keyset)
def persons(request: HttpRequest, filters: Query[PersonFilter]) -> QuerySet[Person]:
    appointments = Appointment.objects.order_by("start")
    if filters.body:
        appointments = appointments.filter(organ__organisation__slug=filters.body)
    qs = filters.filter(Person.objects.filter(appointments__isnull=False))
    return qs.distinct().order_by("last_name", "first_name", "pk").prefetch_related(
        Prefetch("appointments", queryset=appointments)
    ).only("pk", "first_name", "last_name")


@router.get("/meetings", response={200: list[PublicMeetingOut], 400: ErrorOut}, summary="Sammanträden med justerade protokoll")
@paginate(Keyset)
def meetings(request: HttpRequest, filters: Query[MeetingFilter]) -> QuerySet[Meeting]:
    qs = public_meetings().select_related("organ__organisation").prefetch_related(
        Prefetch("paragraphs", queryset=Paragraph.objects.only("pk", "meeting_id", "number", "prefix"))
    ).order_by("-date", "-pk")
    return filters.filter(qs)


@router.get("/meetings/{pk}", response={200: MeetingDetailOut, 410: ErrorOut},
            summary="Ett sammanträde med paragrafer och filer")
def meeting(request: HttpRequest, pk: int) -> Any:
    m = get_object_or_404(
        public_meetings(withdrawn_too=True).select_related("organ__organisation").prefetch_related(
            Prefetch("paragraphs", queryset=Paragraph.objects.only("pk", "meeting_id", "number", "prefix")),
            Prefetch("public_paragraphs", queryset=PublicParagraph.objects.order_by("position")),
        ),
        pk=pk,
    )
    if _meeting_withdrawn(m, m.organ.organisation):
        return Status(410, _gone_reason(m.organ.organisation, "Protokollet"))
    setattr(m, PUBLIC_PDF, public_pdfs_for([m.pk]).get(m.pk))
    return m


@router.get("/agendaItems", response={200: list[AgendaItemOut], 400: ErrorOut}, summary="Paragrafer i justerade protokoll")
@paginate(Keyset)
def agenda_items(request: HttpRequest, filters: Query[AgendaItemFilter]) -> QuerySet[PublicParagraph]:
    # Newest meeting first, its paragraphs in order; the index public_paragraph_order serves it.
    return filters.filter(public_paragraphs().order_by("-meeting_date", "-meeting_id", "position", "pk"))


@router.get("/papers", response={200: list[FileOut], 400: ErrorOut}, summary="Offentliga dokument: protokoll (offentlig version) och anslagsbevis")
@paginate(Keyset)
def papers(request: HttpRequest, filters: Query[PaperFilter]) -> QuerySet[RenderedDocument]:
    public_notice_ids = public_notices().filter(posted_on__lte=today()).values("pk")
    certificates = issued_documents(CERTIFICATE_KIND).filter(
        content_type=ContentType.objects.get_for_model(Notice), object_id__in=public_notice_ids
    )
    minutes = issued_documents(PUBLIC_MINUTES_KIND).filter(
        content_type=ContentType.objects.get_for_model(Meeting), object_id__in=public_meetings().values("pk")
    )
    # Newest first by id: finished_at is empty on a row written as issued by hand (and a keyset
    # needs columns that are never NULL).
    return filters.filter((certificates | minutes).order_by("-pk"))


@router.get("/notices", response={200: list[NoticeOut], 400: ErrorOut}, summary="Anslag (uppsatta och nedtagna)")
@paginate(Keyset)
def notices(request: HttpRequest, filters: Query[NoticeFilter]) -> QuerySet[Notice]:
    qs = public_notices().filter(posted_on__lte=today()).select_related("organisation").order_by("-posted_on", "-pk")
    return filters.filter(qs)


@router.get("/notices/{pk}", response={200: NoticeOut, 410: ErrorOut}, summary="Ett anslag")
def notice(request: HttpRequest, pk: int) -> Any:
    n = get_object_or_404(
        public_notices(withdrawn_too=True).filter(posted_on__lte=today()).select_related("organisation"), pk=pk)
    if _notice_withdrawn(n, n.organisation):
        return Status(410, _gone_reason(n.organisation, "Anslaget"))
    return n
