"""Intervention endpoints: interventions with their funding, requests, follow-up and action items.

An intervention's contact (or the office) posts the period's figures with a token:

    POST /api/v1/organisations/vastmanland/interventions/12/follow-ups
    {"period_start": "2024-01-01", "period_end": "2024-04-30", "enrolled": 40, "new": 12,
     "closed": 9, "steps_work": 10, "steps_studies": 4,
     "values": {"Upplevd förbättrad hälsa": "72"}}

Bad figures come back as 422 with the field and the reason. Reading needs a token of someone
who may view the association; anyone else gets 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.responses import Status

from board.auth import token_auth
from board.permissions import Action, can
from config.api_params import ErrorOut

from . import action_items
from .models import ActionItem, Intervention, SupplementaryRequest
from .selectors import (
    FundingRow,
    action_items_of,
    follow_up_report,
    funding_rows,
    intervention_for,
    interventions_of,
    may_edit,
    may_follow_up,
    organisation_for,
    requests_of,
)
from .services import follow_up, supplementary

router = Router(tags=["insatser"], auth=token_auth)



class FundingOut(Schema):
    # One budget line that funds the intervention, read from selectors.FundingRow (finance's row).

    year: int
    organisation: str
    line: str
    line_name: str
    budget: Decimal = Field(description="Aktuell budgetversion; kostnader negativa som i ekonomidelen.")
    outcome: Decimal | None
    outcome_date: dt.date | None
    forecast: Decimal
    deviation: Decimal

    @staticmethod
    def resolve_year(f: FundingRow) -> int:
        return f.budget.year

    @staticmethod
    def resolve_organisation(f: FundingRow) -> str:
        return f.budget.organisation.slug

    @staticmethod
    def resolve_line(f: FundingRow) -> str:
        return f.row.line.code

    @staticmethod
    def resolve_line_name(f: FundingRow) -> str:
        return f.row.line.name

    @staticmethod
    def resolve_budget(f: FundingRow) -> Decimal:
        return f.row.budget

    @staticmethod
    def resolve_outcome(f: FundingRow) -> Decimal | None:
        return f.row.outcome

    @staticmethod
    def resolve_forecast(f: FundingRow) -> Decimal:
        return f.row.forecast

    @staticmethod
    def resolve_deviation(f: FundingRow) -> Decimal:
        return f.row.deviation


class InterventionOut(Schema):
    id: int
    name: str
    kind: str
    form: str
    status: str
    start: dt.date | None
    end: dt.date | None
    parties: list[str]
    lead_organisation: str | None
    contact_person: str | None

    @staticmethod
    def resolve_parties(i: Intervention) -> list[str]:
        return sorted(p.name for p in i.parties.all())

    @staticmethod
    def resolve_lead_organisation(i: Intervention) -> str | None:
        return i.lead_organisation.name if i.lead_organisation else None

    @staticmethod
    def resolve_contact_person(i: Intervention) -> str | None:
        return str(i.contact_person) if i.contact_person else None


class InterventionDetailOut(InterventionOut):
    description: str
    funding: list[FundingOut]

    @staticmethod
    def resolve_funding(i: Intervention) -> list[FundingRow]:
        """Budget, outcome and forecast per year, as finance computes them."""
        return funding_rows(i)


class RequestOut(Schema):
    id: int
    year: int
    amount: Decimal
    reason: str
    received_on: dt.date
    status: str
    granted_amount: Decimal | None
    decided_on: dt.date | None
    paragraph: str | None = Field(description="Paragrafen där äskandet beslutades, t.ex. NVSam § 56.")
    revision: str | None = Field(description="Budgetrevideringen som beslutet gav.")

    @staticmethod
    def resolve_paragraph(r: SupplementaryRequest) -> str | None:
        return r.paragraph.label if r.paragraph else None

    @staticmethod
    def resolve_revision(r: SupplementaryRequest) -> str | None:
        return r.revision.label if r.revision else None


class RequestIn(Schema):
    year: int
    amount: Decimal
    reason: str
    received_on: dt.date


class FollowUpIn(Schema):
    period_start: dt.date
    period_end: dt.date
    enrolled: int
    new: int
    closed: int
    steps_work: int = 0
    steps_studies: int = 0
    comment: str = ""
    values: dict[str, Decimal | str | None] = Field(default_factory=dict, description="Värde per indikatornamn.")


class FollowUpOut(Schema):
    period_start: dt.date
    period_end: dt.date
    enrolled: int
    new: int
    closed: int
    enrolled_at_end: int
    steps_work: int
    steps_studies: int
    step_percent: Decimal | None
    values: dict[str, Decimal | None]

    @staticmethod
    def resolve_values(obj: Any) -> dict[str, Decimal | None]:
        # The period's column of the whole follow-up report (_with_report_values), not the
        # period's own stored values: a series runs over every period.
        return obj.report_values  # type: ignore[no-any-return]


def _with_report_values(report: Any) -> list[Any]:
    """The report's periods, each with its column of the report's indicator series."""
    for n, period in enumerate(report.periods):
        period.report_values = {s.indicator.name: s.values[n] for s in report.series}
    return list(report.periods)


class ActionItemOut(Schema):
    id: int
    text: str
    paragraph: str
    meeting_date: dt.date
    owner: str
    due_date: dt.date | None
    status: str
    closed_on: dt.date | None
    intervention_id: int | None

    @staticmethod
    def resolve_paragraph(item: ActionItem) -> str:
        return item.paragraph.label

    @staticmethod
    def resolve_meeting_date(item: ActionItem) -> dt.date:
        return item.paragraph.meeting.date

    @staticmethod
    def resolve_owner(item: ActionItem) -> str:
        return item.owner_display


class ActionItemFilter(FilterSchema):
    status: str = Field(
        "", description="oppna: de som inte är klara (öppen eller pågår); annars en status: oppen, pagar eller klar."
    )

    def filter_status(self, value: str) -> Q:
        if value == "oppna":
            return Q(status__in=list(ActionItem.OPEN_STATUSES))
        return Q(status=value) if value else Q()


class ActionItemIn(Schema):
    status: str | None = None
    due_date: dt.date | None = None
    report: str | None = None


@router.get("/organisations/{slug}/interventions", response=list[InterventionOut])
def intervention_list(request: HttpRequest, slug: str) -> QuerySet[Intervention]:
    return interventions_of(organisation_for(request.user, slug))


@router.get("/organisations/{slug}/interventions/{pk}", response=InterventionDetailOut)
def intervention_detail(request: HttpRequest, slug: str, pk: int) -> Intervention:
    """The intervention with budget, outcome and forecast per year, as finance computes them."""
    return intervention_for(request.user, slug, pk)


@router.get("/organisations/{slug}/interventions/{pk}/requests", response=list[RequestOut])
def request_list(request: HttpRequest, slug: str, pk: int) -> QuerySet[SupplementaryRequest]:
    return requests_of(intervention_for(request.user, slug, pk))


@router.post("/organisations/{slug}/interventions/{pk}/requests", response={201: RequestOut, 403: ErrorOut, 422: ErrorOut})
def request_create(request: HttpRequest, slug: str, pk: int, payload: RequestIn) -> Status[Any]:
    intervention = intervention_for(request.user, slug, pk)
    if not may_edit(request.user, intervention):
        raise PermissionDenied("Bara kansliet registrerar tilläggsäskanden.")
    created = supplementary.request_register(intervention=intervention, actor=request.user, **payload.dict())
    return Status(201, created)


@router.get("/organisations/{slug}/interventions/{pk}/follow-ups", response=list[FollowUpOut])
def follow_up_list(request: HttpRequest, slug: str, pk: int) -> list[Any]:
    return _with_report_values(follow_up_report(intervention_for(request.user, slug, pk, contact_too=True)))


@router.post("/organisations/{slug}/interventions/{pk}/follow-ups", response={201: FollowUpOut, 403: ErrorOut, 422: ErrorOut})
def follow_up_create(request: HttpRequest, slug: str, pk: int, payload: FollowUpIn) -> Status[Any]:
    intervention = intervention_for(request.user, slug, pk, contact_too=True)
    if not may_follow_up(request.user, intervention):
        raise PermissionDenied("Bara insatsens kontaktperson och kansliet lämnar uppföljning.")
    data = payload.dict()
    values = data.pop("values") or {}
    p = follow_up.follow_up_record(intervention=intervention, values=values, actor=request.user, **data)
    return Status(201, next(period for period in _with_report_values(follow_up_report(intervention)) if period.pk == p.pk))


@router.get("/organisations/{slug}/action-items", response=list[ActionItemOut])
def action_item_list(
    request: HttpRequest, slug: str, filters: Query[ActionItemFilter]
) -> QuerySet[ActionItem]:
    """Tasks given by the association's decisions; status=oppna for those not closed."""
    return filters.filter(action_items_of(organisation_for(request.user, slug)))


@router.patch("/organisations/{slug}/action-items/{pk}", response={200: ActionItemOut, 403: ErrorOut, 422: ErrorOut})
def action_item_update(request: HttpRequest, slug: str, pk: int, payload: ActionItemIn) -> Any:
    organisation = organisation_for(request.user, slug)
    item = get_object_or_404(action_items_of(organisation), pk=pk)
    if not can(request.user, Action.EDIT_INTERVENTIONS, organisation):
        raise PermissionDenied("Bara kansliet följer upp uppdrag.")
    changes: dict[str, Any] = {"status": payload.status, "report": payload.report}
    if "due_date" in payload.model_fields_set:
        changes["due_date"] = payload.due_date
    item = action_items.action_item_update(item=item, actor=request.user, **changes)
    item = ActionItem.objects.select_related("paragraph__meeting", "owner_person").get(pk=item.pk)
    return item
