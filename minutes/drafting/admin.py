"""Admin for support and inspection; the secretary works in the editor, not here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    DecisionClause,
    Meeting,
    MinutesAdjuster,
    Paragraph,
    ParagraphYear,
    ProtocolNote,
    Recusal,
    Reservation,
    TextModule,
    Vote,
    VoteBallot,
    VoteProposal,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ("person", "appointment", "replacing", "from_paragraph", "until_paragraph")


class AdjusterInline(admin.TabularInline):
    model = MinutesAdjuster
    extra = 0
    raw_id_fields = ("person", "chosen_in")


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ("date", "organ", "kind", "status")
    list_filter = ("status", "kind", "organ__organisation")
    date_hierarchy = "date"
    inlines = [AgendaItemInline, AttendanceInline, AdjusterInline]


@admin.register(ParagraphYear)
class ParagraphYearAdmin(SimpleHistoryAdmin):
    list_display = ("organ", "year", "first_number")
    list_filter = ("year",)


class ClauseInline(admin.TabularInline):
    model = DecisionClause
    extra = 0


class RecusalInline(admin.TabularInline):
    model = Recusal
    extra = 0
    raw_id_fields = ("person",)


class ReservationInline(admin.TabularInline):
    model = Reservation
    extra = 0
    raw_id_fields = ("person",)


class NoteInline(admin.TabularInline):
    model = ProtocolNote
    extra = 0
    raw_id_fields = ("person",)


@admin.register(Paragraph)
class ParagraphAdmin(SimpleHistoryAdmin):
    list_display = ("label", "title", "meeting", "year", "is_confidential")
    list_filter = ("year", "organ__organisation", "is_confidential")
    search_fields = ("title", "dnr", "body")
    # Numbering belongs to the services (gap-free, locked); the admin shows it only.
    readonly_fields = ("organ", "year", "number", "prefix", "position", "version")
    inlines = [ClauseInline, RecusalInline, ReservationInline, NoteInline]


class ProposalInline(admin.TabularInline):
    model = VoteProposal
    extra = 0


class BallotInline(admin.TabularInline):
    model = VoteBallot
    extra = 0
    raw_id_fields = ("person",)


@admin.register(Vote)
class VoteAdmin(SimpleHistoryAdmin):
    list_display = ("paragraph", "kind", "result", "decided_by")
    inlines = [ProposalInline, BallotInline]


@admin.register(AgendaDocument)
class AgendaDocumentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "meeting", "file_type", "size", "uploaded_at")
    readonly_fields = ("file_type", "original_name", "size", "sha256", "uploaded_by")


admin.site.register(Attendance, SimpleHistoryAdmin)
admin.site.register(DecisionClause, SimpleHistoryAdmin)
admin.site.register(MinutesAdjuster, SimpleHistoryAdmin)
admin.site.register(Recusal, SimpleHistoryAdmin)
admin.site.register(Reservation, SimpleHistoryAdmin)
admin.site.register(ProtocolNote, SimpleHistoryAdmin)


@admin.register(TextModule)
class TextModuleAdmin(SimpleHistoryAdmin):
    """Read-only: the secretary keeps them at /forbund/<förbund>/textmoduler/, where the
    service checks the shortcut and sanitises a phrase."""

    list_display = ("name", "shortcut", "kind", "organisation")
    list_filter = ("kind", "organisation")
    search_fields = ("name", "shortcut", "text")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
