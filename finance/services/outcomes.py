"""Outcomes per budget line and reporting date: one at a time, or many rows checked together
(the form, the API and the import from the accounting system all record through outcomes_record)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from board.audit import event_record, save_with_actor
from finance.models import (
    Budget,
    BudgetLine,
    Outcome,
)

from .amounts import money, parse_amount
from .budgets import lines_by_key

# A recording (the import, the API) is a chart of accounts' worth of rows: a förbund's budget
# has tens to a few hundred lines, an export from the accounting system a few hundred accounts.
# More is not an outcome export (a 400,000-row ledger took 103 s to preview), so reading stops
# there and says so.
IMPORT_MAX_ROWS = 1000
IMPORT_MAX_ROWS_TEXT = f"{IMPORT_MAX_ROWS:,}".replace(",", "\u00a0")


def check_date(budget: Budget, date: dt.date) -> None:
    if date.year != budget.year:
        raise ValidationError({"date": f"Datumet {date:%Y-%m-%d} ligger inte i budgetåret {budget.year}."})


def _outcome_upsert(line: BudgetLine, date: dt.date, amount: Decimal, actor: Any) -> Outcome:
    outcome = Outcome.objects.filter(line=line, date=date).first() or Outcome(line=line, date=date)
    outcome.amount = money(amount)
    save_with_actor(outcome, actor)
    return outcome


@transaction.atomic
def outcome_set(*, line: BudgetLine, date: dt.date, amount: Decimal, actor: Any) -> Outcome:
    check_date(line.budget, date)
    return _outcome_upsert(line, date, amount, actor)


@dataclass
class ImportRow:
    number: int  # as the spreadsheet numbers it (the header is row 1)
    raw_line: str
    raw_amount: str
    line: BudgetLine | None = None
    amount: Decimal | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def outcome_rows_check(
    *,
    budget: Budget,
    rows: Iterable[tuple[int, Any, Any, Any]],
    costs_positive: bool = False,
) -> list[ImportRow]:
    """Check (row number, line, amount, year-or-date) rows against the budget.

    Each bad row gets its reasons: unknown line, not a number, duplicate line, wrong year.
    """
    lines = lines_by_key(budget)
    groups = {g.pk: g for g in budget.groups.all()}
    seen: dict[int, int] = {}
    checked: list[ImportRow] = []
    for number, raw_line, raw_amount, raw_year in rows:
        row = ImportRow(number=number, raw_line=cell_text(raw_line), raw_amount=cell_text(raw_amount))
        line = lines.get(row.raw_line.strip().casefold()) if row.raw_line.strip() else None
        if line is None:
            row.errors.append(
                f"Okänd budgetrad ”{row.raw_line}”." if row.raw_line.strip() else "Budgetrad saknas."
            )
        elif line.pk in seen:
            row.errors.append(f"Budgetraden ”{line.name}” finns redan på rad {seen[line.pk]}.")
        else:
            seen[line.pk] = number
        row.line = line
        amount = parse_amount(raw_amount)
        if amount is None:
            row.errors.append(f"”{row.raw_amount}” är inte ett belopp.")
        elif amount.as_tuple().exponent < -2:  # type: ignore[operator]
            row.errors.append(f"”{row.raw_amount}” har fler än två decimaler.")
        else:
            if costs_positive and line is not None and not groups[line.group_id].is_income:
                amount = -amount
            row.amount = amount
        if raw_year is not None and cell_text(raw_year).strip():
            year = _year_of(raw_year)
            if year is None:
                row.errors.append(f"”{cell_text(raw_year)}” är inte ett år eller datum.")
            elif year != budget.year:
                row.errors.append(f"Fel år: {year}, budgeten gäller {budget.year}.")
        checked.append(row)
    return checked


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _year_of(value: Any) -> int | None:
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if 1900 <= value <= 2200 and float(value).is_integer() else None
    match = re.fullmatch(r"\s*(\d{4})(?:-\d{2}(?:-\d{2})?)?\s*", str(value))
    return int(match.group(1)) if match else None


@transaction.atomic
def outcomes_record(
    *,
    budget: Budget,
    date: dt.date,
    rows: Iterable[tuple[int, Any, Any, Any]],
    actor: Any,
    costs_positive: bool = False,
    source: str = "",
) -> list[Outcome]:
    """Record outcomes for many lines at once: all rows are good, or nothing is saved."""
    check_date(budget, date)
    rows = list(rows)
    if len(rows) > IMPORT_MAX_ROWS:  # the API's rows too: one outcome per line, not a ledger
        raise ValidationError({"rows": [f"Högst {IMPORT_MAX_ROWS_TEXT} rader per gång, inte {len(rows)}."]})
    checked = outcome_rows_check(budget=budget, rows=rows, costs_positive=costs_positive)
    errors = [f"Rad {r.number}: {e}" for r in checked for e in r.errors]
    if not checked:
        errors.append("Inga rader att spara.")
    if errors:
        raise ValidationError({"rows": errors})
    saved = [_outcome_upsert(r.line, date, r.amount, actor) for r in checked]  # type: ignore[arg-type]
    event_record(
        verb="finance.outcomes_recorded",
        actor=actor,
        organisation=budget.organisation,
        target=budget,
        summary=f"Utfall per {date:%Y-%m-%d} för {len(saved)} rader{' från ' + source if source else ''}",
        data={"date": date.isoformat(), "lines": len(saved)},
    )
    return saved
