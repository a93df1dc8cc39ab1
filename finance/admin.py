"""Admin for what has no page of its own yet: allocations, population keys, equity, settings.

Budgets, versions, outcomes and forecasts are changed through their pages and services (which
keep the rules: adopted versions are not edited, forecasts are only added); here they are
read-only so the admin cannot bypass those rules.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Budget,
    BudgetVersion,
    ContributionKey,
    Equity,
    FinanceSettings,
    ForecastEntry,
    StateAllocation,
)


@admin.register(StateAllocation)
class StateAllocationAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "year", "amount", "nns_fee_per_mille", "nns_fee_proposed_per_mille"]
    list_filter = ["organisation"]


@admin.register(ContributionKey)
class ContributionKeyAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "year", "member", "population"]
    list_filter = ["organisation", "year"]


@admin.register(Equity)
class EquityAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "year", "amount"]
    list_filter = ["organisation"]


@admin.register(FinanceSettings)
class FinanceSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "deviation_threshold", "individual_target_percent"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "year", "title"]
    list_filter = ["organisation"]


@admin.register(BudgetVersion)
class BudgetVersionAdmin(ReadOnlyAdmin):
    list_display = ["budget", "number", "label", "adopted", "adopted_on"]


@admin.register(ForecastEntry)
class ForecastEntryAdmin(ReadOnlyAdmin):
    list_display = ["line", "amount", "author", "created_at"]
