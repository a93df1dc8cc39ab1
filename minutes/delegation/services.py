"""Everything that changes the delegation order and the register of delegated decisions.

- `delegation_line_add` adds a line to the association's order; `delegation_line_update`
  changes a line no decision was taken under, and only ends one that has decisions (the
  register must keep saying what the order was when they were taken).
- `delegation_decision_record` records a decision against a line, and refuses one outside the
  order (the line not in force that day, the decider without the line's role, the amount over
  the line's limit, a line of another association), each with its reason in Swedish.
- `delegation_report_add` adds the paragraph "Anmälan av delegationsbeslut" to a meeting: the
  decisions with report duty not yet reported become its list.
- `delegation_reported` (at the justering, receivers.py) marks those decisions reported.
- `delegation_notice_post` posts the notice of an appealable decision not reported in
  justerade minutes, up through its last day of appeal (minutes/notices/services.py).

Whether a user may take these steps is checked by the views; a decision's own rules here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from board.audit import acting_user, event_record, save_with_actor
from board.models import Organisation, Person, StaffRole

from ..drafting.services import paragraph_add, paragraph_update
from ..models import DelegationDecision, DelegationLine, Meeting, Notice, Paragraph
from ..notices.services import notice_create

REPORT_TITLE = "Anmälan av delegationsbeslut"
REPORT_CLAUSE = "Att lägga anmälan av delegationsbeslut till handlingarna"


def format_kronor(amount: int | None) -> str:
    """12000 -> "12 000 kr" (a narrow space would not survive every mail client; a plain one)."""
    if amount is None:
        return ""
    return f"{amount:,} kr".replace(",", " ")


@transaction.atomic
def delegation_line_add(
    *,
    organisation: Organisation,
    code: str,
    matter: str,
    delegate_role: str,
    valid_from: dt.date,
    actor: Any,
    max_amount: int | None = None,
    report_duty: bool = True,
    valid_to: dt.date | None = None,
) -> DelegationLine:
    line = DelegationLine(
        organisation=organisation, code=code.strip(), matter=matter.strip(), delegate_role=delegate_role,
        max_amount=max_amount, report_duty=report_duty, valid_from=valid_from, valid_to=valid_to,
    )
    save_with_actor(line, actor)
    event_record(
        verb="delegation.line_added", actor=actor, organisation=organisation, target=line,
        summary=f"Delegationsordningen: {line}",
    )
    return line


LINE_FIELDS = ("code", "matter", "delegate_role", "max_amount", "report_duty", "valid_from", "valid_to")


@transaction.atomic
def delegation_line_update(*, line: DelegationLine, actor: Any, **values: Any) -> DelegationLine:
    """Change a line of the order, or end it (`valid_to`).

    A line with decisions recorded under it keeps what it said: only its end can be set, and
    not before the last of its decisions. To change such a line, end it and add a new one.
    """
    line = DelegationLine.objects.select_for_update().get(pk=line.pk)
    unknown = set(values) - set(LINE_FIELDS)
    if unknown:
        raise ValidationError(f"Okända fält: {', '.join(sorted(unknown))}")
    for text in ("code", "matter"):
        if text in values:
            values[text] = (values[text] or "").strip()
    changed = {name: value for name, value in values.items() if getattr(line, name) != value}
    if not changed:
        return line
    last = line.decisions.order_by("-decided_on").values_list("decided_on", flat=True).first()
    if last is not None:
        fixed = sorted(set(changed) - {"valid_to"})
        if fixed:
            raise ValidationError(dict.fromkeys(fixed, (
                f"Punkt {line.code} har registrerade beslut och kan bara avslutas. Ändra den genom att "
                "avsluta den och lägga till en ny punkt från dagen efter."
            )))
        if changed["valid_to"] is not None and changed["valid_to"] < last:
            raise ValidationError({"valid_to": (
                f"Punkt {line.code} har beslut till och med {last:%Y-%m-%d}; den kan inte upphöra före dess."
            )})
    for name, value in changed.items():
        setattr(line, name, value)
    save_with_actor(line, actor)
    ended = set(changed) == {"valid_to"} and line.valid_to is not None
    event_record(
        verb="delegation.line_ended" if ended else "delegation.line_changed", actor=actor,
        organisation=line.organisation, target=line,
        summary=(f"Delegationsordningen: {line} upphör efter {line.valid_to:%Y-%m-%d}" if ended
                 else f"Delegationsordningen: {line} ändrad ({', '.join(sorted(changed))})")[:300],
    )
    return line


def _person_of(actor: Any) -> Person | None:
    user = acting_user(actor)
    return getattr(user, "person", None) if user is not None else None


def delegate_roles(person: Person | None, organisation: Organisation, day: dt.date) -> set[str]:
    """The staff roles the person holds at the association that day (the delegate roles)."""
    if person is None:
        return set()
    return set(
        StaffRole.objects.active_on(day).filter(person=person, organisation=organisation)
        .values_list("role", flat=True)
    )


def lines_for(person: Person | None, organisation: Organisation, day: dt.date) -> QuerySet[DelegationLine]:
    """The lines in force that day whose delegate role the person holds."""
    return DelegationLine.objects.in_force_on(day).filter(
        organisation=organisation, delegate_role__in=delegate_roles(person, organisation, day),
    )


@transaction.atomic
def delegation_decision_record(
    *,
    organisation: Organisation,
    line: DelegationLine,
    actor: Any,
    decided_on: dt.date,
    matter: str,
    decision: str,
    amount: int | None = None,
    appealable: bool = False,
) -> DelegationDecision:
    """Record a decision the actor took under a line of the order; one outside it is refused."""
    if line.organisation_id != organisation.pk:
        raise ValidationError({"line": "Punkten hör till ett annat förbunds delegationsordning."})
    if not line.in_force_on(decided_on):
        raise ValidationError({"line": (
            f"Punkt {line.code} i delegationsordningen gällde inte {decided_on:%Y-%m-%d}: beslutet "
            "ligger utanför delegationen."
        )})
    person = _person_of(actor)
    if line.delegate_role not in delegate_roles(person, organisation, decided_on):
        raise ValidationError({"line": (
            f"Punkt {line.code} delegerar till {line.get_delegate_role_display().lower()}; du hade inte "
            f"den rollen {decided_on:%Y-%m-%d} och har inte rätt att fatta beslutet."
        )})
    if amount is not None and line.max_amount is not None and amount > line.max_amount:
        raise ValidationError({"amount": (
            f"Beloppet {format_kronor(amount)} är över delegationens gräns på "
            f"{format_kronor(line.max_amount)} (punkt {line.code}): beslutet ska fattas av styrelsen."
        )})
    assert person is not None  # a delegate role needs a person
    record = DelegationDecision(
        organisation=organisation, line=line, decided_by=person, recorded_by=acting_user(actor),
        decided_on=decided_on, matter=matter.strip(), decision=decision.strip(), amount=amount,
        appealable=appealable,
    )
    save_with_actor(record, actor)
    event_record(
        verb="delegation.decision_recorded", actor=actor, organisation=organisation, target=record,
        summary=f"Delegationsbeslut {record.decided_on:%Y-%m-%d} (punkt {line.code}): {record.matter}"[:300],
    )
    return record


def to_report(organisation: Organisation, until: dt.date) -> QuerySet[DelegationDecision]:
    """Decisions with report duty taken on or before `until`, in no report paragraph yet."""
    return (
        DelegationDecision.objects.filter(
            organisation=organisation, line__report_duty=True, reported_in__isnull=True,
            reported_on__isnull=True, decided_on__lte=until,
        )
        .select_related("line", "decided_by")
        .order_by("decided_on", "pk")
    )


def report_body(decisions: list[DelegationDecision]) -> str:
    """The paragraph's text: one list item per decision, everything typed escaped."""
    items = format_html_join(
        "", "<li>{} – punkt {} – {}: {} ({}{}{})</li>",
        (
            (
                f"{d.decided_on:%Y-%m-%d}", d.line.code, d.matter, d.decision, d.decided_by.full_name,
                f", {format_kronor(d.amount)}" if d.amount is not None else "",
                ", kan överklagas" if d.appealable else "",
            )
            for d in decisions
        ),
    )
    return format_html(
        "<p>Följande beslut har fattats med stöd av delegation sedan förra anmälan:</p><ul>{}</ul>", items,
    )


def _before_closing(meeting: Meeting) -> int | None:
    """The position before "Övriga frågor" and "Mötets avslutande" at the end, if there are."""
    closing = {Paragraph.Kind.OTHER, Paragraph.Kind.CLOSING}
    position = None
    for paragraph in meeting.paragraphs.order_by("-position").only("position", "kind"):
        if paragraph.kind not in closing:
            break
        position = paragraph.position
    return position


@transaction.atomic
def delegation_report_add(*, meeting: Meeting, actor: Any) -> Paragraph:
    """Add "Anmälan av delegationsbeslut" to the meeting with the decisions not yet reported.

    Once per meeting: a second click is refused with the paragraph it already has.
    """
    meeting = Meeting.objects.select_for_update().select_related("organ__organisation").get(pk=meeting.pk)
    organisation = meeting.organ.organisation
    existing = Paragraph.objects.filter(meeting=meeting, delegation_decisions__isnull=False).first()
    if existing is not None:
        raise ValidationError(
            f"Sammanträdet har redan en anmälan av delegationsbeslut ({existing.label})."
        )
    if meeting.minutes_started_at is None:
        raise ValidationError(
            "Protokollet är inte påbörjat. Starta protokollet först, så läggs anmälan till som en paragraf."
        )
    decisions = list(to_report(organisation, meeting.date).select_for_update(of=("self",)))
    if not decisions:
        raise ValidationError("Det finns inga delegationsbeslut att anmäla sedan förra anmälan.")
    # The agenda may already have brought the item as a §: the report goes into it, after what
    # the § says (the agenda's description), and nothing is doubled.
    on_agenda = Paragraph.objects.filter(meeting=meeting, title__iexact=REPORT_TITLE).first()
    if on_agenda is not None:
        paragraph = paragraph_update(
            paragraph=on_agenda, expected_version=on_agenda.version, actor=actor,
            body=on_agenda.body + report_body(decisions), clauses=[REPORT_CLAUSE],
        )
    else:
        paragraph = paragraph_add(
            meeting=meeting, title=REPORT_TITLE, actor=actor, body=report_body(decisions), clauses=[REPORT_CLAUSE],
            position=_before_closing(meeting),
        )
    DelegationDecision.objects.filter(pk__in=[d.pk for d in decisions]).update(reported_in=paragraph)
    event_record(
        verb="delegation.report_added", actor=actor, organisation=organisation, target=meeting,
        summary=f"{REPORT_TITLE}: {len(decisions)} beslut i {paragraph.label}",
        data={"decisions": [d.pk for d in decisions]},
    )
    return paragraph


def delegation_reported(*, meeting: Meeting, justered_on: dt.date, actor: Any) -> int:
    """The decisions listed in the meeting's paragraphs count as reported from the justering."""
    count = DelegationDecision.objects.filter(
        reported_in__meeting=meeting, reported_on__isnull=True,
    ).update(reported_on=justered_on)
    if count:
        event_record(
            verb="delegation.reported", actor=actor, organisation=meeting.organ.organisation, target=meeting,
            summary=f"{count} delegationsbeslut anmälda i justerat protokoll {justered_on:%Y-%m-%d}",
        )
    return count


@transaction.atomic
def delegation_notice_post(
    *, decision: DelegationDecision, actor: Any, posted_on: dt.date | None = None
) -> Notice:
    """The notice of an appealable decision not reported in justerade minutes."""
    decision = (
        DelegationDecision.objects.select_for_update(of=("self",))
        .select_related("organisation", "line", "decided_by").get(pk=decision.pk)
    )
    if not decision.appealable:
        raise ValidationError("Beslutet kan inte överklagas och anslås inte.")
    if decision.reported_on is not None:
        raise ValidationError(
            "Beslutet är anmält i justerat protokoll; överklagandetiden räknas från protokollets anslag."
        )
    if decision.notice_id is not None:
        raise ValidationError("Beslutet har redan ett anslag.")
    posted = posted_on or timezone.localdate()
    if posted < decision.decided_on:
        raise ValidationError({"posted_on": "Anslaget kan inte sättas upp före beslutsdagen."})
    lines = [
        f"Beslut fattat med stöd av delegation (punkt {decision.line.code} i delegationsordningen, "
        f"{decision.line.matter}).",
        "",
        f"Beslutsdatum: {decision.decided_on:%Y-%m-%d}",
        f"Beslutsfattare: {decision.decided_by.full_name}",
        f"Ärende: {decision.matter}",
        "",
        f"Beslut: {decision.decision}",
    ]
    if decision.amount is not None:
        lines.append(f"Belopp: {format_kronor(decision.amount)}")
    notice = notice_create(
        organisation=decision.organisation, kind=Notice.Kind.DELEGATION,
        title=f"Delegationsbeslut {decision.decided_on:%Y-%m-%d}: {decision.matter}"[:300],
        body="\n".join(lines), posted_on=posted, actor=actor,
    )
    decision.notice = notice
    save_with_actor(decision, actor)
    return notice
