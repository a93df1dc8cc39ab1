"""Admin for support and inspection, with history; the office works in the pages, where the
services enforce the rules (the admin does not check the parties rule)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ActionItem,
    FollowUp,
    Indicator,
    Intervention,
    InterventionBudgetLine,
    SteeringGroupMember,
    SupplementaryRequest,
)


class SteeringInline(admin.TabularInline):
    model = SteeringGroupMember
    extra = 0
    raw_id_fields = ["person"]


class FundingInline(admin.TabularInline):
    model = InterventionBudgetLine
    extra = 0
    raw_id_fields = ["budget_line"]


@admin.register(Intervention)
class InterventionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "kind", "form", "status"]
    list_filter = ["organisation", "kind", "status"]
    search_fields = ["name"]
    inlines = [SteeringInline, FundingInline]


@admin.register(SupplementaryRequest)
class SupplementaryRequestAdmin(SimpleHistoryAdmin):
    list_display = ["intervention", "received_on", "amount", "granted_amount", "status"]
    list_filter = ["status"]
    raw_id_fields = ["budget_line", "agenda_item", "paragraph", "revision"]


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    list_display = ["text", "organisation", "owner_text", "due_date", "status"]
    list_filter = ["organisation", "status"]
    raw_id_fields = ["clause", "paragraph", "owner_person", "intervention"]


admin.site.register(FollowUp, SimpleHistoryAdmin)
admin.site.register(Indicator, SimpleHistoryAdmin)
