"""The numbered paragraphs of the minutes and what each decides.

Each paragraph has its decision clauses, reservations, notes and jäv here, and its votes in
`votes`. Other apps link to `Paragraph` (finance, interventions).

Rules that must hold even if a service is bypassed live in the database: one number per
organ and year (deferrable, so a renumbering inside one transaction may pass through
duplicates), one position per meeting.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Deferrable, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .agenda import AgendaItem
from .meetings import Meeting


def paragraph_label(prefix: str, number: int) -> str:
    """ "NVSam § 54" or "§ 25"."""
    return f"{prefix} § {number}".strip()


class Paragraph(models.Model):
    """A numbered § of the minutes.

    `organ` and `year` repeat the meeting's so the database itself can keep the number unique
    per organ and year. `prefix` is a snapshot of the association's prefix when the paragraph
    was created (an association may change or lose its prefix later; the minutes may not).
    `version` is bumped on every save through the service; a save that brings an older version
    is refused (optimistic locking in the editor).
    """

    class Kind(models.TextChoices):
        ORDINARY = "", _("Ärende")
        ADJUSTERS = "val_av_justerare", _("Val av justerare")
        AGENDA = "dagordning", _("Godkännande av dagordning")
        PREVIOUS = "foregaende_protokoll", _("Föregående protokoll")
        OTHER = "ovriga_fragor", _("Övriga frågor")
        CLOSING = "avslutande", _("Mötets avslutande")

    class StockDecision(models.TextChoices):
        NONE = "", _("Inget standardbeslut")
        NOTED = "noterar", _("Styrelsen noterar informationen.")
        NO_DECISION = "inget_beslut", _("Ärendet föranleder inget beslut.")
        FILED = "till_handlingarna", _("Att godkänna informationen och lägga den till handlingarna.")
        AGENDA_APPROVED = "dagordning", _("Föreslagen dagordning fastställs.")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="paragraphs")
    organ = models.ForeignKey("board.Organ", on_delete=models.PROTECT, related_name="paragraphs")
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveIntegerField(_("nummer"))
    prefix = models.CharField(_("prefix"), max_length=20, blank=True)
    position = models.PositiveIntegerField(_("ordning"))
    kind = models.CharField(_("slag"), max_length=30, choices=Kind.choices, blank=True, default="")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="paragraphs"
    )
    title = models.CharField(_("rubrik"), max_length=300)
    dnr = models.CharField(_("diarienummer"), max_length=60, blank=True)
    handled_at = models.TimeField(
        _("behandlades kl"),
        null=True,
        blank=True,
        help_text=_("Behövs för beslutförheten när någon var närvarande bara en del av tiden."),
    )
    body = models.TextField(
        _("text"), blank=True,
        help_text=_("HTML: stycken, fetstil, kursiv, listor, länkar och tabeller; sanerad vid varje sparning."),
    )
    stock_decision = models.CharField(
        _("standardbeslut"), max_length=30, choices=StockDecision.choices, blank=True, default=""
    )
    is_confidential = models.BooleanField(_("sekretess"), default=False)
    osl_reference = models.CharField(
        _("sekretess enligt OSL"), max_length=100, blank=True, help_text=_("T.ex. 21 kap. 1 § OSL.")
    )
    immediate_justering = models.BooleanField(_("omedelbar justering (OJ)"), default=False)
    exp_till = models.CharField(_("Exp. till"), max_length=500, blank=True)
    kopia_till = models.CharField(_("Kopia till"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paragraf")
        verbose_name_plural = _("paragrafer")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "year", "number"],
                name="paragraph_unique_number",
                deferrable=Deferrable.DEFERRED,
                violation_error_message=_("Paragrafnumret används redan i år."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="paragraph_unique_position",
                deferrable=Deferrable.DEFERRED,
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="paragraph_number_positive"),
            models.CheckConstraint(
                condition=Q(is_confidential=False) | ~Q(osl_reference=""),
                name="paragraph_confidential_needs_osl",
                violation_error_message=_("Ange sekretessbestämmelse (OSL) för en paragraf med sekretess."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("minutes:editor", args=[self.meeting_id]) + f"#p{self.pk}"

    @property
    def label(self) -> str:
        return paragraph_label(self.prefix, self.number)

    @property
    def decision_lines(self) -> list[str]:
        """The "Att …" clauses, or the stock decision; uses prefetched clauses when there are."""
        clauses = [c.text for c in self.clauses.all()]
        if clauses:
            return clauses
        return [self.get_stock_decision_display()] if self.stock_decision else []


class DecisionClause(models.Model):
    """One "Att …" clause of a paragraph's decision."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveIntegerField(_("ordning"))
    text = models.TextField(_("beslutssats"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beslutssats")
        verbose_name_plural = _("beslutssatser")
        ordering = ["paragraph", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "position"],
                name="clause_unique_position",
                deferrable=Deferrable.DEFERRED,
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Recusal(models.Model):
    """Jäv: the person takes no part in the paragraph (and the minutes say so)."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="recusals")
    person = models.ForeignKey("board.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("skäl"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jäv")
        verbose_name_plural = _("jäv")
        ordering = ["paragraph", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "person"], name="recusal_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} deltar inte i {self.paragraph.label}"


class Reservation(models.Model):
    """A reservation (dissent) against the decision, with its written motivation."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="reservations")
    person = models.ForeignKey("board.Person", on_delete=models.PROTECT, related_name="+")
    motivation = models.TextField(_("motivering"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservationer")
        ordering = ["paragraph", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "person"], name="reservation_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} reserverar sig"


class ProtocolNote(models.Model):
    """A protokollsanteckning, by a member or without a named author."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="notes")
    person = models.ForeignKey(
        "board.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("anteckning"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("protokollsanteckning")
        verbose_name_plural = _("protokollsanteckningar")
        ordering = ["paragraph", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
