"""Who was at a meeting, in what role and for which part, and who adjusts the minutes.

Partial presence follows the seeds: a time, a paragraph range, or both. The database keeps
one attendance row per person and meeting and one chair; the justering builds on
`MinutesAdjuster`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .meetings import Meeting
from .paragraphs import Paragraph


class Attendance(models.Model):
    """One person's presence at a meeting.

    Partial presence is either a time ("fr o m kl 09.50") or a paragraph range ("§§ 20–21");
    both may be given. `replacing` is the ledamot a tjänstgörande ersättare stands in for.
    """

    class Role(models.TextChoices):
        MEMBER = "beslutande", _("Beslutande (ledamot)")
        SERVING_SUBSTITUTE = "tjanstgorande_ersattare", _("Tjänstgörande ersättare")
        SUBSTITUTE = "narvarande_ersattare", _("Närvarande ersättare")
        OTHER = "ovrig", _("Övrig deltagare")
        ABSENT = "franvarande", _("Frånvarande")

    class Function(models.TextChoices):
        NONE = "", _("—")
        CHAIR = "ordforande", _("Ordförande")
        VICE_CHAIR = "vice_ordforande", _("Vice ordförande")
        SECRETARY = "sekreterare", _("Sekreterare")

    VOTING_ROLES = frozenset({Role.MEMBER, Role.SERVING_SUBSTITUTE})

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("board.Person", on_delete=models.PROTECT, related_name="attendances")
    appointment = models.ForeignKey(
        "board.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(_("närvaro"), max_length=30, choices=Role.choices)
    function = models.CharField(
        _("funktion vid mötet"), max_length=20, choices=Function.choices, blank=True, default=""
    )
    replacing = models.ForeignKey(
        "board.Person",
        verbose_name=_("tjänstgör för"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role_text = models.CharField(
        _("roll"), max_length=200, blank=True, help_text=_("T.ex. förbundschef, mötessekreterare.")
    )
    affiliation = models.CharField(_("företräder"), max_length=200, blank=True)
    party = models.CharField(_("parti"), max_length=20, blank=True)
    is_remote = models.BooleanField(_("via Teams"), default=False)
    present_from = models.TimeField(_("närvarande fr o m kl"), null=True, blank=True)
    present_until = models.TimeField(_("närvarande t o m kl"), null=True, blank=True)
    from_paragraph = models.ForeignKey(
        Paragraph,
        verbose_name=_("närvarande fr o m §"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    until_paragraph = models.ForeignKey(
        Paragraph,
        verbose_name=_("närvarande t o m §"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique_person"),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(function="ordforande"),
                name="attendance_one_chair",
                violation_error_message=_("Mötet har redan en ordförande."),
            ),
            models.CheckConstraint(
                condition=Q(replacing__isnull=True) | Q(role="tjanstgorande_ersattare"),
                name="attendance_replacing_only_serving",
                violation_error_message=_("Bara en tjänstgörande ersättare ersätter någon."),
            ),
            models.CheckConstraint(
                condition=Q(present_from__isnull=True)
                | Q(present_until__isnull=True)
                | Q(present_until__gte=models.F("present_from")),
                name="attendance_times_order",
                violation_error_message=_("Tiden t o m kan inte vara före tiden fr o m."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    @property
    def is_partial(self) -> bool:
        return bool(
            self.present_from or self.present_until or self.from_paragraph_id or self.until_paragraph_id
        )


class MinutesAdjuster(models.Model):
    """A justerare chosen in "val av justerare": who signs the minutes with the chair."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="adjusters")
    person = models.ForeignKey("board.Person", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("ordning"), default=1)
    chosen_in = models.ForeignKey(
        Paragraph, null=True, blank=True, on_delete=models.SET_NULL, related_name="adjusters_chosen"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("justerare")
        verbose_name_plural = _("justerare")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="adjuster_unique_person"),
        ]

    def __str__(self) -> str:
        return str(self.person)
