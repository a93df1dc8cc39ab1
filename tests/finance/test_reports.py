"""The delårsrapport table is computed from the lines: seed 003 to the krona, seed 002's revision."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from finance.demo import loader as demo
from finance.models import Budget, BudgetAmount, BudgetVersion, ForecastEntry, Outcome
from finance.reports import build_report

pytestmark = pytest.mark.django_db


def _vastmanland() -> Budget:
    demo.load(stdout=io.StringIO())
    return Budget.objects.get(organisation__slug="vastmanland", year=2024)


def test_seed_003_summa_row_comes_out_of_the_computation():
    report = build_report(_vastmanland())
    assert report.outcome_date == dt.date(2024, 8, 31)
    assert report.result.budget == Decimal("-1945000")
    assert report.result.outcome == Decimal("2355335")
    assert report.result.forecast == Decimal("-1703329")
    assert report.result.deviation == Decimal("241671")


def test_seed_003_line_by_line_deviation_and_sign_convention():
    report = build_report(_vastmanland())
    rows = {r.line.code: r for r in report.rows}
    assert len(rows) == 18
    # A lower cost than budgeted gives a positive deviation; a higher one a negative deviation.
    assert rows["samordningsteam-fns"].deviation == Decimal("100000")
    assert rows["styrelse"].deviation == Decimal("-74844")
    assert rows["administration"].deviation == Decimal("116839")
    assert rows["processtod-samverkansinsatser"].deviation == Decimal("-170324")
    assert rows["utvecklingsdagar"].budget == 0 and rows["utvecklingsdagar"].deviation == Decimal("-10000")
    assert rows["medel-huvudmannen"].deviation == 0
    # Highlighted from the association's threshold (50 000 kr in the demo).
    assert rows["samordningsteam-fns"].highlighted
    assert not rows["sip-utvecklare"].highlighted


def test_totals_are_not_stored_a_changed_line_changes_the_summa():
    budget = _vastmanland()
    line = budget.lines.get(code="samordningsteam-fns")
    Outcome.objects.filter(line=line).update(amount=Decimal("-462395"))
    ForecastEntry.objects.create(line=line, amount=Decimal("-1400000"))
    report = build_report(budget)
    assert report.result.outcome == Decimal("2355334")
    assert report.result.forecast == Decimal("-1678329")
    assert report.result.deviation == Decimal("266671")


def test_group_subtotals_and_balance_indicator():
    report = build_report(_vastmanland())
    groups = {g.group.name: g.sums for g in report.groups}
    assert groups["Individinsatser"].budget == Decimal("-13925000")
    assert groups["Strukturpåverkande insatser"].budget == Decimal("-4429323")
    assert report.total_income.budget == Decimal("19038000")
    balance = report.balance
    # Seed 003: individual interventions are "ca 75 %" of intervention funding, the aim 60/40.
    assert balance.individual_percent == Decimal("75.9")
    assert balance.target_percent == Decimal("60")
    assert balance.gap_points == Decimal("15.9")


def test_seed_002_revised_budget_2022_keeps_the_original_side_by_side():
    demo.load(stdout=io.StringIO())
    budget = Budget.objects.get(organisation__slug="vasteras", year=2022)
    versions = list(budget.versions.order_by("number"))
    assert [v.label for v in versions] == ["Budget 2022", "Reviderad budget 2022-06-17"]
    assert versions[1].adopted_on == dt.date(2022, 6, 17)
    report = build_report(budget)
    groups = {g.group.name: g.sums for g in report.groups}
    # The seed's "Summa insatser" 14 294 000 / 14 390 000 and "Summa administrativa kostnader".
    insatser = [groups["Individinsatser"].budgets[i] + groups["Strukturella insatser"].budgets[i] for i in (0, 1)]
    assert insatser == [Decimal("-14294000"), Decimal("-14390000")]
    assert groups["Administrativa kostnader"].budgets == [Decimal("-1752850"), Decimal("-1733000")]
    assert report.total_income.budgets == [Decimal("10996000"), Decimal("10996000")]
    assert report.result.budgets == [Decimal("-5050850"), Decimal("-5127000")]
    # The seed's second table: utfall per 2022-06-10, SUMMA 4 201 625 (costs 4 045 375).
    assert report.outcome_date == dt.date(2022, 6, 10)
    assert report.result.outcome == Decimal("4201625")
    assert report.total_costs.outcome == Decimal("-4045375")
    assert "Almedalen" in versions[1].note


def test_demo_is_idempotent():
    demo.load(stdout=io.StringIO())
    counts = (BudgetVersion.objects.count(), BudgetAmount.objects.count(), ForecastEntry.objects.count(),
              Outcome.objects.count(), BudgetAmount.history.count())
    demo.load(stdout=io.StringIO())
    assert counts == (BudgetVersion.objects.count(), BudgetAmount.objects.count(), ForecastEntry.objects.count(),
                      Outcome.objects.count(), BudgetAmount.history.count())
