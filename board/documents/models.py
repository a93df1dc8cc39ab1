"""The status row of every issued PDF (RenderedDocument): one version of one thing (minutes,
notice, report, ...), its state köad/renderas/klar/misslyckad, its file and SHA-256."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import spec_for

# How many times Celery tries a render before the row stays "misslyckad" (tasks.py).
MAX_ATTEMPTS = 5


def _upload_to(instance: RenderedDocument, filename: str) -> str:
    day = timezone.localdate()
    return f"documents/{instance.kind}/{day:%Y/%m}/{filename}"


class RenderedDocument(models.Model):
    """One issued PDF of one version of one thing (minutes, notice, report, ...)."""

    class Status(models.TextChoices):
        QUEUED = "koad", _("köad")
        RENDERING = "renderas", _("renderas")
        DONE = "klar", _("klar")
        FAILED = "misslyckad", _("misslyckad")

    organisation = models.ForeignKey(
        "board.Organisation", on_delete=models.PROTECT, related_name="documents",
        verbose_name=_("samordningsförbund"),
    )
    kind = models.CharField(_("slag"), max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    file = models.FileField(_("fil"), upload_to=_upload_to, max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(_("storlek (byte)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    error = models.TextField(_("fel"), blank=True)
    # Where a worker that has not imported the producer's module finds it (see _producer_for).
    producer = models.CharField(_("producent"), max_length=200, blank=True)
    # When the row was queued, or last sent again by a sweep (documents_stuck counts from it).
    queued_at = models.DateTimeField(_("köad"), default=timezone.now)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    # The attempt that holds the row while it is "renderas" (its Celery task id), and until
    # when: the attempt renews it while it runs (see the module's docstring).
    claimed_by = models.CharField(_("renderas av"), max_length=64, blank=True)
    lease_until = models.DateTimeField(_("hålls till"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    # What the producer says about the document: "title", and "signers" as a list of
    # {"name", "role", "signed_at" (ISO 8601)}; shown by /verifiera/.
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    # When this version was last asked for: a table changed and changed back asks again for a
    # version that exists, and that one is then the target's current document.
    requested_at = models.DateTimeField(_("senast beställd"), default=timezone.now)
    # False for a working copy (registry.register_producer(issued=False)): /verifiera/ does not
    # vouch for it, and the guard of migration 0014 lets it be deleted with what it copies.
    issued = models.BooleanField(_("utfärdat"), default=True)

    class Meta:
        db_table = "board_rendereddocument"  # the table from before this was an app of its own
        verbose_name = _("utfärdat dokument")
        verbose_name_plural = _("utfärdade dokument")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "version"],
                name="rendered_document_one_per_version",
            ),
            models.CheckConstraint(
                condition=~Q(status="klar") | (Q(file__gt="") & Q(sha256__regex=r"^[0-9a-f]{64}$")),
                name="rendered_document_done_has_file",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    # Set by document_request when the broker could not be reached after commit: the row is
    # queued and a sweep sends it later; the page or API tells the user (not a field).
    broker_unreachable = False

    def __str__(self) -> str:
        return f"{self.kind_label} v{self.version} ({self.get_status_display()})"

    @property
    def kind_label(self) -> str:
        spec = spec_for(self.kind)
        return str(spec.label) if spec and spec.label else self.kind

    @property
    def title(self) -> str:
        return str(self.metadata.get("title") or self.kind_label)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_pending(self) -> bool:
        """Still worth waiting for: queued, rendering, or failed with retries left."""
        if self.status in (self.Status.QUEUED, self.Status.RENDERING):
            return True
        return self.status == self.Status.FAILED and self.attempts < MAX_ATTEMPTS

    @property
    def is_public(self) -> bool:
        spec = spec_for(self.kind)
        return spec.public if spec else False

    @property
    def filename(self) -> str:
        return str(self.metadata.get("filename") or f"{self.kind}-v{self.version}.pdf")

    def get_download_url(self) -> str:
        return reverse("board:document_download", args=[self.pk])

    def get_status_url(self) -> str:
        return reverse("board:document_status", args=[self.pk])


