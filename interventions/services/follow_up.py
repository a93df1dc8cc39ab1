"""Follow-up: the indicators an intervention reports on and each period's values and text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from board.audit import acting_user, event_record, save_with_actor
from interventions.models import FollowUp, Indicator, IndicatorValue, Intervention


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
