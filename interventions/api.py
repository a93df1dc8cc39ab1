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
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from board.auth import token_auth
from board.permissions import Action, can
from config.api_params import ErrorOut

from . import action_items
from .models import ActionItem, Intervention, SupplementaryRequest
from .selectors import (
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
    year: int
    organisation: str
    line: str
    line_name: str
    budget: Decimal = Field(description="Aktuell budgetversion; kostnader negativa som i ekonomidelen.")
    outcome: Decimal | None
    outcome_date: dt.date | None
    forecast: Decimal
    deviation: Decimal


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


class InterventionDetailOut(InterventionOut):
    description: str
    funding: list[FundingOut]


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


class ActionItemIn(Schema):
    status: str | None = None
    due_date: dt.date | None = None
    report: str | None = None


def _intervention_out(i: Intervention) -> dict[str, Any]:
    return {
        "id": i.pk, "name": i.name, "kind": i.kind, "form": i.form, "status": i.status, "start": i.start,
        "end": i.end, "parties": sorted(p.name for p in i.parties.all()),
        "lead_organisation": i.lead_organisation.name if i.lead_organisation else None,
        "contact_person": str(i.contact_person) if i.contact_person else None,
    }


def _request_out(r: SupplementaryRequest) -> RequestOut:
    return RequestOut(
        id=r.pk, year=r.year, amount=r.amount, reason=r.reason, received_on=r.received_on, status=r.status,
        granted_amount=r.granted_amount, decided_on=r.decided_on,
        paragraph=r.paragraph.label if r.paragraph else None,
        revision=r.revision.label if r.revision else None,
    )


def _item_out(item: ActionItem) -> ActionItemOut:
    return ActionItemOut(
        id=item.pk, text=item.text, paragraph=item.paragraph.label, meeting_date=item.paragraph.meeting.date,
        owner=item.owner_display, due_date=item.due_date, status=item.status, closed_on=item.closed_on,
        intervention_id=item.intervention_id,
    )


@router.get("/organisations/{slug}/interventions", response=list[InterventionOut])
def intervention_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return [_intervention_out(i) for i in interventions_of(organisation_for(request.user, slug))]


@router.get("/organisations/{slug}/interventions/{pk}", response=InterventionDetailOut)
def intervention_detail(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    """The intervention with budget, outcome and forecast per year, as finance computes them."""
    intervention = intervention_for(request.user, slug, pk)
    funding = [
        FundingOut(
            year=f.budget.year, organisation=f.budget.organisation.slug, line=f.row.line.code,
            line_name=f.row.line.name, budget=f.row.budget, outcome=f.row.outcome, outcome_date=f.outcome_date,
            forecast=f.row.forecast, deviation=f.row.deviation,
        )
        for f in funding_rows(intervention)
    ]
    return {**_intervention_out(intervention), "description": intervention.description, "funding": funding}


@router.get("/organisations/{slug}/interventions/{pk}/requests", response=list[RequestOut])
def request_list(request: HttpRequest, slug: str, pk: int) -> list[RequestOut]:
    return [_request_out(r) for r in requests_of(intervention_for(request.user, slug, pk))]


@router.post("/organisations/{slug}/interventions/{pk}/requests", response={201: RequestOut, 403: ErrorOut, 422: ErrorOut})
def request_create(request: HttpRequest, slug: str, pk: int, payload: RequestIn) -> Status[Any]:
    intervention = intervention_for(request.user, slug, pk)
    if not may_edit(request.user, intervention):
        raise PermissionDenied("Bara kansliet registrerar tilläggsäskanden.")
    created = supplementary.request_register(intervention=intervention, actor=request.user, **payload.dict())
    return Status(201, _request_out(created))


@router.get("/organisations/{slug}/interventions/{pk}/follow-ups", response=list[FollowUpOut])
def follow_up_list(request: HttpRequest, slug: str, pk: int) -> list[FollowUpOut]:
    report = follow_up_report(intervention_for(request.user, slug, pk, contact_too=True))
    return [
        FollowUpOut(
            period_start=p.period_start, period_end=p.period_end, enrolled=p.enrolled, new=p.new, closed=p.closed,
            enrolled_at_end=p.enrolled_at_end, steps_work=p.steps_work, steps_studies=p.steps_studies,
            step_percent=p.step_percent, values={s.indicator.name: s.values[n] for s in report.series},
        )
        for n, p in enumerate(report.periods)
    ]


@router.post("/organisations/{slug}/interventions/{pk}/follow-ups", response={201: FollowUpOut, 403: ErrorOut, 422: ErrorOut})
def follow_up_create(request: HttpRequest, slug: str, pk: int, payload: FollowUpIn) -> Status[Any]:
    intervention = intervention_for(request.user, slug, pk, contact_too=True)
    if not may_follow_up(request.user, intervention):
        raise PermissionDenied("Bara insatsens kontaktperson och kansliet lämnar uppföljning.")
    data = payload.dict()
    values = data.pop("values") or {}
    p = follow_up.follow_up_record(intervention=intervention, values=values, actor=request.user, **data)
    report = follow_up_report(intervention)
    n = next(i for i, period in enumerate(report.periods) if period.pk == p.pk)
    return Status(201, FollowUpOut(
        period_start=p.period_start, period_end=p.period_end, enrolled=p.enrolled, new=p.new, closed=p.closed,
        enrolled_at_end=p.enrolled_at_end, steps_work=p.steps_work, steps_studies=p.steps_studies,
        step_percent=p.step_percent, values={s.indicator.name: s.values[n] for s in report.series},
    ))


@router.get("/organisations/{slug}/action-items", response=list[ActionItemOut])
def action_item_list(request: HttpRequest, slug: str, status: str = "") -> list[ActionItemOut]:
    """Tasks given by the association's decisions; status=oppna for those not closed."""
    return [_item_out(i) for i in action_items_of(organisation_for(request.user, slug), status=status)]


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
    return _item_out(item)
