"""Everything that changes interventions, their requests, follow-up and action items.

Views, the API and the demo loader call these. Each runs in one transaction, records the
acting user in the history (`save_with_actor`) and, where the act matters, an AuditEvent.
Minutes and budgets are changed only through the minutes' and finance's own services.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from board.audit import acting_user, event_record, save_with_actor
from board.formatting import format_kr
from board.models import MemberOrganisation, Organisation, Person, StaffRole
from board.selectors import family_ids
from finance.models import BudgetAmount, BudgetLine, BudgetVersion
from finance.services.budgets import budget_revise
from minutes import services as minutes_services
from minutes.models import AgendaItem, DecisionClause, Meeting, Paragraph

from .models import (
    ActionItem,
    FollowUp,
    Indicator,
    IndicatorValue,
    Intervention,
    InterventionBudgetLine,
    InterventionDecision,
    InterventionDocument,
    SteeringGroupMember,
    SupplementaryRequest,
)

FOLLOW_UP_TITLE = "Uppföljning av uppdrag"


# --- the parties rule (Finsam 7 §) ----------------------------------------------------------


def party_count(parties: Iterable[MemberOrganisation]) -> int:
    """Parties as the law counts them: FK, AF, the region, and the municipalities together as one."""
    keys = set()
    for member in parties:
        keys.add("kommunerna" if member.kind == MemberOrganisation.Kind.MUNICIPALITY else f"{member.kind}:{member.pk}")
    return len(keys)


PARTIES_MESSAGE = (
    "En insats behöver minst två samverkande parter (7 § lagen om finansiell samordning). "
    "Kommunerna räknas tillsammans som en part: välj också Försäkringskassan, "
    "Arbetsförmedlingen eller regionen."
)


def parties_check(parties: Iterable[MemberOrganisation]) -> None:
    if party_count(parties) < 2:
        raise ValidationError({"parties": PARTIES_MESSAGE})


def _check_members(organisation: Organisation, parties: Sequence[MemberOrganisation], lead: MemberOrganisation | None) -> None:
    allowed = set(
        MemberOrganisation.objects.filter(memberships__organisation_id__in=family_ids(organisation)).values_list(
            "pk", flat=True
        )
    )
    outside = [p.name for p in parties if p.pk not in allowed]
    if outside:
        raise ValidationError({"parties": f"Inte medlem i förbundet: {', '.join(sorted(outside))}."})
    if lead is not None and lead.pk not in {p.pk for p in parties}:
        raise ValidationError({"lead_organisation": "Huvudansvarig organisation ska vara en av parterna."})


# --- registry -------------------------------------------------------------------------------

INTERVENTION_FIELDS = ("name", "kind", "form", "status", "start", "end", "lead_organisation", "contact_person", "description")


@transaction.atomic
def intervention_create(
    *,
    organisation: Organisation,
    name: str,
    kind: str,
    parties: Sequence[MemberOrganisation],
    form: str = Intervention.Form.ORDINARY,
    status: str = Intervention.Status.PROPOSED,
    start: dt.date | None = None,
    end: dt.date | None = None,
    lead_organisation: MemberOrganisation | None = None,
    contact_person: Person | None = None,
    description: str = "",
    actor: Any,
) -> Intervention:
    parties = list(parties)
    parties_check(parties)
    _check_members(organisation, parties, lead_organisation)
    name = (name or "").strip()
    if Intervention.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError({"name": f"Det finns redan en insats som heter {name}."})
    intervention = Intervention(
        organisation=organisation, name=name, kind=kind, form=form, status=status, start=start, end=end,
        lead_organisation=lead_organisation, contact_person=contact_person, description=description,
    )
    save_with_actor(intervention, actor)
    intervention.parties.set(parties)
    event_record(
        verb="intervention.created", actor=actor, organisation=organisation, target=intervention,
        summary=str(intervention), data={"parties": sorted(p.name for p in parties)},
    )
    return intervention


@transaction.atomic
def intervention_update(
    *, intervention: Intervention, actor: Any, parties: Sequence[MemberOrganisation] | None = None, **changes: Any
) -> Intervention:
    intervention = Intervention.objects.select_for_update().select_related("organisation").get(pk=intervention.pk)
    unknown = set(changes) - set(INTERVENTION_FIELDS)
    if unknown:
        raise ValidationError(f"Okända fält: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(intervention, name, value.strip() if name == "name" else value)
    new_parties = list(parties) if parties is not None else list(intervention.parties.all())
    parties_check(new_parties)
    _check_members(intervention.organisation, new_parties, intervention.lead_organisation)
    if Intervention.objects.filter(
        organisation=intervention.organisation, name__iexact=intervention.name
    ).exclude(pk=intervention.pk).exists():
        raise ValidationError({"name": f"Det finns redan en insats som heter {intervention.name}."})
    save_with_actor(intervention, actor)
    if parties is not None and {p.pk for p in new_parties} != set(intervention.parties.values_list("pk", flat=True)):
        intervention.parties.set(new_parties)
        event_record(
            verb="intervention.parties_changed", actor=actor, organisation=intervention.organisation,
            target=intervention, summary=f"Parter i {intervention}: {', '.join(sorted(p.name for p in new_parties))}",
        )
    return intervention


@transaction.atomic
def steering_member_add(*, intervention: Intervention, person: Person, role: str = "", actor: Any) -> SteeringGroupMember:
    if intervention.steering_group.filter(person=person).exists():
        raise ValidationError({"person": f"{person} sitter redan i styrgruppen."})
    member = SteeringGroupMember(intervention=intervention, person=person, role=role.strip())
    save_with_actor(member, actor)
    return member


@transaction.atomic
def steering_member_remove(*, member: SteeringGroupMember, actor: Any) -> None:
    member._history_user = acting_user(actor)  # type: ignore[attr-defined]
    member.delete()


@transaction.atomic
def document_add(
    *, intervention: Intervention, upload: Any, title: str = "", request: SupplementaryRequest | None = None, actor: Any
) -> InterventionDocument:
    """Attach a file, checked by its content with the minutes' own upload check (PDF, DOCX, XLSX, ODT)."""
    if request is not None and request.intervention_id != intervention.pk:
        raise ValidationError({"request": "Äskandet hör till en annan insats."})
    if upload is None:
        raise ValidationError({"file": "Välj en fil."})
    # Reused rather than rewritten: one definition of which files we accept.
    kind, content = minutes_services._validated_upload(upload)
    original = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    stem = slugify(original.rsplit(".", 1)[0])[:80] or "dokument"
    title = (title or "").strip() or original.rsplit(".", 1)[0] or "Dokument"
    document = InterventionDocument(
        intervention=intervention, request=request, title=title[:300], file_type=kind, original_name=original[:255],
        size=len(content), sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=acting_user(actor),
    )
    document.file.save(f"{stem}.{kind}", ContentFile(content), save=False)
    save_with_actor(document, actor)
    return document


# --- funding --------------------------------------------------------------------------------


@transaction.atomic
def funding_link(*, intervention: Intervention, budget_line: BudgetLine, actor: Any) -> InterventionBudgetLine:
    """Say that this budget line is the intervention's allocation for the line's year."""
    line = BudgetLine.objects.select_related("budget").get(pk=budget_line.pk)
    if line.budget.organisation_id not in family_ids(intervention.organisation_id):
        raise ValidationError({"budget_line": "Budgetraden hör till ett annat förbunds budget."})
    existing = InterventionBudgetLine.objects.filter(budget_line=line).select_related("intervention").first()
    if existing is not None:
        if existing.intervention_id == intervention.pk:
            return existing
        raise ValidationError({"budget_line": f"Budgetraden finansierar redan {existing.intervention}."})
    if intervention.funding.filter(
        budget_line__budget__year=line.budget.year, budget_line__budget__organisation=line.budget.organisation_id
    ).exists():
        raise ValidationError({"budget_line": f"Insatsen har redan en budgetrad i budgeten {line.budget.year}."})
    link = InterventionBudgetLine(intervention=intervention, budget_line=line)
    save_with_actor(link, actor)
    return link


def line_amount(line: BudgetLine) -> Decimal:
    """The line's amount in the budget's latest version (what a revision builds on)."""
    version = BudgetVersion.objects.filter(budget_id=line.budget_id).order_by("-number").first()
    if version is None:
        return Decimal(0)
    row = BudgetAmount.objects.filter(version=version, line=line).first()
    return row.amount if row else Decimal(0)


# --- supplementary requests -----------------------------------------------------------------


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


# --- follow-up ------------------------------------------------------------------------------


@transaction.atomic
def indicator_define(
    *,
    intervention: Intervention,
    name: str,
    target: Decimal | int | str,
    unit: str = Indicator.Unit.PERCENT,
    source: str = Indicator.Source.MANUAL,
    actor: Any,
) -> Indicator:
    target = Decimal(target)
    if source == Indicator.Source.STEPS and unit != Indicator.Unit.PERCENT:
        raise ValidationError({"unit": "Andelen med stegförflyttning anges i procent."})
    if unit == Indicator.Unit.PERCENT and not 0 <= target <= 100:
        raise ValidationError({"target": "Ett mål i procent ska ligga mellan 0 och 100."})
    indicator = intervention.indicators.filter(name=name.strip()).first() or Indicator(
        intervention=intervention, name=name.strip(), order=intervention.indicators.count() + 1
    )
    indicator.target, indicator.unit, indicator.source = target, unit, source
    save_with_actor(indicator, actor)
    return indicator


@transaction.atomic
def follow_up_record(
    *,
    intervention: Intervention,
    period_start: dt.date,
    period_end: dt.date,
    enrolled: int,
    new: int,
    closed: int,
    steps_work: int = 0,
    steps_studies: int = 0,
    values: Mapping[Any, Any] | None = None,
    comment: str = "",
    actor: Any,
) -> FollowUp:
    """Record (or correct) the figures of one period; the same period again replaces them."""
    errors: dict[str, str] = {}
    if period_end < period_start:
        errors["period_end"] = "Periodens slut kan inte vara före dess början."
    for name, value in (("enrolled", enrolled), ("new", new), ("closed", closed),
                        ("steps_work", steps_work), ("steps_studies", steps_studies)):
        if value is None or int(value) < 0:
            errors[name] = "Ange ett antal, 0 eller mer."
    if not errors:
        participants = enrolled + new
        if closed > participants:
            errors["closed"] = (
                f"Avslutade ({closed}) kan inte vara fler än inskrivna och nya tillsammans ({participants})."
            )
        if steps_work + steps_studies > participants:
            errors["steps_work"] = (
                f"Stegförflyttningar ({steps_work + steps_studies}) kan inte vara fler än periodens "
                f"deltagare ({participants})."
            )
    overlapping = intervention.follow_ups.filter(
        period_start__lte=period_end, period_end__gte=period_start
    ).exclude(period_start=period_start)
    clash = overlapping.first() if not errors else None
    if clash is not None:
        errors["period_start"] = f"Perioden överlappar en annan uppföljning ({clash.period_label})."
    resolved: list[tuple[Indicator, Decimal]] = []
    indicators = {i.pk: i for i in intervention.indicators.all()}
    by_name = {i.name.casefold(): i for i in indicators.values()}
    for key, raw in (values or {}).items():
        if raw is None or raw == "":
            continue
        indicator = key if isinstance(key, Indicator) else (
            indicators.get(key) if isinstance(key, int) else by_name.get(str(key).strip().casefold())
        )
        if indicator is None or indicator.intervention_id != intervention.pk:
            errors["values"] = f"Okänd indikator: {key}."
            continue
        if indicator.source == Indicator.Source.STEPS:
            errors["values"] = f"{indicator.name} beräknas från stegförflyttningen och anges inte."
            continue
        try:
            number = Decimal(str(raw).replace(",", "."))
        except Exception:
            errors["values"] = f"{indicator.name}: ”{raw}” är inte ett tal."
            continue
        if not number.is_finite() or number < 0 or (indicator.unit == Indicator.Unit.PERCENT and number > 100):
            errors["values"] = f"{indicator.name}: en andel ska ligga mellan 0 och 100 %." if (
                indicator.unit == Indicator.Unit.PERCENT) else f"{indicator.name}: ange 0 eller mer."
            continue
        resolved.append((indicator, number.quantize(Decimal("0.1"))))
    if errors:
        raise ValidationError(errors)
    follow_up = intervention.follow_ups.select_for_update().filter(period_start=period_start).first() or FollowUp(
        intervention=intervention, period_start=period_start
    )
    follow_up.period_end = period_end
    follow_up.enrolled, follow_up.new, follow_up.closed = enrolled, new, closed
    follow_up.steps_work, follow_up.steps_studies = steps_work, steps_studies
    follow_up.comment = comment.strip()
    follow_up.entered_by = acting_user(actor)
    save_with_actor(follow_up, actor)
    for indicator, number in resolved:
        row = IndicatorValue.objects.filter(follow_up=follow_up, indicator=indicator).first() or IndicatorValue(
            follow_up=follow_up, indicator=indicator
        )
        if row.pk is None or row.value != number:
            row.value = number
            save_with_actor(row, actor)
    event_record(
        verb="intervention.follow_up", actor=actor, organisation=intervention.organisation, target=follow_up,
        summary=f"Uppföljning {intervention} {follow_up.period_label}",
    )
    return follow_up


# --- decisions and action items -------------------------------------------------------------

# "Styrelsen uppdrar åt förbundschef att …", "Att uppdra åt ordförande att …",
# "Styrelsen ger förbundschefen i uppdrag att …".
_TASK_PATTERNS = [
    re.compile(r"\buppdra(?:r|s|git)?\s+(?:åt|till)\s+(?P<owner>.+?)\s+att\b", re.IGNORECASE),
    re.compile(r"\bger\s+(?P<owner>.+?)\s+i\s+uppdrag\b", re.IGNORECASE),
    # Passive: "Förbundschefen får i uppdrag att …", "Att presidiet ges i uppdrag att …".
    re.compile(r"^(?:att\s+)?(?P<owner>[^,.;]+?)\s+(?:får|ges)\s+i\s+uppdrag\b", re.IGNORECASE),
]


def task_owner_in(text: str) -> str | None:
    """Who the clause gives a task to ("förbundschef"), or None when it gives none."""
    for pattern in _TASK_PATTERNS:
        match = pattern.search(text or "")
        if match:
            return match.group("owner").strip(" ,.")
    return None


_ROLE_WORDS = {
    "förbundschef": ("staff", StaffRole.Role.DIRECTOR),
    "sekreterare": ("staff", StaffRole.Role.SECRETARY),
    "ekonom": ("staff", StaffRole.Role.ACCOUNTANT),
    "ordförande": ("chair", None),
}


def _owner_person(owner: str, paragraph: Paragraph) -> Person | None:
    """The person holding the named role on the meeting day, when the owner is a role."""
    from board.models import Appointment

    word = owner.casefold().removesuffix("en").removesuffix("n")
    day = paragraph.meeting.date
    for role_word, (kind, role) in _ROLE_WORDS.items():
        if word.startswith(role_word) or role_word.startswith(word):
            if kind == "staff":
                found = StaffRole.objects.active_on(day).filter(
                    organisation_id=paragraph.organ.organisation_id, role=role
                ).select_related("person").first()
                return found.person if found else None
            seat = Appointment.objects.active_on(day).filter(
                organ_id=paragraph.organ_id, role=Appointment.Role.CHAIR
            ).select_related("person").first()
            return seat.person if seat else None
    return None


@transaction.atomic
def decision_link(*, clause: DecisionClause, intervention: Intervention, actor: Any) -> InterventionDecision:
    clause = DecisionClause.objects.select_related("paragraph__organ").get(pk=clause.pk)
    if clause.paragraph.organ.organisation_id not in family_ids(intervention.organisation_id):
        raise ValidationError({"clause": "Beslutet hör till ett annat förbunds protokoll."})
    link = InterventionDecision.objects.filter(clause=clause, intervention=intervention).first()
    if link is None:
        link = InterventionDecision(clause=clause, intervention=intervention)
        save_with_actor(link, actor)
    return link


@transaction.atomic
def action_item_create(
    *,
    paragraph: Paragraph,
    text: str,
    actor: Any,
    clause: DecisionClause | None = None,
    owner_text: str = "",
    owner_person: Person | None = None,
    due_date: dt.date | None = None,
    intervention: Intervention | None = None,
) -> ActionItem:
    paragraph = Paragraph.objects.select_related("organ__organisation", "meeting").get(pk=paragraph.pk)
    if clause is not None and clause.paragraph_id != paragraph.pk:
        raise ValidationError({"clause": "Beslutssatsen hör till en annan paragraf."})
    if intervention is not None and paragraph.organ.organisation_id not in family_ids(intervention.organisation_id):
        raise ValidationError({"intervention": "Insatsen hör till ett annat förbund."})
    if not (text or "").strip():
        raise ValidationError({"text": "Beskriv uppdraget."})
    if not owner_text.strip() and owner_person is None:
        raise ValidationError({"owner_text": "Ange vem som har uppdraget."})
    if due_date is not None and due_date < paragraph.meeting.date:
        raise ValidationError({"due_date": "Uppdraget kan inte vara klart före beslutet."})
    item = ActionItem(
        organisation=paragraph.organ.organisation, organ=paragraph.organ, paragraph=paragraph, clause=clause,
        text=text.strip(), owner_text=owner_text.strip()[:200], owner_person=owner_person, due_date=due_date,
        intervention=intervention,
    )
    save_with_actor(item, actor)
    event_record(
        verb="action_item.created", actor=actor, organisation=item.organisation, target=item,
        summary=f"Uppdrag ({paragraph.label}): {item.text[:200]}",
    )
    return item


@transaction.atomic
def action_items_from_paragraph(
    *, paragraph: Paragraph, actor: Any, intervention: Intervention | None = None, due_date: dt.date | None = None
) -> list[ActionItem]:
    """An action item for every clause of the § that gives someone a task (once per clause)."""
    created = []
    for clause in paragraph.clauses.order_by("position"):
        owner = task_owner_in(clause.text)
        if owner is None or ActionItem.objects.filter(clause=clause).exists():
            continue
        created.append(action_item_create(
            paragraph=paragraph, clause=clause, text=clause.text, owner_text=owner,
            owner_person=_owner_person(owner, paragraph), due_date=due_date, intervention=intervention,
            actor=actor,
        ))
        if intervention is not None:
            decision_link(clause=clause, intervention=intervention, actor=actor)
    return created


@transaction.atomic
def action_item_update(
    *,
    item: ActionItem,
    actor: Any,
    status: str | None = None,
    due_date: dt.date | None | str = "keep",
    report: str | None = None,
    owner_text: str | None = None,
    owner_person: Person | None | str = "keep",
    on: dt.date | None = None,
) -> ActionItem:
    from django.utils import timezone

    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    before = item.status
    if status is not None:
        if status not in ActionItem.Status.values:
            raise ValidationError({"status": "Okänd status."})
        item.status = status
        if status == ActionItem.Status.DONE:
            item.closed_on = item.closed_on or on or timezone.localdate()
        else:
            item.closed_on = None
    if due_date != "keep":
        item.due_date = due_date  # type: ignore[assignment]
    if report is not None:
        item.report = report.strip()
    if owner_text is not None:
        item.owner_text = owner_text.strip()[:200]
    if owner_person != "keep":
        item.owner_person = owner_person  # type: ignore[assignment]
    if not item.owner_text and item.owner_person_id is None:
        raise ValidationError({"owner_text": "Ange vem som har uppdraget."})
    save_with_actor(item, actor)
    if before != item.status:
        event_record(
            verb="action_item.status", actor=actor, organisation=item.organisation, target=item,
            summary=f"Uppdrag {item.pk}: {item.get_status_display()}",
        )
    return item


def _follow_up_text(items: Sequence[ActionItem]) -> str:
    lines = []
    for item in items:
        due = f", klart senast {item.due_date:%Y-%m-%d}" if item.due_date else ""
        lines.append(
            f"- {item.paragraph.label} ({item.paragraph.meeting.date:%Y-%m-%d}): {item.text} "
            f"– ansvarig: {item.owner_display}{due}; status: {item.get_status_display().lower()}"
        )
    return "Öppna uppdrag från tidigare beslut:\n\n" + "\n".join(lines)


@transaction.atomic
def action_items_to_agenda(*, meeting: Meeting, actor: Any) -> AgendaItem | None:
    """Add (or bring up to date) "Uppföljning av uppdrag" on the meeting's agenda.

    It lists the organ's tasks decided before this meeting that are not closed. Run it again
    after a task is closed and the item no longer lists it; with nothing open it is removed.
    """
    from .selectors import open_action_items_for

    meeting = Meeting.objects.select_related("organ").get(pk=meeting.pk)
    items = list(open_action_items_for(meeting))
    existing = meeting.agenda_items.filter(title=FOLLOW_UP_TITLE).first()
    if not items:
        if existing is not None and not existing.paragraphs.exists():
            minutes_services.agenda_item_delete(item=existing, actor=actor)
        return None
    text = _follow_up_text(items)
    proposal = "Att notera återrapporteringen av uppdragen."
    if existing is None:
        return minutes_services.agenda_item_add(
            meeting=meeting, title=FOLLOW_UP_TITLE, description=text, proposed_decision=proposal, actor=actor
        )
    if existing.description != text:
        return minutes_services.agenda_item_update(item=existing, description=text, actor=actor)
    return existing
