"""The kallelse's föredragningslista and its handlingar.

One position per meeting is kept by the database (deferrable, so a reordering inside one
transaction may pass through duplicates).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Deferrable
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .meetings import Meeting


class AgendaItem(models.Model):
    """A point of the föredragningslista in the kallelse."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("ordning"))
    title = models.CharField(_("rubrik"), max_length=300)
    dnr = models.CharField(_("diarienummer"), max_length=60, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    proposed_decision = models.TextField(_("förslag till beslut"), blank=True)
    presenter = models.CharField(_("föredragande"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("punkt på dagordningen")
        verbose_name_plural = _("punkter på dagordningen")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agendaitem_unique_position",
                deferrable=Deferrable.DEFERRED,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


def document_upload_to(instance: AgendaDocument, filename: str) -> str:
    # The stored name is not the user's: it cannot collide or carry path tricks.
    return f"handlingar/{instance.meeting_id}/{dt.date.today():%Y%m%d}-{filename}"


class AgendaDocument(models.Model):
    """A handling: a document for an agenda item or a paragraph.

    The file is checked by its content in the service (PDF, DOCX, XLSX, ODT). A handling may
    be listed by title only (a paper document, or one kept elsewhere), as in the seeds.
    """

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", "Excel (XLSX)"
        ODT = "odt", "OpenDocument (ODT)"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    paragraph = models.ForeignKey(
        "Paragraph", null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    title = models.CharField(_("titel"), max_length=300)
    file = models.FileField(_("fil"), upload_to=document_upload_to, blank=True, max_length=300)
    file_type = models.CharField(_("filtyp"), max_length=10, choices=FileType.choices, blank=True)
    original_name = models.CharField(_("ursprungligt filnamn"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("storlek (byte)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Sekretess (OSL): shown and given only to the secretary's side and the organ's members,
    # watermarked with the reader's name, every opening logged (minutes/drafting/confidential.py).
    confidential = models.BooleanField(_("sekretessmarkerad"), default=False)
    osl_reference = models.CharField(_("sekretessgrund (OSL)"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handling")
        verbose_name_plural = _("handlingar")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        """The name a reader's copy goes by: the uploaded file's, else the stored one's."""
        return self.original_name or (self.file.name or "").rsplit("/", 1)[-1]


class DocumentOpen(models.Model):
    """One opening of a confidential handling: who, when, how. Kept for the secretary to see."""

    class How(models.TextChoices):
        DOWNLOAD = "nedladdning", _("nedladdning")
        READ = "lasning", _("läsning i webbläsaren")
        BUNDLE = "zip", _("i ZIP med alla handlingar")

    document = models.ForeignKey(AgendaDocument, on_delete=models.CASCADE, related_name="opens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reader = models.CharField(_("läsare"), max_length=300)
    how = models.CharField(_("hur"), max_length=20, choices=How.choices)
    opened_at = models.DateTimeField(_("öppnad"), auto_now_add=True)

    class Meta:
        verbose_name = _("öppning av sekretessmarkerad handling")
        verbose_name_plural = _("öppningar av sekretessmarkerade handlingar")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reader} {self.opened_at:%Y-%m-%d %H:%M}"
