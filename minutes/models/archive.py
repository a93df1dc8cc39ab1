"""The yearly archive package (E-ARK SIP / FGS Paketstruktur 2.0) of an association.

One row per order: an association, a calendar year and optionally one organ. The Celery task
(minutes/archive/tasks.py) builds the package and stores it as a ZIP through Django's storage;
the row holds the status köad/bygger/klar/misslyckad, the progress shown on the page, what was
left out and why, and the file's SHA-256 and size. Like a RenderedDocument, a build claims the
row with a lease that it renews while it runs, so a worker that died is taken over by the
sweep and two runs never store two files.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How many times a build is tried before the row stays "misslyckad".
ARCHIVE_MAX_ATTEMPTS = 3


def archive_upload_to(instance: ArchivePackage, filename: str) -> str:
    return f"arkivpaket/{instance.organisation_id}/{instance.year}/{filename}"


class ArchivePackage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "koad", _("köad")
        BUILDING = "bygger", _("bygger")
        DONE = "klar", _("klar")
        FAILED = "misslyckad", _("misslyckad")

    organisation = models.ForeignKey(
        "board.Organisation", on_delete=models.PROTECT, related_name="archive_packages",
        verbose_name=_("samordningsförbund"),
    )
    organ = models.ForeignKey(
        "board.Organ", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("organ"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("klart (procent)"), default=0)
    step = models.CharField(_("steg"), max_length=200, blank=True)
    # The package's identifier (mets/@OBJID and the name of its root folder).
    object_id = models.CharField(_("paketidentitet"), max_length=200, blank=True)
    file = models.FileField(_("fil"), upload_to=archive_upload_to, max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("storlek (byte)"), default=0)
    # [{"what": ..., "why": ...}]: what the year holds that is not in the package, and why.
    left_out = models.JSONField(_("utelämnat"), default=list, blank=True)
    # Counts of what went in: meetings, files, bytes.
    summary = models.JSONField(_("innehåll"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    error = models.TextField(_("fel"), blank=True)
    claimed_by = models.CharField(_("byggs av"), max_length=64, blank=True)
    lease_until = models.DateTimeField(_("hålls till"), null=True, blank=True)
    queued_at = models.DateTimeField(_("köad"), default=timezone.now)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True)

    class Meta:
        verbose_name = _("arkivpaket")
        verbose_name_plural = _("arkivpaket")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="klar") | (Q(file__gt="") & Q(sha256__regex=r"^[0-9a-f]{64}$")),
                name="archive_package_done_has_file",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="archive_package_progress"),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2200), name="archive_package_year"
            ),
        ]

    def __str__(self) -> str:
        organ = f" {self.organ.name}" if self.organ_id and self.organ else ""
        return f"Arkivpaket {self.organisation}{organ} {self.year} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("minutes:archive_package", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_pending(self) -> bool:
        if self.status in (self.Status.QUEUED, self.Status.BUILDING):
            return True
        return self.status == self.Status.FAILED and self.attempts < ARCHIVE_MAX_ATTEMPTS
