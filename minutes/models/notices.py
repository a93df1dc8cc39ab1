"""Notices on the public notice board (anslagstavla) and their attachments.

A notice is up from `posted_on` through `takedown_on` (both inclusive). Whether it is up is
computed from those dates at the moment of the request (`Notice.objects.up_on(day)`): no
flag is flipped by a periodic job, so a stopped beat or worker can never leave a notice up
too long or take it down too early.

For a justering notice `takedown_on` is the last day of appeal (KL 8 kap 12 §: the notice
stays up until the appeal period has run out) and `last_appeal_day` says the same date.
"""

from __future__ import annotations

import datetime as dt
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class NoticeQuerySet(models.QuerySet):
    def up_on(self, day: dt.date) -> Self:
        """Notices on the board that day: posted on or before it, not yet taken down."""
        return self.filter(posted_on__lte=day, takedown_on__gte=day)

    def taken_down_by(self, day: dt.date) -> Self:
        """Notices whose last day on the board is before `day` (the archive)."""
        return self.filter(takedown_on__lt=day)


class Notice(models.Model):
    """An anslag: a justering, a kungörelse, a delegationsbeslut or a free notice."""

    class Kind(models.TextChoices):
        JUSTERING = "justering", _("Justerat protokoll")
        KUNGORELSE = "kungorelse", _("Kungörelse av sammanträde")
        DELEGATION = "delegationsbeslut", _("Delegationsbeslut")
        FREE = "fritt", _("Anslag")

    organisation = models.ForeignKey(
        "board.Organisation", verbose_name=_("samordningsförbund"), on_delete=models.PROTECT,
        related_name="notices",
    )
    organ = models.ForeignKey(
        "board.Organ", verbose_name=_("organ"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="notices",
    )
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=300)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    meeting = models.ForeignKey(
        "minutes.Meeting", verbose_name=_("sammanträde"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="notices",
    )
    paragraphs = models.CharField(_("paragrafer"), max_length=200, blank=True)
    justered_on = models.DateField(_("justerat"), null=True, blank=True)
    posted_on = models.DateField(_("datum för anslags uppsättande"), db_index=True)
    last_appeal_day = models.DateField(_("sista dag för överklagande"), null=True, blank=True)
    takedown_on = models.DateField(_("datum för anslags nedtagande"), db_index=True)
    storage_place = models.CharField(_("förvaringsplats för protokollet"), max_length=200, blank=True)
    # The user whose act posted the notice (for a justering: whoever signed last); the audit
    # trail, never printed.
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrerat av (användare)"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # The person the notice names as responsible ("Ansvarig för anslag" in the seeds), as the
    # name was when posted: the association's named person, else the meeting's secretary, else
    # the poster (minutes/notices.py). Printed by the notice page, the board, the feed, the API,
    # the anslagsbevis and the minutes' ANSLAG/BEVIS block; never rewritten afterwards.
    posted_by_name = models.CharField(_("ansvarig för anslag"), max_length=200, blank=True)
    # Bumped when the dates change, so the anslagsbevis is issued again for the new dates.
    version = models.PositiveIntegerField(_("version"), default=1)
    created = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True, db_index=True)
    history = HistoricalRecords()

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("anslag")
        verbose_name_plural = _("anslag")
        ordering = ["-posted_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-posted_on"], name="notice_org_posted"),
            models.Index(fields=["takedown_on", "posted_on"], name="notice_period"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(takedown_on__gte=models.F("posted_on")),
                name="notice_takedown_after_posting",
                violation_error_message=_("Anslaget kan inte tas ned före den dag det sätts upp."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="justering")
                | (Q(meeting__isnull=False) & Q(last_appeal_day__isnull=False) & Q(justered_on__isnull=False)),
                name="notice_justering_has_meeting",
            ),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(kind="justering"), name="notice_one_justering_per_meeting",
                violation_error_message=_("Protokollet har redan ett anslag."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:notice", args=[self.pk])

    def is_up_on(self, day: dt.date) -> bool:
        return self.posted_on <= day <= self.takedown_on


def notice_attachment_upload_to(instance: NoticeAttachment, filename: str) -> str:
    return f"anslag/{instance.notice_id}/{dt.date.today():%Y%m%d}-{filename}"


class NoticeAttachment(models.Model):
    """A file published with a notice (checked by content in the service: PDF, DOCX, XLSX, ODT)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("titel"), max_length=300)
    file = models.FileField(_("fil"), upload_to=notice_attachment_upload_to, max_length=300)
    file_type = models.CharField(_("filtyp"), max_length=10, blank=True)
    original_name = models.CharField(_("ursprungligt filnamn"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("storlek (byte)"), default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bilaga till anslag")
        verbose_name_plural = _("bilagor till anslag")
        ordering = ["notice", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:notice_attachment", args=[self.notice_id, self.pk])
