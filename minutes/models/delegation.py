"""The delegation order (delegationsordning) and the register of delegated decisions.

The association's board delegates matters to its staff: each `DelegationLine` says which
matter, which staff role may decide it, up to which amount and whether the decisions are to
be reported to the board. Every decision taken under delegation is a `DelegationDecision`
recorded against one line (minutes/delegation/services.py refuses one outside the order).

A decision with report duty is reported to the board in a paragraph "Anmälan av
delegationsbeslut" of a meeting (`reported_in`); it counts as reported (`reported_on`) once
that meeting's minutes are justerade. An appealable decision not reported in justerade
minutes may get its own notice on the anslagstavla (`notice`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from board.models import StaffRole


class DelegationLineQuerySet(models.QuerySet):
    def in_force_on(self, day: dt.date) -> DelegationLineQuerySet:
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)))


class DelegationLine(models.Model):
    """One line of the delegation order: who may decide what, up to which amount."""

    organisation = models.ForeignKey(
        "board.Organisation", verbose_name=_("samordningsförbund"), on_delete=models.PROTECT,
        related_name="delegation_lines",
    )
    code = models.CharField(_("nummer"), max_length=20, help_text=_("T.ex. 3.2."))
    matter = models.CharField(_("ärende"), max_length=300)
    delegate_role = models.CharField(_("delegat"), max_length=20, choices=StaffRole.Role.choices)
    max_amount = models.PositiveBigIntegerField(
        _("högsta belopp (kr)"), null=True, blank=True, help_text=_("Lämnas tomt: inget beloppstak."),
    )
    report_duty = models.BooleanField(_("anmäls till styrelsen"), default=True)
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till och med"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    history = HistoricalRecords()

    objects = DelegationLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("punkt i delegationsordningen")
        verbose_name_plural = _("delegationsordning")
        ordering = ["organisation", "code", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="delegationline_valid_to_after_from",
                violation_error_message=_("Slutdatum kan inte vara före startdatum."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "code", "valid_from"], name="delegationline_unique_code",
                violation_error_message=_("Delegationsordningen har redan en punkt med det numret från det datumet."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.matter}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class DelegationDecision(models.Model):
    """A decision taken under delegation, recorded against a line of the order."""

    organisation = models.ForeignKey(
        "board.Organisation", verbose_name=_("samordningsförbund"), on_delete=models.PROTECT,
        related_name="delegation_decisions",
    )
    line = models.ForeignKey(
        DelegationLine, verbose_name=_("punkt i delegationsordningen"), on_delete=models.PROTECT,
        related_name="decisions",
    )
    decided_by = models.ForeignKey(
        "board.Person", verbose_name=_("beslutad av"), on_delete=models.PROTECT, related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrerad av"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_on = models.DateField(_("beslutsdatum"))
    matter = models.CharField(_("ärende"), max_length=300)
    decision = models.TextField(_("beslut"))
    amount = models.PositiveBigIntegerField(_("belopp (kr)"), null=True, blank=True)
    appealable = models.BooleanField(_("kan överklagas"), default=False)
    # The paragraph "Anmälan av delegationsbeslut" the decision is listed in; emptied if the
    # secretary removes that paragraph before the justering.
    reported_in = models.ForeignKey(
        "minutes.Paragraph", verbose_name=_("anmält i paragraf"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="delegation_decisions",
    )
    # The day the minutes with that paragraph were justerade.
    reported_on = models.DateField(_("anmält"), null=True, blank=True)
    notice = models.ForeignKey(
        "minutes.Notice", verbose_name=_("anslag"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="delegation_decisions",
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegationsbeslut")
        verbose_name_plural = _("delegationsbeslut")
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "-decided_on"], name="delegation_org_decided")]

    def __str__(self) -> str:
        return f"{self.decided_on:%Y-%m-%d} {self.matter}"
