"""Everything that changes the delegation order and the register of delegated decisions.

- `delegation_line_add` adds a line to the association's order.
- `delegation_decision_record` records a decision against a line, and refuses one outside the
  order (the line not in force that day, the decider without the line's role, the amount over
  the line's limit, a line of another association), each with its reason in Swedish.

Whether a user may take these steps is checked by the views; a decision's own rules here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from board.audit import acting_user, event_record, save_with_actor
from board.models import Organisation, Person, StaffRole

from ..models import DelegationDecision, DelegationLine


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
