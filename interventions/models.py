"""Interventions (insatser): the registry, their funding, supplementary requests, follow-up
and the tasks the board's decisions give.

One source of truth: an intervention's yearly allocation IS a finance budget line
(`InterventionBudgetLine` only links them); budget, outcome and forecast are always computed
by finance.reports, never copied here. A supplementary request (tilläggsäskande) is decided
in a minutes paragraph and changes the budget through a finance revision linked to that
paragraph, so the trail request → § → revision is three foreign keys.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from finance.models import MONEY


class Intervention(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individinriktad", _("Individinriktad")
        STRUCTURAL = "strukturovergripande", _("Strukturövergripande")

    class Form(models.TextChoices):
        PROJECT = "projekt", _("Projekt")
        ORDINARY = "ordinarie", _("Ordinarie verksamhet")

    class Status(models.TextChoices):
        PROPOSED = "foreslagen", _("Föreslagen")
        ONGOING = "pagaende", _("Pågående")
        CLOSED = "avslutad", _("Avslutad")

    organisation = models.ForeignKey(
        "board.Organisation", verbose_name=_("samordningsförbund"), on_delete=models.PROTECT,
        related_name="interventions",
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("inriktning"), max_length=24, choices=Kind.choices)
    form = models.CharField(_("form"), max_length=12, choices=Form.choices, default=Form.ORDINARY)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    start = models.DateField(_("från"), null=True, blank=True)
    end = models.DateField(_("till och med"), null=True, blank=True)
    parties = models.ManyToManyField(
        "board.MemberOrganisation", verbose_name=_("samverkande parter"), related_name="interventions",
        blank=True,
    )
    lead_organisation = models.ForeignKey(
        "board.MemberOrganisation", verbose_name=_("huvudansvarig organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="led_interventions",
    )
    contact_person = models.ForeignKey(
        "board.Person", verbose_name=_("kontaktperson"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="contact_for_interventions",
    )
    description = models.TextField(_("beskrivning"), blank=True)
    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["organisation__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="intervention_unique_name"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="intervention_period_order",
                violation_error_message=_("Slutdatum kan inte vara före startdatum."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("interventions:detail", args=[self.organisation.slug, self.pk])


class SteeringGroupMember(models.Model):
    """A member of the intervention's styrgrupp."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="steering_group")
    person = models.ForeignKey("board.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("roll"), max_length=200, blank=True, help_text=_("T.ex. ordförande, enhetschef AF."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("styrgruppsledamot")
        verbose_name_plural = _("styrgrupp")
        ordering = ["intervention", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "person"], name="steering_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person}{', ' + self.role if self.role else ''}"


class InterventionBudgetLine(models.Model):
    """The intervention's allocation for a year is this finance budget line (one owner per line)."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="funding")
    budget_line = models.OneToOneField(
        "finance.BudgetLine", verbose_name=_("budgetrad"), on_delete=models.PROTECT, related_name="intervention_link"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finansiering")
        verbose_name_plural = _("finansiering")
        ordering = ["intervention", "budget_line__budget__year"]

    def __str__(self) -> str:
        return f"{self.intervention}: {self.budget_line}"


class SupplementaryRequest(models.Model):
    """A tilläggsäskande: more money asked for a year, decided by the board in a paragraph."""

    class Status(models.TextChoices):
        RECEIVED = "inkommen", _("Inkommen")
        ON_AGENDA = "pa_dagordning", _("På dagordning")
        GRANTED = "beviljad", _("Beviljad")
        PARTLY_GRANTED = "delvis_beviljad", _("Delvis beviljad")
        REJECTED = "avslagen", _("Avslagen")

    DECIDED = frozenset({Status.GRANTED, Status.PARTLY_GRANTED, Status.REJECTED})

    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="requests")
    budget_line = models.ForeignKey(
        "finance.BudgetLine", verbose_name=_("budgetrad"), on_delete=models.PROTECT, related_name="+",
        help_text=_("Insatsens budgetrad för året som äskandet gäller."),
    )
    amount = models.DecimalField(
        _("äskat belopp"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reason = models.TextField(_("skäl"))
    received_on = models.DateField(_("inkom"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    agenda_item = models.ForeignKey(
        "minutes.AgendaItem", verbose_name=_("punkt på dagordningen"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # SET_NULL: a proposed paragraph may be deleted from draft minutes; once decided, the
    # revision's link to the paragraph (finance, PROTECT) keeps it from being deleted.
    paragraph = models.ForeignKey(
        "minutes.Paragraph", verbose_name=_("beslutad i"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="supplementary_requests",
    )
    granted_amount = models.DecimalField(
        _("beviljat belopp"), **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    revision = models.ForeignKey(
        "finance.BudgetVersion", verbose_name=_("budgetrevidering"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="supplementary_requests",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tilläggsäskande")
        verbose_name_plural = _("tilläggsäskanden")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(granted_amount__isnull=True) | Q(granted_amount__lte=models.F("amount")),
                name="request_granted_not_above_asked",
                violation_error_message=_("Beviljat belopp kan inte vara större än det äskade."),
            ),
        ]

    def __str__(self) -> str:
        return f"Tilläggsäskande {self.budget_line.budget.year} {self.intervention}"

    @property
    def year(self) -> int:
        return self.budget_line.budget.year

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED


def document_upload_to(instance: InterventionDocument, filename: str) -> str:
    # The stored name is ours, not the uploader's (no collisions, no path tricks).
    return f"insatser/{instance.intervention_id}/{filename}"


class InterventionDocument(models.Model):
    """A document of an intervention or of one of its requests; the type is checked by content."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="documents")
    request = models.ForeignKey(
        SupplementaryRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("titel"), max_length=300)
    file = models.FileField(_("fil"), upload_to=document_upload_to, max_length=300)
    file_type = models.CharField(_("filtyp"), max_length=10)
    original_name = models.CharField(_("ursprungligt filnamn"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("storlek (byte)"), default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokument")
        ordering = ["intervention", "pk"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """An indicator series of one intervention, with its target.

    `steps` indicators are computed from the period's stegförflyttning (share of the period's
    participants with a step towards work or studies); `manual` ones are entered per period.
    """

    class Unit(models.TextChoices):
        PERCENT = "procent", _("Procent")
        COUNT = "antal", _("Antal")

    class Source(models.TextChoices):
        MANUAL = "manuell", _("Anges per period")
        STEPS = "stegforflyttning", _("Beräknas: andel med stegförflyttning")

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("namn"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    source = models.CharField(_("källa"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    target = models.DecimalField(
        _("mål"), max_digits=10, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["intervention", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "name"], name="indicator_unique_name"),
            models.CheckConstraint(
                condition=~Q(unit="procent") | Q(target__lte=100), name="indicator_percent_target_max_100",
                violation_error_message=_("Ett mål i procent kan inte vara över 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FollowUp(models.Model):
    """Participant figures of one period (uppföljning).

    `enrolled` is the number inskrivna when the period starts; during it `new` were added and
    `closed` ended (avslutade). Stegförflyttning counts participants of the period who took a
    step towards work or towards studies.
    """

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="follow_ups")
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till och med"))
    enrolled = models.PositiveIntegerField(_("inskrivna vid periodens början"))
    new = models.PositiveIntegerField(_("nya under perioden"))
    closed = models.PositiveIntegerField(_("avslutade under perioden"))
    steps_work = models.PositiveIntegerField(_("stegförflyttning mot arbete"), default=0)
    steps_studies = models.PositiveIntegerField(_("stegförflyttning mot studier"), default=0)
    comment = models.TextField(_("kommentar"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["intervention", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "period_start"], name="followup_unique_period"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="followup_period_order",
                violation_error_message=_("Periodens slut kan inte vara före dess början."),
            ),
            models.CheckConstraint(
                condition=Q(closed__lte=models.F("enrolled") + models.F("new")),
                name="followup_closed_not_above_participants",
                violation_error_message=_("Avslutade kan inte vara fler än inskrivna och nya tillsammans."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} {self.period_label}"

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    @property
    def participants(self) -> int:
        """Everyone taking part at some time during the period."""
        return self.enrolled + self.new

    @property
    def enrolled_at_end(self) -> int:
        return self.enrolled + self.new - self.closed

    @property
    def steps(self) -> int:
        return self.steps_work + self.steps_studies

    @property
    def step_percent(self) -> Decimal | None:
        if not self.participants:
            return None
        return (Decimal(self.steps) * 100 / self.participants).quantize(Decimal("0.1"))


class IndicatorValue(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("värde"), max_digits=10, decimal_places=1, validators=[MinValueValidator(Decimal("0"))])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikatorvärde")
        verbose_name_plural = _("indikatorvärden")
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "indicator"], name="indicatorvalue_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class InterventionDecision(models.Model):
    """A decision clause of the minutes that concerns an intervention."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="decisions")
    clause = models.ForeignKey("minutes.DecisionClause", on_delete=models.CASCADE, related_name="intervention_links")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beslut om insats")
        verbose_name_plural = _("beslut om insatser")
        constraints = [
            models.UniqueConstraint(fields=["intervention", "clause"], name="interventiondecision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.intervention}: {self.clause}"


class ActionItem(models.Model):
    """A task a decision gives someone ("Styrelsen uppdrar åt förbundschef att …").

    It is followed up at the organ's next meetings ("Uppföljning av uppdrag") until closed.
    """

    class Status(models.TextChoices):
        OPEN = "oppen", _("Öppen")
        IN_PROGRESS = "pagar", _("Pågår")
        DONE = "klar", _("Klar")

    OPEN_STATUSES = frozenset({Status.OPEN, Status.IN_PROGRESS})

    organisation = models.ForeignKey("board.Organisation", on_delete=models.PROTECT, related_name="action_items")
    organ = models.ForeignKey("board.Organ", verbose_name=_("organ"), on_delete=models.PROTECT, related_name="+")
    clause = models.OneToOneField(
        "minutes.DecisionClause", verbose_name=_("beslutssats"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="action_item",
    )
    # A task stands on its decision: deleting the paragraph from draft minutes removes it.
    paragraph = models.ForeignKey(
        "minutes.Paragraph", verbose_name=_("paragraf"), on_delete=models.CASCADE, related_name="action_items"
    )
    intervention = models.ForeignKey(
        Intervention, verbose_name=_("insats"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="action_items",
    )
    text = models.TextField(_("uppdrag"))
    owner_person = models.ForeignKey(
        "board.Person", verbose_name=_("ansvarig person"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    owner_text = models.CharField(_("ansvarig"), max_length=200, blank=True, help_text=_("T.ex. förbundschef."))
    due_date = models.DateField(_("klart senast"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("avslutat"), null=True, blank=True)
    report = models.TextField(_("återrapportering"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["status", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="klar", closed_on__isnull=False) | (~Q(status="klar") & Q(closed_on__isnull=True)),
                name="actionitem_closed_on_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def owner_display(self) -> str:
        if self.owner_person_id and self.owner_text:
            return f"{self.owner_person} ({self.owner_text})"
        return str(self.owner_person) if self.owner_person_id else self.owner_text
