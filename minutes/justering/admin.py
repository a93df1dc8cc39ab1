"""Admin behaviour of the justering: justerade minutes are read-only, versions and signatures
are shown and never changed. Imported at the end of minutes/admin.py.

Rather than change each ModelAdmin of the minutes, the permission methods of the registered
admins (and their inlines) are wrapped: a row that belongs to a justerat meeting may be viewed,
not changed or deleted. The database triggers refuse such changes anyway (migration 0005);
this makes the admin say so before anyone tries.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import (
    Attendance,
    DecisionClause,
    JusteringComment,
    JusteringDecline,
    Meeting,
    MinutesAdjuster,
    MinutesUnlock,
    MinutesVersion,
    Paragraph,
    ProtocolNote,
    Recusal,
    Reservation,
    Signature,
    Vote,
)

__all__: list[str] = []


def meeting_is_locked(obj: Any) -> bool:
    """Whether `obj` (a meeting or a part of its minutes) belongs to justerade minutes."""
    if obj is None:
        return False
    meeting_id: Any  # an int, or None for a § that is gone (then no meeting matches below)
    if isinstance(obj, Meeting):
        meeting_id = obj.pk
    elif hasattr(obj, "meeting_id"):
        meeting_id = obj.meeting_id
    elif hasattr(obj, "paragraph_id"):
        meeting_id = Paragraph.objects.filter(pk=obj.paragraph_id).values_list("meeting_id", flat=True).first()
    else:
        return False
    return Meeting.objects.filter(pk=meeting_id, status=Meeting.Status.SIGNED).exists()


def _lock(cls: Any) -> None:
    # `cls` is a ModelAdmin or inline class whose methods are replaced here: typed as Any, as
    # mypy allows neither assigning to a method nor the `_justering_locked` marker.
    if getattr(cls, "_justering_locked", False):
        return
    change, delete = cls.has_change_permission, cls.has_delete_permission
    add = cls.has_add_permission

    def has_change_permission(self: Any, request: Any, obj: Any = None) -> bool:
        return not meeting_is_locked(obj) and change(self, request, obj)

    def has_delete_permission(self: Any, request: Any, obj: Any = None) -> bool:
        return not meeting_is_locked(obj) and delete(self, request, obj)

    cls.has_change_permission = has_change_permission
    cls.has_delete_permission = has_delete_permission
    if issubclass(cls, admin.options.InlineModelAdmin):
        # An inline's `obj` is the parent: no new rows under justerade minutes either.
        def has_add_permission(self: Any, request: Any, obj: Any = None) -> bool:
            return not meeting_is_locked(obj) and add(self, request, obj)

        cls.has_add_permission = has_add_permission
    cls._justering_locked = True


for model in (Meeting, Paragraph, Vote, Attendance, DecisionClause, MinutesAdjuster, Recusal, Reservation, ProtocolNote):
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        continue
    _lock(type(model_admin))
    for inline in model_admin.inlines:
        _lock(inline)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Shown, never changed here: versions and signatures are the record of the justering."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(MinutesVersion)
class MinutesVersionAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "number", "status", "created_at", "justered_at")
    list_filter = ("status",)


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ("version", "person", "role", "signed_at")


@admin.register(JusteringComment)
class JusteringCommentAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "paragraph_label", "author_name", "created_at")


@admin.register(JusteringDecline)
class JusteringDeclineAdmin(ReadOnlyAdmin):
    list_display = ("version", "person", "created_at")


@admin.register(MinutesUnlock)
class MinutesUnlockAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "status", "chair", "second", "proposed_at", "confirmed_at")
