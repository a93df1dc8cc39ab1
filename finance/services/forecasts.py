"""Forecasts per budget line, with the check that nobody else changed the forecast meanwhile."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from board.audit import acting_user, event_record, save_with_actor
from board.formatting import format_amount
from board.people import display_name
from finance.models import (
    BudgetLine,
    ForecastEntry,
)

from .amounts import money


class ForecastConflict(ValidationError):
    """Someone else updated the forecast after the form was opened."""

    def __init__(self, current: ForecastEntry) -> None:
        who = display_name(current.author) or "Någon"
        when = timezone.localtime(current.created_at).strftime("%Y-%m-%d %H:%M")
        super().__init__(
            {
                "based_on": (
                    f"{who} ändrade prognosen till {format_amount(current.amount)} kr ({when}) medan du "
                    "redigerade. Din ändring är inte sparad: titta på den nya prognosen och spara igen."
                )
            }
        )
        self.current = current


@transaction.atomic
def forecast_update(
    *, line: BudgetLine, amount: Decimal, comment: str = "", based_on: int | None, actor: Any
) -> ForecastEntry:
    """Add a forecast for the line, if the forecast the user saw is still the latest.

    `based_on` is the id of the entry the form showed (None when there was none). The line
    row is locked so two simultaneous updates are serialised; the later one then sees that
    the latest entry has changed and is refused with ForecastConflict, so neither update is
    silently overwritten.
    """
    line = BudgetLine.objects.select_for_update().select_related("budget__organisation").get(pk=line.pk)
    current = ForecastEntry.objects.filter(line=line).select_related("author__person").order_by("-id").first()
    if (current.pk if current else None) != based_on:
        if current is None:
            raise ValidationError({"based_on": "Prognosen du utgick från finns inte längre. Ladda om sidan."})
        raise ForecastConflict(current)
    entry = ForecastEntry(
        line=line,
        amount=money(Decimal(amount)),
        comment=comment.strip(),
        author=acting_user(actor),
    )
    save_with_actor(entry, actor)
    event_record(
        verb="finance.forecast_updated",
        actor=actor,
        organisation=line.budget.organisation,
        target=line,
        summary=f"Prognos {line.name} {line.budget.year}: {format_amount(entry.amount)} kr",
        data={"amount": str(entry.amount), "previous": str(current.amount) if current else None},
    )
    return entry
