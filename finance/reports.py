"""The delårsrapport table of seed 003, computed from lines, amounts, outcomes and forecasts.

Every subtotal, total and Resultat is summed here, never read from a stored column. The
whole table costs a fixed number of queries whatever the number of lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .models import (
    Budget,
    BudgetAmount,
    BudgetGroup,
    BudgetLine,
    BudgetVersion,
    FinanceSettings,
    ForecastEntry,
    Outcome,
)

ZERO = Decimal("0")


@dataclass
class Row:
    line: BudgetLine
    budgets: list[Decimal]  # one per shown version, oldest first
    outcome: Decimal | None
    forecast: Decimal
    forecast_id: int | None = None  # the line's latest forecast entry, if any
    comment: str = ""  # that entry's comment
    highlighted: bool = False
    current: int = -1  # index of the version deviations are measured against

    @property
    def budget(self) -> Decimal:
        """The amount of the current version: the latest adopted one (a draft does not count)."""
        return self.budgets[self.current]

    @property
    def deviation(self) -> Decimal:
        """Forecast against budget; costs are negative, so a lower cost is positive."""
        return self.forecast - self.budget


@dataclass
class Sums:
    budgets: list[Decimal]
    outcome: Decimal
    forecast: Decimal
    current: int = -1

    @property
    def budget(self) -> Decimal:
        return self.budgets[self.current]

    @property
    def deviation(self) -> Decimal:
        return self.forecast - self.budget


def _sum(rows: list[Row], versions: int, current: int = -1) -> Sums:
    return Sums(
        budgets=[sum((r.budgets[i] for r in rows), ZERO) for i in range(versions)],
        outcome=sum((r.outcome or ZERO for r in rows), ZERO),
        forecast=sum((r.forecast for r in rows), ZERO),
        current=current,
    )


@dataclass
class GroupBlock:
    group: BudgetGroup
    section: str
    rows: list[Row]
    sums: Sums

    @property
    def shows_heading(self) -> bool:
        """Whether the group gets a heading row of its own (page, PDF and Excel alike).

        Not when it would repeat the section ("Intäkter" under INTÄKTER) or the group's only
        line ("Styrelse" with its one line "Styrelse"): the group would appear twice."""
        name = self.group.name.lower()
        if name == self.section.lower():
            return False
        return not (len(self.rows) == 1 and self.rows[0].line.name == self.group.name)


@dataclass
class Report:
    budget: Budget
    versions: list[BudgetVersion]  # shown side by side, oldest first; the last one is current
    outcome_date: dt.date | None
    outcome_dates: list[dt.date]
    groups: list[GroupBlock]
    settings: FinanceSettings
    total_income: Sums = field(init=False)
    total_costs: Sums = field(init=False)
    result: Sums = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.versions) or 1
        income = [r for g in self.groups if g.group.is_income for r in g.rows]
        costs = [r for g in self.groups if not g.group.is_income for r in g.rows]
        self.total_income = _sum(income, n, self.current_index)
        self.total_costs = _sum(costs, n, self.current_index)
        self.result = _sum(income + costs, n, self.current_index)

    @property
    def current_index(self) -> int:
        return current_index(self.versions)

    @property
    def current_version(self) -> BudgetVersion | None:
        return self.versions[self.current_index] if self.versions else None

    @property
    def rows(self) -> list[Row]:
        return [r for g in self.groups for r in g.rows]

    @property
    def comments(self) -> list[Row]:
        return [r for r in self.rows if r.comment]

    def group_sums(self, kind: str) -> Sums:
        n = len(self.versions) or 1
        return _sum([r for g in self.groups if g.group.kind == kind for r in g.rows], n, self.current_index)

    @property
    def balance(self) -> Balance:
        return balance_of(self)


@dataclass
class Balance:
    """Share of intervention funding going to individual interventions, against the target."""

    individual: Decimal
    structural: Decimal
    target_percent: Decimal

    @property
    def total(self) -> Decimal:
        return self.individual + self.structural

    @property
    def individual_percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (self.individual * 100 / self.total).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def structural_percent(self) -> Decimal | None:
        pct = self.individual_percent
        return None if pct is None else Decimal(100) - pct

    @property
    def gap_points(self) -> Decimal | None:
        """Percentage points above the target share for individual interventions."""
        pct = self.individual_percent
        return None if pct is None else pct - self.target_percent

    @property
    def gap_abs(self) -> Decimal | None:
        gap = self.gap_points
        return None if gap is None else abs(gap)


def balance_of(report: Report) -> Balance:
    def amount(kind: str) -> Decimal:
        return -report.group_sums(kind).budget  # costs are negative

    return Balance(
        individual=amount(BudgetGroup.Kind.INDIVIDUAL),
        structural=amount(BudgetGroup.Kind.STRUCTURAL),
        target_percent=report.settings.individual_target_percent,
    )


def current_index(versions: list[BudgetVersion]) -> int:
    """Index of the latest adopted version; the latest version when none is adopted yet."""
    for i in range(len(versions) - 1, -1, -1):
        if versions[i].adopted:
            return i
    return len(versions) - 1 if versions else -1


def settings_for(organisation_id: int) -> FinanceSettings:
    found = FinanceSettings.objects.filter(organisation_id=organisation_id).first()
    return found or FinanceSettings(organisation_id=organisation_id)


def build_report(
    budget: Budget,
    *,
    outcome_date: dt.date | None = None,
    adopted_only: bool = False,
) -> Report:
    """The table for a budget: every version side by side (or only adopted ones for the public).

    Outcomes are those of `outcome_date`, the latest reporting date when not given.
    """
    versions_qs = BudgetVersion.objects.filter(budget=budget).select_related("decided_in").order_by("number")
    if adopted_only:
        versions_qs = versions_qs.filter(adopted=True)
    versions = list(versions_qs)
    version_index = {v.pk: i for i, v in enumerate(versions)}
    n = len(versions) or 1

    groups = list(BudgetGroup.objects.filter(budget=budget).order_by("order", "pk"))
    lines = list(BudgetLine.objects.filter(budget=budget).order_by("order", "pk"))

    amounts: dict[int, list[Decimal]] = {line.pk: [ZERO] * n for line in lines}
    for version_id, line_id, value in BudgetAmount.objects.filter(
        version_id__in=list(version_index)
    ).values_list("version_id", "line_id", "amount"):
        amounts[line_id][version_index[version_id]] = value

    # Without Outcome's ordering (by association, year, group and line): it joined three tables
    # to sort rows nobody reads in order, and made DISTINCT return a date per line.
    of_budget = Outcome.objects.filter(line__budget=budget).order_by()
    outcome_dates = list(of_budget.values_list("date", flat=True).distinct().order_by("date"))
    day = outcome_date or (outcome_dates[-1] if outcome_dates else None)
    outcomes: dict[int, Decimal] = {}
    if day is not None:
        outcomes = dict(of_budget.filter(date=day).values_list("line_id", "amount"))

    # The latest entry per line, in one query (PostgreSQL DISTINCT ON), as the values the table
    # shows: no reader of the report shows who typed it (the line's page and the forecasts API
    # ask for that themselves), and at 300 lines an object per line took 10-12 ms where these
    # values take 3-4 (bench/finance_report.py).
    latest = {
        line_id: (pk, amount, comment)
        for pk, line_id, amount, comment in ForecastEntry.objects.filter(line__budget=budget)
        .order_by("line_id", "-id")
        .distinct("line_id")
        .values_list("pk", "line_id", "amount", "comment")
    }
    settings = settings_for(budget.organisation_id)
    threshold = settings.deviation_threshold

    current = current_index(versions)
    rows_by_group: dict[int, list[Row]] = {g.pk: [] for g in groups}
    for line in lines:
        budgets = amounts[line.pk]
        forecast_id, forecast, comment = latest.get(line.pk, (None, budgets[current], ""))
        row = Row(
            line=line,
            budgets=budgets,
            outcome=outcomes.get(line.pk),
            forecast=forecast,
            forecast_id=forecast_id,
            comment=comment,
            current=current,
        )
        row.highlighted = threshold > 0 and abs(row.deviation) >= threshold
        rows_by_group[line.group_id].append(row)

    blocks = [
        GroupBlock(
            group=g,
            section=BudgetGroup.SECTIONS.get(g.kind, ""),
            rows=rows_by_group[g.pk],
            sums=_sum(rows_by_group[g.pk], n, current),
        )
        for g in groups
    ]
    return Report(
        budget=budget,
        versions=versions,
        outcome_date=day,
        outcome_dates=outcome_dates,
        groups=blocks,
        settings=settings,
    )
