"""Back office: every registry model, with its history (SimpleHistoryAdmin)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from board.models import (
    ApiToken,
    Appointment,
    AuditEvent,
    MemberOrganisation,
    Membership,
    Organ,
    Organisation,
    OutgoingMail,
    PasskeyCredential,
    Person,
    StaffRole,
)

from .documents.models import RenderedDocument


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows only the system writes: readable in the back office, never changed there."""

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["member"]


class OrganInline(admin.TabularInline):
    model = Organ
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "paragraph_prefix", "active_from", "active_until", "successor"]
    search_fields = ["name", "short_name", "org_number"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["notice_responsible"]
    inlines = [MembershipInline, OrganInline]


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["member", "organisation", "start", "end"]
    list_filter = ["organisation"]
    autocomplete_fields = ["member"]


@admin.register(Organ)
class OrganAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "kind", "active_from", "active_until"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name", "organisation__name"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    # The personnummer is shown whole only here (board/identity.py); the list shows it masked.
    list_display = ["last_name", "first_name", "email", "user", "identity_masked"]
    search_fields = ["first_name", "last_name", "email"]
    autocomplete_fields = ["user"]


@admin.register(Appointment)
class AppointmentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "organ", "seat", "role", "appointed_by", "start", "end"]
    list_filter = ["organ__organisation", "seat", "role"]
    search_fields = ["person__first_name", "person__last_name"]
    autocomplete_fields = ["person", "organ", "appointed_by", "substitute_for"]
    list_select_related = ["person", "organ", "appointed_by"]
    date_hierarchy = "start"


@admin.register(StaffRole)
class StaffRoleAdmin(SimpleHistoryAdmin):
    list_display = ["person", "role", "organisation", "start", "end"]
    list_filter = ["organisation", "role"]
    search_fields = ["person__first_name", "person__last_name"]
    autocomplete_fields = ["person"]
    list_select_related = ["person", "organisation"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Append-only: readable in the back office, never changed there."""

    list_display = ["at", "verb", "actor", "organisation", "summary", "ip_address"]
    list_filter = ["verb", "organisation"]
    search_fields = ["summary", "verb"]
    date_hierarchy = "at"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Keys are issued with `manage.py create_api_token`; here they can be seen and revoked."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(ReadOnlyAdmin):
    """Issued PDFs: visible in the back office; only the render task writes them."""

    list_display = ["kind", "organisation", "version", "status", "attempts", "finished_at", "sha256"]
    list_filter = ["kind", "status", "organisation"]
    search_fields = ["sha256", "kind"]
    readonly_fields = [f.name for f in RenderedDocument._meta.fields]


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    """Mail sent by the system (board/mail.py): what, to whom, when and with what result."""

    list_display = ["queued_at", "kind", "recipient", "organisation", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "organisation"]
    search_fields = ["recipient", "recipient_name", "subject"]
    date_hierarchy = "queued_at"
    exclude = ["attachments"]  # base64 of the files; the subject and body say what was sent


@admin.register(PasskeyCredential)
class PasskeyCredentialAdmin(SimpleHistoryAdmin):
    """A user adds a passkey themselves (the account page); the admin sees it and may remove it
    (a lost phone), never add one or change its key."""

    list_display = ["name", "user", "identified_with", "created_at", "last_used_at"]
    list_filter = ["identified_with"]
    search_fields = ["name", "user__username"]
    readonly_fields = ["user", "credential_id", "public_key", "sign_count", "transports", "identified_with",
                       "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
