"""Loads the demo interventions (interventions.demo.data): each linked to its 2024 budget line
(loaded by the finance demo), Sala's supplementary request decided in NVSam § 56 (from the
minutes demo) with the budget revision it gives, illustrative follow-up for the individual
interventions, and action items from the task-giving clauses of the demo minutes.

Idempotent: rows are found by natural keys and created through the services only when
missing, so a second run adds nothing, not even history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model

from board.audit import save_with_actor
from board.models import MemberOrganisation, Organisation
from finance.models import Budget, BudgetGroup, BudgetLine
from finance.services.budgets import (
    budget_create,
    budget_group_add,
    budget_line_add,
    budget_version_create,
)
from interventions.action_items import (
    action_item_update,
    action_items_from_paragraph,
    task_owner_in,
)
from interventions.demo.data import (
    CLOSED_INDICATOR,
    FIGURES,
    INDIVIDUAL_TEAMS,
    INTERVENTIONS,
    PERIODS,
    SALA_ASKED,
    SALA_GRANTED,
    SALA_REASON,
    SALA_RECEIVED,
    STEP_INDICATOR,
)
from interventions.models import ActionItem, Indicator, Intervention, SupplementaryRequest
from interventions.services.follow_up import follow_up_record, indicator_define
from interventions.services.registry import funding_link, intervention_create, intervention_update
from interventions.services.supplementary import request_decide, request_register
from minutes.models import Paragraph


def _actor() -> Any:
    return get_user_model().objects.filter(username="sekreterare").first()


def _members(names: list[str]) -> list[MemberOrganisation]:
    found = {m.name: m for m in MemberOrganisation.objects.filter(name__in=names)}
    return [found[n] for n in names if n in found]


def _intervention(org: Organisation, spec: tuple[Any, ...], actor: Any) -> Intervention:
    name, kind, form, _code, party_names, lead_name, description = spec
    parties = _members(party_names)
    lead = _members([lead_name])[0] if lead_name else None
    wanted = {"kind": kind, "form": form, "status": Intervention.Status.ONGOING, "lead_organisation": lead,
              "description": description}
    existing = Intervention.objects.filter(organisation=org, name=name).first()
    if existing is None:
        return intervention_create(organisation=org, name=name, parties=parties, actor=actor, **wanted)
    changes = {k: v for k, v in wanted.items() if getattr(existing, k) != v}
    same_parties = {p.pk for p in parties} == set(existing.parties.values_list("pk", flat=True))
    if changes or not same_parties:
        intervention_update(
            intervention=existing, parties=None if same_parties else parties, actor=actor, **changes
        )
    return existing


def _nvsam_2023_line(actor: Any) -> Any:
    """Norra Västmanland's 2023 budget with the Sala line; created here when finance has none."""
    nvsam = Organisation.objects.filter(slug="norra-vastmanland").first()
    if nvsam is None:
        return None
    budget = Budget.objects.filter(organisation=nvsam, year=2023).first()
    if budget is None:
        budget = budget_create(
            organisation=nvsam, year=2023, title="Budget 2023 (demo, ej ur underlagen)", actor=actor
        )
    line = budget.lines.filter(code="samordningsteam-sala").first()
    if line is None:
        group = budget.groups.filter(kind=BudgetGroup.Kind.INDIVIDUAL).first() or budget_group_add(
            budget=budget, kind=BudgetGroup.Kind.INDIVIDUAL, name="Individinsatser", actor=actor
        )
        line = budget_line_add(
            budget=budget, group=group, code="samordningsteam-sala", name="Samordningsteam Sala", actor=actor
        )
    if not budget.versions.exists():
        budget_version_create(
            budget=budget, label="Budget 2023", adopted=True,
            decision_reference="Demo: beloppet finns inte i underlagen",
            amounts={"samordningsteam-sala": Decimal("-1700000")}, actor=actor,
        )
    return line


def _sala_request(sala: Intervention, actor: Any, stdout: TextIO) -> None:
    line = _nvsam_2023_line(actor)
    if line is None:
        stdout.write("  insatser: Norra Västmanland saknas, inget tilläggsäskande\n")
        return
    if not sala.funding.filter(budget_line=line).exists():
        funding_link(intervention=sala, budget_line=line, actor=actor)
    request = SupplementaryRequest.objects.filter(
        intervention=sala, budget_line=line, received_on=SALA_RECEIVED
    ).first()
    if request is None:
        request = request_register(
            intervention=sala, year=2023, amount=SALA_ASKED, reason=SALA_REASON,
            received_on=SALA_RECEIVED, actor=actor,
        )
    if request.is_decided:
        return
    paragraph = Paragraph.objects.filter(
        organ__organisation__slug="norra-vastmanland", year=2023, number=56
    ).select_related("meeting").first()
    if paragraph is None:
        stdout.write("  insatser: NVSam § 56 saknas i protokollsdemon; äskandet står som inkommet\n")
        return
    if request.agenda_item_id is None and paragraph.agenda_item_id:
        request.agenda_item_id = paragraph.agenda_item_id
        request.status = SupplementaryRequest.Status.ON_AGENDA
        save_with_actor(request, actor)
    clause = paragraph.clauses.filter(text__icontains="bevilja").first()
    request_decide(
        request=request, granted_amount=SALA_GRANTED, paragraph=paragraph, decision_clause=clause,
        actor=actor,
    )
    stdout.write(f"  insatser: tilläggsäskande Sala beslutat i {paragraph.label}, budget 2023 reviderad\n")


def _follow_up(intervention: Intervention, actor: Any) -> None:
    step = intervention.indicators.filter(name=STEP_INDICATOR).first() or indicator_define(
        intervention=intervention, name=STEP_INDICATOR, target=Decimal(60),
        source=Indicator.Source.STEPS, actor=actor,
    )
    closed = intervention.indicators.filter(name=CLOSED_INDICATOR).first() or indicator_define(
        intervention=intervention, name=CLOSED_INDICATOR, target=Decimal(50), actor=actor,
    )
    del step
    for (start, end), (enrolled, new, done, work, studies, closed_pct) in zip(
        PERIODS, FIGURES[intervention.name], strict=True
    ):
        if intervention.follow_ups.filter(period_start=start).exists():
            continue
        follow_up_record(
            intervention=intervention, period_start=start, period_end=end, enrolled=enrolled, new=new,
            closed=done, steps_work=work, steps_studies=studies, values={closed: Decimal(closed_pct)},
            comment="Demo: påhittade siffror (underlagen redovisar inga per insats).", actor=actor,
        )


def _action_items(actor: Any) -> int:
    """Action items from the task-giving clauses of the demo minutes (once per clause)."""
    created = 0
    paragraphs = Paragraph.objects.filter(
        organ__organisation__slug__in=["vastmanland", "norra-vastmanland", "vastra-malardalen", "vasteras"]
    ).select_related("meeting", "organ").order_by("meeting__date", "position")
    for paragraph in paragraphs:
        if any(task_owner_in(c.text) for c in paragraph.clauses.all()):
            created += len(action_items_from_paragraph(paragraph=paragraph, actor=actor))
    # NVSam § 57: the NNS member meeting was on 24 November 2023 (seed 004).
    nns = ActionItem.objects.filter(paragraph__organ__organisation__slug="norra-vastmanland",
                                    paragraph__number=57, paragraph__year=2023, due_date__isnull=True).first()
    if nns is not None:
        action_item_update(item=nns, due_date=dt.date(2023, 11, 24), actor=actor)
    return created


def load(*, stdout: TextIO) -> None:
    org = Organisation.objects.filter(slug="vastmanland").first()
    if org is None:
        stdout.write("  insatser: Samordningsförbundet Västmanland saknas (kör board-demon först)\n")
        return
    actor = _actor()
    lines = {
        line.code: line
        for line in BudgetLine.objects.filter(budget__organisation=org, budget__year=2024)
    }
    interventions = {}
    for spec in INTERVENTIONS:
        intervention = _intervention(org, spec, actor)
        interventions[intervention.name] = intervention
        line = lines.get(spec[3])
        if line is not None and not intervention.funding.filter(budget_line=line).exists():
            funding_link(intervention=intervention, budget_line=line, actor=actor)
    for name in INDIVIDUAL_TEAMS:
        _follow_up(interventions[name], actor)
    _sala_request(interventions["Samordningsteam Sala"], actor, stdout)
    created = _action_items(actor)
    stdout.write(
        f"  insatser: {len(interventions)} insatser ur delårsrapporten 2024, uppföljning för "
        f"{len(INDIVIDUAL_TEAMS)} individinsatser (illustrativa siffror), {created} nya uppdrag\n"
    )
