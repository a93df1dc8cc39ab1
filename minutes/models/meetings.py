"""Meetings and the numbering series of their paragraphs.

A meeting of an organ goes from planned through kallad and held to justerat; the justering
builds on `Meeting.status`. Paragraphs are numbered continuously per organ and calendar year
(`ParagraphYear`), with the association's prefix ("NVSam § 54"), as in the seeds (000, 001, 004).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Meeting(models.Model):
    """A sammanträde of an organ (board, interim board, group)."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinarie", _("Ordinarie sammanträde")
        EXTRA = "extra", _("Extra sammanträde")

    class Status(models.TextChoices):
        PLANNED = "planerat", _("Planerat")
        CALLED = "kallat", _("Kallat")
        HELD = "genomfort", _("Genomfört")
        DRAFTING = "protokoll_under_arbete", _("Protokoll under arbete")
        JUSTERING = "under_justering", _("Under justering")
        SIGNED = "justerat", _("Justerat")

    # Statuses in which the minutes may still change. Under justering an edit is allowed
    # but voids the signatures (the justering app listens to `minutes_edited`).
    EDITABLE_STATUSES = frozenset(
        {Status.PLANNED, Status.CALLED, Status.HELD, Status.DRAFTING, Status.JUSTERING}
    )

    organ = models.ForeignKey(
        "board.Organ", verbose_name=_("organ"), on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("starttid"), null=True, blank=True)
    end_time = models.TimeField(_("sluttid"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    is_remote = models.BooleanField(_("digitalt via Teams"), default=False)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.ORDINARY)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    kallelse_message = models.TextField(_("meddelande i kallelsen"), blank=True)
    kallelse_sent_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)
    minutes_started_at = models.DateTimeField(_("protokoll påbörjat"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["-date", "-start_time"]
        indexes = [models.Index(fields=["organ", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gte=models.F("start_time")),
                name="meeting_end_after_start",
                violation_error_message=_("Sluttiden kan inte vara före starttiden."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organ} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("minutes:editor", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def place_display(self) -> str:
        if self.is_remote and self.place:
            return f"{self.place} och digitalt via Teams"
        if self.is_remote:
            return "Digitalt via Teams"
        return self.place


class ParagraphYear(models.Model):
    """The numbering series of an organ in a calendar year, and its lock.

    `first_number` is the number the first paragraph of the year in this system gets, so that
    meetings held before the system was taken into use (§§ 1–24 of 2023) keep their place.
    Adding or moving paragraphs locks this row (SELECT ... FOR UPDATE), which serialises
    numbering per organ and year without locking anything else.
    """

    organ = models.ForeignKey(
        "board.Organ", verbose_name=_("organ"), on_delete=models.CASCADE, related_name="paragraph_years"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    first_number = models.PositiveIntegerField(
        _("första paragrafnummer"),
        default=1,
        help_text=_("Numret på årets första paragraf i systemet (om tidigare paragrafer finns utanför systemet)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paragrafserie")
        verbose_name_plural = _("paragrafserier")
        constraints = [
            models.UniqueConstraint(fields=["organ", "year"], name="paragraphyear_unique"),
            models.CheckConstraint(condition=Q(first_number__gte=1), name="paragraphyear_first_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organ} {self.year} (från § {self.first_number})"
