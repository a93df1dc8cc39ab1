"""The register of interventions: the parties rule (Finsam 7 §), creating and changing an
intervention, its steering group and documents, and the budget lines that fund it."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from board.audit import acting_user, event_record, save_with_actor
from board.models import MemberOrganisation, Organisation, Person
from board.selectors import family_ids
from finance.models import BudgetAmount, BudgetLine, BudgetVersion
from interventions.models import (
    Intervention,
    InterventionBudgetLine,
    InterventionDocument,
    SteeringGroupMember,
    SupplementaryRequest,
)
from minutes.drafting.services import validated_upload


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
    kind, content = validated_upload(upload)
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


