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
range where the object has dates. Everything starts from minutes/public/selectors.py; the
schemas are in minutes/public/schemas.py.
"""

# No `from __future__ import annotations` here: @paginate wraps the views, and django-ninja
# would resolve their string annotations in ninja.pagination's namespace, not this one.

import datetime as dt
from datetime import date
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router
from ninja.pagination import paginate

from board.documents.models import RenderedDocument
from board.models import Appointment, Organ, Organisation, Person
from config.api_params import DbDateTime, ErrorOut, Keyset, Mapped

from ..drafting.selectors import paragraph_range
from ..models import Meeting, Notice, Paragraph, PublicParagraph
from ..projection import is_masked, public_value
from .privacy import gone_sentence
from .schemas import (
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


# --- conversions ----------------------------------------------------------------------------

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _at(day: dt.date, time: dt.time | None) -> dt.datetime | None:
    return dt.datetime.combine(day, time, tzinfo=STOCKHOLM) if time else None


def _gone_reason(organisation: Organisation, what: str) -> dict:
    return {"detail": gone_sentence(organisation, what)}


def _meeting_out(m: Meeting) -> dict:
    return public_value(_meeting_fields(m))  # type: ignore[no-any-return]


def _meeting_fields(m: Meeting) -> dict:
    paragraphs = list(m.paragraphs.all())
    return {
        "id": m.pk,
        "body": m.organ.organisation.slug,
        "organization": m.organ_id,
        "name": f"{m.organ.name} {m.date:%Y-%m-%d}",
        "start": _at(m.date, m.start_time),
        "end": _at(m.date, m.end_time),
        "date": m.date,
        "location": m.place_display,
        "paragraphs": paragraph_range(paragraphs),
        "web": reverse("public:minutes_detail", args=[m.organ.organisation.slug, m.date.year, m.pk]),
        "modified": m.updated_at,
    }


def _agenda_item_out(row: PublicParagraph) -> dict:
    return public_value(_agenda_item_fields(row))  # type: ignore[no-any-return]


def _agenda_item_fields(row: PublicParagraph) -> dict:
    """A paragraph as its public projection has it (a masked one: number and OSL reference)."""
    item = row.content
    base = {"id": row.pk, "meeting": row.meeting_id, "number": row.label, "order": row.position,
            "modified": row.published_at}
    if is_masked(item):
        return {
            **base, "name": "", "public": False,
            "confidentialityReason": f"Sekretess enligt OSL {item.get('osl_reference') or ''}".strip(),
            "dnr": "", "text": "", "decisions": [], "votes": [],
        }
    return {
        **base, "name": item.get("title", ""), "public": True, "confidentialityReason": "",
        "dnr": item.get("dnr", ""), "text": item.get("body", ""), "decisions": item.get("decision", []),
        "votes": [
            {
                "question": v.get("question", ""), "result": v.get("result", ""), "decidedBy": v.get("decided_by", ""),
                "yes": v.get("yes", 0), "no": v.get("no", 0), "abstain": v.get("abstain", 0),
                "ballots": [
                    {"person": b.get("person_id"), "name": b["name"], "choice": b["choice"]}
                    for b in v.get("ballots", [])
                ],
            }
            for v in item.get("votes", [])
        ],
    }


def _file_out(d: RenderedDocument) -> dict:
    return public_value({
        "id": d.pk, "name": d.title, "kind": d.kind, "size": d.size, "sha256": d.sha256,
        "accessUrl": d.get_download_url(), "date": d.finished_at,
    })


def _since(qs: QuerySet, field: str, modified_since: dt.datetime | None) -> QuerySet:
    return qs.filter(**{f"{field}__gte": modified_since}) if modified_since else qs


# --- endpoints ------------------------------------------------------------------------------


@router.get("/bodies", response={200: list[BodyOut], 400: ErrorOut}, summary="Samordningsförbund")
@paginate(Keyset)
def bodies(request: HttpRequest):
    return Mapped(Organisation.objects.select_related("successor").order_by("name", "pk"), lambda o: {
        "id": o.slug, "name": o.name, "shortName": o.short_name, "startDate": o.active_from,
        "endDate": o.active_until, "successor": o.successor.slug if o.successor else None,
    })


@router.get("/organizations", response={200: list[OrganizationOut], 400: ErrorOut}, summary="Organ (styrelser)")
@paginate(Keyset)
def organizations(request: HttpRequest, body: str | None = None):
    qs = Organ.objects.select_related("organisation").order_by("organisation__name", "name", "pk")
    if body:
        qs = qs.filter(organisation__slug=body)
    return Mapped(qs, lambda o: {
        "id": o.pk, "body": o.organisation.slug, "name": o.name, "classification": o.kind,
        "startDate": o.active_from, "endDate": o.active_until,
    })


@router.get("/persons", response={200: list[PublicPersonOut], 400: ErrorOut}, summary="Ledamöter och ersättare (namn och uppdrag)")
@paginate(Keyset)
def persons(request: HttpRequest, body: str | None = None):
    appointments = Appointment.objects.order_by("start")
    qs = Person.objects.filter(appointments__isnull=False)
    if body:
        qs = qs.filter(appointments__organ__organisation__slug=body)
        appointments = appointments.filter(organ__organisation__slug=body)
    qs = qs.distinct().order_by("last_name", "first_name", "pk").prefetch_related(
        Prefetch("appointments", queryset=appointments)
    ).only("pk", "first_name", "last_name")
    return Mapped(qs, _person_out)


def _person_out(p: Person) -> dict:
    return {
        "id": p.pk, "name": p.full_name, "familyName": p.last_name, "givenName": p.first_name,
        "membership": [
            {"organization": a.organ_id, "role": a.role, "seat": a.seat, "startDate": a.start, "endDate": a.end}
            for a in p.appointments.all()
        ],
    }


@router.get("/meetings", response={200: list[PublicMeetingOut], 400: ErrorOut}, summary="Sammanträden med justerade protokoll")
@paginate(Keyset)
def meetings(
    request: HttpRequest,
    body: str | None = None,
    organization: int | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    modified_since: DbDateTime | None = None,
):
    qs = public_meetings().select_related("organ__organisation").prefetch_related(
        Prefetch("paragraphs", queryset=Paragraph.objects.only("pk", "meeting_id", "number", "prefix"))
    ).order_by("-date", "-pk")
    if body:
        qs = qs.filter(organ__organisation__slug=body)
    if organization:
        qs = qs.filter(organ_id=organization)
    if start_date:
        qs = qs.filter(date__gte=start_date)
    if end_date:
        qs = qs.filter(date__lte=end_date)
    return Mapped(_since(qs, "updated_at", modified_since), _meeting_out)


@router.get("/meetings/{pk}", response={200: MeetingDetailOut, 410: ErrorOut},
            summary="Ett sammanträde med paragrafer och filer")
def meeting(request: HttpRequest, pk: int):
    m = get_object_or_404(
        public_meetings(withdrawn_too=True).select_related("organ__organisation").prefetch_related(
            Prefetch("paragraphs", queryset=Paragraph.objects.only("pk", "meeting_id", "number", "prefix")),
            Prefetch("public_paragraphs", queryset=PublicParagraph.objects.order_by("position")),
        ),
        pk=pk,
    )
    if _meeting_withdrawn(m, m.organ.organisation):
        return 410, _gone_reason(m.organ.organisation, "Protokollet")
    out = _meeting_out(m)
    out["agendaItem"] = [_agenda_item_out(p) for p in m.public_paragraphs.all()]
    pdf = public_pdfs_for([m.pk]).get(m.pk)
    out["file"] = [_file_out(pdf)] if pdf else []
    return out


@router.get("/agendaItems", response={200: list[AgendaItemOut], 400: ErrorOut}, summary="Paragrafer i justerade protokoll")
@paginate(Keyset)
def agenda_items(
    request: HttpRequest,
    body: str | None = None,
    meeting: int | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    modified_since: DbDateTime | None = None,
):
    # Newest meeting first, its paragraphs in order; the index public_paragraph_order serves it.
    qs = public_paragraphs().order_by("-meeting_date", "-meeting_id", "position", "pk")
    if body:
        qs = qs.filter(organ__organisation__slug=body)
    if meeting:
        qs = qs.filter(meeting_id=meeting)
    if start_date:
        qs = qs.filter(meeting_date__gte=start_date)
    if end_date:
        qs = qs.filter(meeting_date__lte=end_date)
    return Mapped(_since(qs, "published_at", modified_since), _agenda_item_out)


@router.get("/papers", response={200: list[FileOut], 400: ErrorOut}, summary="Offentliga dokument: protokoll (offentlig version) och anslagsbevis")
@paginate(Keyset)
def papers(request: HttpRequest, body: str | None = None, modified_since: DbDateTime | None = None):
    public_notice_ids = public_notices().filter(posted_on__lte=today()).values("pk")
    certificates = issued_documents(CERTIFICATE_KIND).filter(
        content_type=ContentType.objects.get_for_model(Notice), object_id__in=public_notice_ids
    )
    minutes = issued_documents(PUBLIC_MINUTES_KIND).filter(
        content_type=ContentType.objects.get_for_model(Meeting), object_id__in=public_meetings().values("pk")
    )
    # Newest first by id: finished_at is empty on a row written as issued by hand (and a keyset
    # needs columns that are never NULL).
    result = (certificates | minutes).order_by("-pk")
    if body:
        result = result.filter(organisation__slug=body)
    return Mapped(_since(result, "finished_at", modified_since), _file_out)


def _notice_out(n: Notice) -> dict:
    day = today()
    return public_value({
        "id": n.pk, "body": n.organisation.slug, "organization": n.organ_id, "meeting": n.meeting_id,
        "kind": n.kind, "name": n.title, "text": n.body, "paragraphs": n.paragraphs,
        "postedOn": n.posted_on, "lastAppealDay": n.last_appeal_day, "takedownOn": n.takedown_on,
        "up": n.is_up_on(day), "storagePlace": n.storage_place,
        "responsible": n.posted_by_name, "web": n.get_absolute_url(),
        "modified": n.updated_at,
    })


@router.get("/notices", response={200: list[NoticeOut], 400: ErrorOut}, summary="Anslag (uppsatta och nedtagna)")
@paginate(Keyset)
def notices(
    request: HttpRequest,
    body: str | None = None,
    up: bool | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    modified_since: DbDateTime | None = None,
):
    day = today()
    qs = public_notices().filter(posted_on__lte=day).select_related("organisation").order_by("-posted_on", "-pk")
    if up is True:
        qs = qs.up_on(day)
    elif up is False:
        qs = qs.taken_down_by(day)
    if body:
        qs = qs.filter(organisation__slug=body)
    if start_date:
        qs = qs.filter(posted_on__gte=start_date)
    if end_date:
        qs = qs.filter(posted_on__lte=end_date)
    return Mapped(_since(qs, "updated_at", modified_since), _notice_out)


@router.get("/notices/{pk}", response={200: NoticeOut, 410: ErrorOut}, summary="Ett anslag")
def notice(request: HttpRequest, pk: int):
    n = get_object_or_404(
        public_notices(withdrawn_too=True).filter(posted_on__lte=today()).select_related("organisation"), pk=pk)
    if _notice_withdrawn(n, n.organisation):
        return 410, _gone_reason(n.organisation, "Anslaget")
    return _notice_out(n)
