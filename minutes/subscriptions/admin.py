"""The subscriptions in the back office: a site admin sees them (to answer a person who asks
what is kept about their address) and may delete one, as its unsubscribe link does; nothing is
added or changed here. The mailings of notices are shown, never changed. Imported by
minutes/admin.py."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from board.admin import ReadOnlyAdmin

from ..models import NoticeMailing, Subscription
from .services import subscription_delete

__all__: list[str] = []


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "notices", "meetings", "created_at", "confirmed_at"]
    list_filter = ["notices", "meetings", "organisation"]
    search_fields = ["email"]
    exclude = ["token"]  # the key of the person's links

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: Any, obj: Subscription) -> None:
        subscription_delete(obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for subscription in queryset:
            subscription_delete(subscription)


@admin.register(NoticeMailing)
class NoticeMailingAdmin(ReadOnlyAdmin):
    list_display = ["notice", "status", "mailed", "batches", "created_at", "finished_at"]
    list_filter = ["status"]
