"""Services: versions and revisions, the outcome import, the forecast lock, contributions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from board.models import AuditEvent, MemberOrganisation
from finance.contributions import contribution_table, largest_remainder, nns_fee, split
from finance.imports import (
    outcome_import_commit,
    outcome_import_map,
    outcome_import_preview,
    outcome_import_start,
)
from finance.models import BudgetAmount, ForecastEntry, Outcome
from finance.reports import build_report
from finance.services.allocations import contribution_key_set, equity_set, state_allocation_set
from finance.services.budgets import budget_amount_set, budget_revise, budget_version_create
from finance.services.forecasts import ForecastConflict, forecast_update
from tests.finance.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 8, 31)


# --- Versions -------------------------------------------------------------------------------


def test_a_revision_is_a_new_version_and_the_original_stays(budget, director):
    original = budget.versions.get()
    revised = budget_revise(
        budget=budget, label="Reviderad budget", changes={"team-a": "-350 000"},
        adopted_on=dt.date(2024, 6, 1), decision_reference="§ 12", actor=director,
    )
    assert revised.number == 2 and revised.adopted and revised.is_revision
    # Lines the revision does not name carry over; the original is unchanged.
    assert BudgetAmount.objects.get(version=revised, line__code="team-b").amount == Decimal("-200000")
    assert BudgetAmount.objects.get(version=revised, line__code="team-a").amount == Decimal("-350000")
    assert BudgetAmount.objects.get(version=original, line__code="team-a").amount == Decimal("-400000")
    report = build_report(budget)
    assert report.result.budgets == [Decimal("0"), Decimal("50000")]
    assert AuditEvent.objects.filter(verb="budget.revised", target_id=str(revised.pk)).exists()


def test_an_adopted_version_cannot_be_edited(budget, director):
    version = budget.versions.get()
    with pytest.raises(ValidationError, match="En antagen budgetversion ändras inte"):
        budget_amount_set(version=version, line=budget.lines.get(code="mgt"), amount=Decimal(1), actor=director)


def test_a_revision_with_an_unknown_line_saves_nothing(budget, director):
    with pytest.raises(ValidationError, match="Okänd budgetrad: finns-inte") as exc:
        budget_revise(budget=budget, label="R", changes={"team-a": "-1", "finns-inte": "5"},
                               adopted_on=None, actor=director)
    assert "finns-inte" in str(exc.value)
    assert budget.versions.count() == 1


def test_decided_in_must_be_a_paragraph_of_the_same_association(budget, director, other_board):
    from minutes.models import Meeting, Paragraph

    meeting = Meeting.objects.create(organ=other_board.organ, date=dt.date(2024, 6, 1))
    paragraph = Paragraph.objects.create(meeting=meeting, organ=other_board.organ, year=2024, number=1,
                                         position=1, title="Budget")
    with pytest.raises(ValidationError, match="Paragrafen hör till ett annat förbunds"):
        budget_revise(budget=budget, label="R", changes={}, adopted_on=None, decided_in=paragraph,
                               actor=director)


# --- Outcomes and the import ----------------------------------------------------------------


GOOD = [["Budgetrad", "Utfall", "År"], ["medel", "600 000", 2024], ["Samordningsteam A", "-250 000,50", "2024-08-31"],
        ["mgt", -90000, 2024]]


def _import(budget, director, rows, *, xlsx=True, year_column=2):
    if xlsx:
        content, name = xlsx_bytes(rows), "export.xlsx"
    else:
        content = "\n".join(";".join(str(c) for c in row) for row in rows).encode("cp1252")
        name = "export.csv"
    imp = outcome_import_start(budget=budget, filename=name, content=content, date=DAY, actor=director)
    return outcome_import_map(imp=imp, line_column=0, amount_column=1, year_column=year_column,
                                       costs_positive=False, actor=director)


@pytest.mark.parametrize("xlsx", [True, False])
def test_import_preview_then_commit(budget, director, xlsx):
    imp = _import(budget, director, GOOD, xlsx=xlsx)
    preview = outcome_import_preview(imp=imp)
    assert preview.ok and [r.number for r in preview.rows] == [2, 3, 4]
    assert Outcome.objects.count() == 0  # the preview saves nothing
    outcome_import_commit(imp=imp, actor=director)
    saved = dict(Outcome.objects.filter(date=DAY).values_list("line__code", "amount"))
    assert saved == {"medel": Decimal("600000"), "team-a": Decimal("-250000.50"), "mgt": Decimal("-90000")}
    with pytest.raises(ValidationError, match="Importen är redan sparad"):
        outcome_import_commit(imp=imp, actor=director)  # not twice


@pytest.mark.parametrize(
    "bad_row, reason",
    [
        (["finns-inte", "100", 2024], "Okänd budgetrad"),
        (["styrelse", "tusen", 2024], "inte ett belopp"),
        (["medel", "1", 2024], "finns redan på rad 2"),
        (["styrelse", "-100", 2023], "Fel år: 2023"),
    ],
    ids=["unknown-line", "not-a-number", "duplicate-line", "wrong-year"],
)
def test_import_with_a_bad_row_lists_it_and_saves_nothing(budget, director, bad_row, reason):
    imp = _import(budget, director, [*GOOD, bad_row])
    preview = outcome_import_preview(imp=imp)
    assert not preview.ok
    assert len(preview.errors) == 1 and preview.errors[0].startswith("Rad 5:") and reason in preview.errors[0]
    with pytest.raises(ValidationError, match=reason):
        outcome_import_commit(imp=imp, actor=director)
    assert Outcome.objects.count() == 0
    imp.refresh_from_db()
    assert imp.committed_at is None


def test_import_with_every_kind_of_bad_row_lists_all_with_row_numbers(budget, director):
    rows = [*GOOD, ["x", "1", 2024], ["styrelse", "abc", 2024], ["mgt", "5", 2024], ["administration", "1", 2025]]
    preview = outcome_import_preview(imp=_import(budget, director, rows))
    assert [e.split(":")[0] for e in preview.errors] == ["Rad 5", "Rad 6", "Rad 7", "Rad 8"]


def test_import_costs_written_positive_are_turned_negative(budget, director):
    imp = _import(budget, director, [["rad", "belopp"], ["medel", "100"], ["styrelse", "40"]], year_column=None)
    imp = outcome_import_map(imp=imp, line_column=0, amount_column=1, year_column=None,
                                      costs_positive=True, actor=director)
    outcome_import_commit(imp=imp, actor=director)
    assert dict(Outcome.objects.values_list("line__code", "amount")) == {"medel": 100, "styrelse": -40}


def test_import_rejects_a_date_outside_the_budget_year_and_a_broken_file(budget, director):
    with pytest.raises(ValidationError, match="Datumet 2025-01-31 ligger inte i budgetåret"):
        outcome_import_start(budget=budget, filename="a.xlsx", content=xlsx_bytes(GOOD),
                                      date=dt.date(2025, 1, 31), actor=director)
    with pytest.raises(ValidationError, match="Filen kunde inte läsas som Excel"):
        outcome_import_start(budget=budget, filename="a.xlsx", content=b"not a zip", date=DAY, actor=director)


# --- Forecasts ------------------------------------------------------------------------------


def test_forecast_history_is_kept_and_the_latest_counts(budget, director, accountant):
    line = budget.lines.get(code="team-a")
    first = forecast_update(line=line, amount=Decimal(-380_000), comment="Vakans", based_on=None,
                                     actor=director)
    forecast_update(line=line, amount=Decimal(-360_000), comment="Längre vakans", based_on=first.pk,
                             actor=accountant)
    assert list(ForecastEntry.objects.filter(line=line).values_list("amount", flat=True)) == [-360_000, -380_000]
    row = next(r for r in build_report(budget).rows if r.line.code == "team-a")
    assert row.forecast == Decimal("-360000") and row.deviation == Decimal("40000") and row.comment == "Längre vakans"


def test_lost_update_the_later_of_two_simultaneous_updates_is_told_and_nothing_is_lost(budget, director, accountant):
    line = budget.lines.get(code="team-b")
    seen = forecast_update(line=line, amount=Decimal(-200_000), comment="", based_on=None, actor=director)
    # Both open the form showing `seen`; the director saves first.
    forecast_update(line=line, amount=Decimal(-150_000), comment="Chefens", based_on=seen.pk, actor=director)
    with pytest.raises(ForecastConflict) as exc:
        forecast_update(line=line, amount=Decimal(-250_000), comment="Ekonomens", based_on=seen.pk,
                                 actor=accountant)
    assert "-150\u00a0000 kr" in exc.value.messages[0] and exc.value.current.comment == "Chefens"
    assert ForecastEntry.objects.filter(line=line).latest("pk").amount == Decimal("-150000")
    assert ForecastEntry.objects.filter(line=line).count() == 2


# --- Contributions --------------------------------------------------------------------------


def test_largest_remainder_adds_up_exactly():
    assert largest_remainder(10, [Decimal(1)] * 3) == [4, 3, 3]
    assert largest_remainder(100, [Decimal(1), Decimal(1), Decimal(1)]) == [34, 33, 33]
    parts = largest_remainder(4_759_501, [Decimal(p) for p in (14_000, 13_400, 16_500, 8_800, 26_800, 5_700)])
    assert sum(parts) == 4_759_501


def test_contributions_state_half_region_quarter_municipalities_quarter_by_key():
    # An odd allocation: the members' quarters are x,5 kr; rounding must still add up exactly.
    shares = split(allocation=9_519_001, region="Region", municipalities=[("A", 1), ("B", 1), ("C", 1)])
    amounts = [s.amount for s in shares]
    assert sum(amounts) == 2 * 9_519_001
    assert amounts[0] == 9_519_001  # the state half
    assert amounts[1] in (4_759_500, 4_759_501)  # the region's quarter, rounded by one krona at most
    assert sum(amounts[2:]) == 2 * 9_519_001 - 9_519_001 - amounts[1]
    assert max(amounts[2:]) - min(amounts[2:]) <= 1


def test_contribution_table_from_the_year_key_and_nns_fee(org, board, director):
    state_allocation_set(organisation=org, year=2024, amount=Decimal(9_519_000),
                                  nns_fee_proposed_per_mille=Decimal("3.5"), actor=director)
    kommun_a, kommun_b = board.members[3], board.members[4]
    contribution_key_set(organisation=org, year=2024, member=kommun_a, population=150_000, actor=director)
    contribution_key_set(organisation=org, year=2024, member=kommun_b, population=7_777, actor=director)
    table = contribution_table(org.pk, 2024)
    assert table.total == 19_038_000
    assert {s.name: s.amount for s in table.shares if s.kind == MemberOrganisation.Kind.REGION} == {
        "Region (prov)": 4_759_500}
    assert table.municipalities_total == 4_759_500
    # Seed 004: 2 ‰ of 19 038 000 is 38 076 kr ("38 000"), 3,5 ‰ is 66 633 ("66 600").
    assert table.nns_fee == 38_076 and table.nns_fee_proposed == 66_633
    assert nns_fee(19_038_000, Decimal("3.5")) == 66_633


def test_contribution_key_is_only_for_municipalities(org, board, director):
    with pytest.raises(ValidationError, match="Fördelningsnyckeln gäller kommunerna"):
        contribution_key_set(organisation=org, year=2024, member=board.members[2], population=5,
                                      actor=director)


def test_equity_per_year_end(org, director):
    equity_set(organisation=org, year=2023, amount=Decimal("5200000"), actor=director)
    equity_set(organisation=org, year=2023, amount=Decimal("5100000"), actor=director)
    assert org.equity.get(year=2023).amount == Decimal("5100000")
    assert org.equity.get(year=2023).history.count() == 2


def test_two_simultaneous_forecast_updates_one_wins_the_other_is_told(transactional_db, budget, director, accountant):
    """Real concurrency: two threads, two database connections, the same `based_on`."""
    import threading

    from django.db import connection

    line = budget.lines.get(code="mgt")
    seen = forecast_update(line=line, amount=Decimal(-200_000), based_on=None, actor=director)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def update(name: str, user, amount: int) -> None:
        try:
            barrier.wait()
            forecast_update(line=line, amount=Decimal(amount), comment=name, based_on=seen.pk, actor=user)
            results[name] = "saved"
        except ForecastConflict:
            results[name] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=update, args=("chef", director, -150_000)),
               threading.Thread(target=update, args=("ekonom", accountant, -250_000))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results.values()) == ["conflict", "saved"]
    winner = next(name for name, r in results.items() if r == "saved")
    assert ForecastEntry.objects.filter(line=line).count() == 2
    assert ForecastEntry.objects.filter(line=line).latest("pk").comment == winner


def test_selectors_for_other_apps(budget, director):
    from finance.selectors import budget_for, budget_lines, current_amounts

    assert budget_for(budget.organisation, 2024) == budget and budget_for(budget.organisation, 1999) is None
    assert [line.code for line in budget_lines(budget.organisation, 2024)][:2] == ["medel", "styrelse"]
    budget_version_create(budget=budget, label="Utkast", amounts={"mgt": "-1"}, actor=director)
    amounts = current_amounts(budget)  # the draft does not count while an adopted version exists
    assert amounts[budget.lines.get(code="mgt").pk] == Decimal("-200000")


def test_a_draft_revision_is_shown_but_deviation_counts_against_the_adopted_version(budget, director):
    budget_version_create(budget=budget, label="Utkast", amounts={"team-a": "-100000"}, actor=director)
    report = build_report(budget)
    row = next(r for r in report.rows if r.line.code == "team-a")
    assert row.budgets == [Decimal("-400000"), Decimal("-100000")]
    assert row.budget == Decimal("-400000") and row.deviation == 0
    assert report.current_version.label == "Budget 2024"
    assert report.result.budgets == [Decimal("0"), Decimal("300000")] and report.result.deviation == 0
