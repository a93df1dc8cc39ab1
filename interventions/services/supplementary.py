"""Supplementary requests (ansökningar om utökade medel): registered, put on a meeting's agenda,
and decided by the board, which writes the paragraph and, when granted, revises the budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from board.audit import event_record, save_with_actor
from board.formatting import format_kr
from board.selectors import family_ids
from finance.services.budgets import budget_revise
from interventions.action_items import decision_link
from interventions.models import Intervention, SupplementaryRequest
from minutes.drafting import services as minutes_services
from minutes.models import AgendaItem, DecisionClause, Meeting, Paragraph

from .registry import line_amount


def _money(value: Decimal | int | str, field: str) -> Decimal:
    amount = Decimal(value)
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({field: "Ange beloppet i kronor med högst två decimaler."})
    return amount


@transaction.atomic
def request_register(
    *,
    intervention: Intervention,
    year: int,
    amount: Decimal | int | str,
    reason: str,
    received_on: dt.date,
    actor: Any,
) -> SupplementaryRequest:
    amount = _money(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": "Det äskade beloppet måste vara större än 0 kr."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Ange skälet till äskandet."})
    link = (
        intervention.funding.select_related("budget_line__budget")
        .filter(budget_line__budget__year=year)
        .order_by("-budget_line__budget__organisation_id")
        .first()
    )
    if link is None:
        raise ValidationError(
            {"year": f"{intervention} har ingen budgetrad för {year}: koppla insatsen till budgeten först."}
        )
    request = SupplementaryRequest(
        intervention=intervention, budget_line=link.budget_line, amount=amount, reason=reason.strip(),
        received_on=received_on,
    )
    save_with_actor(request, actor)
    event_record(
        verb="intervention.request_received", actor=actor, organisation=intervention.organisation,
        target=request, summary=f"{request}: {format_kr(amount)}",
        data={"amount": str(amount), "year": year},
    )
    return request


def proposed_clause(request: SupplementaryRequest, amount: Decimal | None = None) -> str:
    amount = request.amount if amount is None else amount
    return f"Att bevilja {request.intervention.name} en extra tilldelning {request.year} med {format_kr(amount)}"


def rejected_clause(request: SupplementaryRequest) -> str:
    return f"Att avslå tilläggsäskandet {request.year} från {request.intervention.name}"


def _agenda_title(request: SupplementaryRequest) -> str:
    return f"Tilläggsäskande {request.year} {request.intervention.name}"


def _lock_request(request: SupplementaryRequest) -> SupplementaryRequest:
    return (
        SupplementaryRequest.objects.select_for_update(of=("self",))
        .select_related("intervention__organisation", "budget_line__budget")
        .get(pk=request.pk)
    )


@transaction.atomic
def request_put_on_agenda(*, request: SupplementaryRequest, meeting: Meeting, actor: Any) -> AgendaItem:
    """Put the request on a meeting's agenda with the proposed decision (the asked amount).

    The agenda item becomes the request's paragraph when the minutes are started; if they are
    started already, the paragraph is added now.
    """
    request = _lock_request(request)
    if request.is_decided:
        raise ValidationError({"meeting": "Äskandet är redan beslutat."})
    meeting = Meeting.objects.select_related("organ__organisation").get(pk=meeting.pk)
    if meeting.organ.organisation_id not in family_ids(request.intervention.organisation_id):
        raise ValidationError({"meeting": "Mötet hör till ett annat förbund."})
    if meeting.organ.organisation_id != request.budget_line.budget.organisation_id:
        raise ValidationError(
            {"meeting": "Äskandet beslutas av det förbund vars budget det gäller "
                        f"({request.budget_line.budget.organisation})."}
        )
    if not meeting.is_editable:
        raise ValidationError({"meeting": "Mötets protokoll är justerat."})
    description = (
        f"{request.intervention.name} inkom {request.received_on:%Y-%m-%d} med ett tilläggsäskande om "
        f"{format_kr(request.amount)} för {request.year}. Skäl: {request.reason}"
    )
    item = minutes_services.agenda_item_add(
        meeting=meeting, title=_agenda_title(request), description=description,
        proposed_decision=proposed_clause(request), actor=actor,
    )
    if meeting.paragraphs.exists():
        request.paragraph = minutes_services.paragraph_add(
            meeting=meeting, title=item.title, agenda_item=item, body=description,
            clauses=[proposed_clause(request)], actor=actor,
        )
    request.agenda_item = item
    request.status = SupplementaryRequest.Status.ON_AGENDA
    save_with_actor(request, actor)
    event_record(
        verb="intervention.request_on_agenda", actor=actor, organisation=request.intervention.organisation,
        target=request, summary=f"{request} på dagordningen {meeting}",
    )
    return item


def _paragraph_for(request: SupplementaryRequest, actor: Any) -> Paragraph:
    if request.paragraph_id:
        return Paragraph.objects.select_related("meeting", "organ").get(pk=request.paragraph_id)
    if request.agenda_item_id is None:
        raise ValidationError({"granted_amount": "Sätt äskandet på ett mötes dagordning innan det beslutas."})
    item = AgendaItem.objects.select_related("meeting").get(pk=request.agenda_item_id)
    paragraph = item.paragraphs.order_by("pk").first()
    if paragraph is None:
        paragraph = minutes_services.paragraph_add(
            meeting=item.meeting, title=item.title, agenda_item=item, body=item.description,
            clauses=[proposed_clause(request)], actor=actor,
        )
    return Paragraph.objects.select_related("meeting", "organ").get(pk=paragraph.pk)


@transaction.atomic
def request_decide(
    *,
    request: SupplementaryRequest,
    granted_amount: Decimal | int | str,
    actor: Any,
    paragraph: Paragraph | None = None,
    decision_clause: DecisionClause | None = None,
) -> SupplementaryRequest:
    """Record the board's decision on the request in its paragraph, and revise the budget.

    The granted amount may be lower than the asked (seed 004: 147 424 kr asked, 120 000 kr
    granted). The intervention's budget line grows by the granted amount through a finance
    revision adopted on the meeting day and linked to the paragraph. Nothing granted: no
    revision. While the minutes are open, the paragraph's decision is made to say what was
    decided, unless `decision_clause` names the clause that already says it (as written).
    """
    request = _lock_request(request)
    if request.is_decided:
        raise ValidationError({"granted_amount": "Äskandet är redan beslutat."})
    granted = _money(granted_amount, "granted_amount")
    if granted < 0:
        raise ValidationError({"granted_amount": "Beviljat belopp kan inte vara negativt."})
    if granted > request.amount:
        raise ValidationError(
            {"granted_amount": f"Beviljat belopp kan inte vara större än det äskade ({format_kr(request.amount)})."}
        )
    if paragraph is not None:
        request.paragraph = paragraph
    paragraph = _paragraph_for(request, actor)
    line = request.budget_line
    if paragraph.organ.organisation_id != line.budget.organisation_id:
        raise ValidationError({"paragraph": "Paragrafen hör till ett annat förbunds protokoll än budgeten."})
    decision = proposed_clause(request, granted) if granted else rejected_clause(request)
    if decision_clause is not None:
        if decision_clause.paragraph_id != paragraph.pk:
            raise ValidationError({"decision_clause": "Beslutssatsen hör till en annan paragraf."})
        decision = decision_clause.text
    elif paragraph.meeting.is_editable:
        texts = list(paragraph.clauses.order_by("position").values_list("text", flat=True))
        if decision not in texts:
            proposal = proposed_clause(request)
            texts = [decision if t == proposal else t for t in texts]
            if decision not in texts:
                texts.append(decision)
            paragraph = minutes_services.paragraph_update(
                paragraph=paragraph, expected_version=paragraph.version, clauses=texts, actor=actor
            )
    clause = DecisionClause.objects.filter(paragraph=paragraph, text=decision).first()
    if clause is not None:
        decision_link(clause=clause, intervention=request.intervention, actor=actor)

    meeting = paragraph.meeting
    request.paragraph = paragraph
    request.granted_amount = granted
    request.decided_on = meeting.date
    if granted == 0:
        request.status = SupplementaryRequest.Status.REJECTED
    elif granted < request.amount:
        request.status = SupplementaryRequest.Status.PARTLY_GRANTED
    else:
        request.status = SupplementaryRequest.Status.GRANTED
    if granted:
        # Costs are negative in finance: more money for the intervention is a lower amount.
        new_amount = line_amount(line) - granted
        request.revision = budget_revise(
            budget=line.budget,
            label=f"Tilläggsäskande {request.intervention.name} ({paragraph.label})",
            changes={line.code: new_amount},
            adopted_on=meeting.date,
            decision_reference=f"{paragraph.label}, {meeting.date:%Y-%m-%d}",
            decided_in=paragraph,
            actor=actor,
        )
    save_with_actor(request, actor)
    event_record(
        verb="intervention.request_decided", actor=actor, organisation=request.intervention.organisation,
        target=request,
        summary=f"{request}: {request.get_status_display().lower()}, {format_kr(granted)} ({paragraph.label})",
        data={"asked": str(request.amount), "granted": str(granted), "paragraph": paragraph.pk,
              "revision": request.revision_id},
    )
    return request
