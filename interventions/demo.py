"""Demo interventions from the seeds.

- Seed 003 (delårsrapport januari–augusti 2024, Samordningsförbundet Västmanland): the
  interventions of its budget table, each linked to its 2024 budget line (loaded by
  finance/demo.py), with the parties the text names: the six individual interventions
  (Samordningsteamen Fagersta/FNS incl. Norberg and Skinnskatteberg, Hallstahammar, Sala,
  Surahammar, Västerås, and Teamsamverkan Västra Mälardalen), Kurator Samordningsteam, MGT
  Västerås ("personal från Arbetsförmedlingen, Försäkringskassan, Region Västmanland och
  Västerås Stad"), SIP-utvecklare ("kommun och region", Västra Mälardalen) and
  Rehabkoordinatorer i samverkan ("länets kommuner och de lokala vårdcentralerna").
- Seed 004 (NVSam 2023-11-02): Samordningsteam Sala's request of 2023-09-25 for 147 424 kr,
  decided in NVSam § 56 (from minutes/demo.py) as 120 000 kr, and the budget revision it
  gives; the task in NVSam § 57 ("Att uppdra åt ordförande att …") becomes an action item,
  as do the other task-giving clauses of the demo minutes.

Where the seeds are silent we choose, and say so:
- Finance's demo has no 2023 budget for Norra Västmanland. A minimal one is created here
  through finance's services (one line, Samordningsteam Sala, 1 700 000 kr as in 2024) so the
  § 56 decision has a budget line to revise. The 2023 amount is NOT from the seeds.
- Seed 003 gives no participant figures per intervention (they were reported "i separata
  delårsrapporter"). The follow-up figures and indicator values of the six individual
  interventions below are ILLUSTRATIVE, to show the report and its charts.
- Which party leads an intervention is only given for Sala (seed 004: the socialkonsulenter
  are employed by Sala kommun); elsewhere it is left empty.

Idempotent: rows are found by natural keys and created through the services only when
missing, so a second run adds nothing, not even history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model

from board.models import MemberOrganisation, Organisation
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
from interventions.services.follow_up import follow_up_record, indicator_define
from interventions.services.registry import funding_link, intervention_create, intervention_update
from interventions.services.supplementary import request_decide, request_register

from .models import ActionItem, Indicator, Intervention, SupplementaryRequest

D = dt.date
FK, AF, REGION = "Försäkringskassan", "Arbetsförmedlingen", "Region Västmanland"
VMD = ["Arboga kommun", "Köpings kommun", "Kungsörs kommun"]
ALL_MUNICIPALITIES = [
    "Arboga kommun", "Fagersta kommun", "Hallstahammars kommun", "Kungsörs kommun", "Köpings kommun",
    "Norbergs kommun", "Sala kommun", "Skinnskattebergs kommun", "Surahammars kommun", "Västerås stad",
]
IND, STR = Intervention.Kind.INDIVIDUAL, Intervention.Kind.STRUCTURAL
ORD, PROJ = Intervention.Form.ORDINARY, Intervention.Form.PROJECT

# (name, kind, form, 2024 line code, parties, lead, description)
INTERVENTIONS: list[tuple[str, str, str, str, list[str], str | None, str]] = [
    ("Samordningsteam Surahammar", IND, ORD, "samordningsteam-surahammar",
     [FK, AF, REGION, "Surahammars kommun"], None,
     "Samordnad individinsats som parterna driver gemensamt (seed 003)."),
    ("Samordningsteam Hallstahammar", IND, ORD, "samordningsteam-hallstahammar",
     [FK, AF, REGION, "Hallstahammars kommun"], None,
     "Samordnad individinsats. Styrelsen beviljade 2024 medel för metodutveckling av Supported "
     "employment via utökad tjänstgöring för arbetsförmedlaren under hösten 2024 (seed 003)."),
    ("Samordningsteam Västerås", IND, ORD, "samordningsteam-vasteras",
     [FK, AF, REGION, "Västerås stad"], None, "Samordnad individinsats (seed 003)."),
    ("Samordningsteamet FNS", IND, ORD, "samordningsteam-fns",
     [FK, AF, REGION, "Fagersta kommun", "Norbergs kommun", "Skinnskattebergs kommun"], None,
     "Samordningsteamet Fagersta inklusive Norberg och Skinnskatteberg (seed 003)."),
    ("Samordningsteam Sala", IND, ORD, "samordningsteam-sala",
     [FK, AF, REGION, "Sala kommun"], "Sala kommun",
     "Samordnad individinsats. Personal från Sala kommun (socialkonsulenter) och "
     "Arbetsförmedlingen; resultaten för deltagarna har under lång tid varit mycket goda (seed 004)."),
    ("Teamsamverkan Västra Mälardalen", IND, ORD, "teamsamverkan-vastra-malardalen",
     [FK, AF, REGION, *VMD], None, "Samordnad individinsats i Arboga, Köping och Kungsör (seed 003)."),
    ("Kurator Samordningsteam", IND, ORD, "kurator-samordningsteam",
     [FK, AF, REGION, *ALL_MUNICIPALITIES], None, "Kuratorsstöd till samordningsteamen (seed 003, budgetraden)."),
    ("MGT Västerås", STR, PROJ, "mgt-vasteras",
     [FK, AF, REGION, "Västerås stad"], None,
     "Rådgivande myndighetsgemensamt team: kartläggning och rådgivande planering av den fortsatta "
     "rehabiliteringen mot arbete för individer med komplexa behov. Startade 2023 via "
     "Samordningsförbundet Västerås (seed 003)."),
    ("SIP-utvecklare Västra Mälardalen", STR, PROJ, "sip-utvecklare",
     [REGION, *VMD], None,
     "Projekt för fler och bättre samordnade individuella planer (SIP), i första hand för personer "
     "16–29 år; projektets sista år 2024 (seed 003)."),
    ("Rehabkoordinatorer i samverkan", STR, PROJ, "rehabkoordinatorer",
     [REGION, *ALL_MUNICIPALITIES], None,
     "Kontakt och samarbetsrutiner mellan länets kommuner och de lokala vårdcentralerna (seed 003)."),
]
INDIVIDUAL_TEAMS = [row[0] for row in INTERVENTIONS[:6]]

# ILLUSTRATIVE follow-up (see the module docstring): per team, per period
# (enrolled at start, new, closed, steps towards work, steps towards studies, closed to work or studies %).
PERIODS = [(D(2023, 9, 1), D(2023, 12, 31)), (D(2024, 1, 1), D(2024, 4, 30)), (D(2024, 5, 1), D(2024, 8, 31))]
FIGURES: dict[str, list[tuple[int, int, int, int, int, int]]] = {
    "Samordningsteam Surahammar": [(22, 8, 6, 9, 3, 33), (24, 9, 7, 11, 4, 43), (26, 7, 8, 12, 4, 50)],
    "Samordningsteam Hallstahammar": [(25, 9, 8, 10, 4, 38), (26, 10, 9, 14, 5, 44), (27, 8, 9, 16, 4, 56)],
    "Samordningsteam Västerås": [(95, 30, 28, 44, 14, 39), (97, 34, 30, 52, 18, 47), (101, 29, 33, 60, 17, 52)],
    "Samordningsteamet FNS": [(30, 10, 9, 12, 5, 33), (31, 9, 10, 13, 5, 40), (30, 6, 9, 12, 4, 44)],
    "Samordningsteam Sala": [(34, 11, 10, 20, 6, 50), (35, 12, 11, 24, 7, 55), (36, 10, 12, 27, 6, 58)],
    "Teamsamverkan Västra Mälardalen": [(33, 10, 9, 13, 5, 33), (34, 11, 10, 16, 6, 40), (35, 9, 11, 18, 5, 45)],
}
STEP_INDICATOR = "Andel deltagare med stegförflyttning mot arbete eller studier"
CLOSED_INDICATOR = "Andel avslutade till arbete eller studier"

SALA_RECEIVED, SALA_ASKED, SALA_GRANTED = D(2023, 9, 25), Decimal("147424"), Decimal("120000")
SALA_REASON = (
    "Personalkostnaden för kommunens och Arbetsförmedlingens personal har blivit högre än "
    "budgeterat, och övriga kostnader (bilhyra, telefoner, livsmedel, datalicenser och "
    "kontorsmaterial) har ökat mer än budget. Utan täckning skulle en av två socialkonsulenter "
    "behöva arbeta med annat resten av året, verksamheten inte kunna ha öppet som tidigare, "
    "pågående deltagare avslutas och nya inte tas in (seed 004, NVSam § 56)."
)


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
    from finance.models import Budget, BudgetGroup

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
    from minutes.models import Paragraph

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
        from board.audit import save_with_actor

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
    from minutes.models import Paragraph

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
        action_item_update(item=nns, due_date=D(2023, 11, 24), actor=actor)
    return created


def load(*, stdout: TextIO) -> None:
    from finance.models import BudgetLine

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
