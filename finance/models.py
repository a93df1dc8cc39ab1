"""Budgets with versions, outcomes (utfall), forecasts (prognos), contributions and equity.

Amounts are signed the way the delårsrapport of seed 003 writes them: income positive, costs
negative. Then every total is a plain sum, and deviation = forecast − budget is positive when
a cost comes out lower (or an income higher) than budgeted.

Nothing here stores a total: subtotals, totals and Resultat are computed by finance.reports
from the lines, so a corrected line can never leave a stale sum behind.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from board.models import MemberOrganisation, Organisation


class _MoneyKwargs(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: _MoneyKwargs = {"max_digits": 14, "decimal_places": 2}


class FinanceSettings(models.Model):
    """Per-association choices for the finance pages."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="finance_settings"
    )
    deviation_threshold = models.DecimalField(
        _("markera avvikelser från (kr)"),
        **MONEY,
        default=Decimal("50000"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Rader vars prognos avviker från budget med minst så här mycket markeras."),
    )
    individual_target_percent = models.DecimalField(
        _("mål för andel individinsatser (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Styrelsens mål för fördelningen mellan individinsatser och strukturella insatser."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ekonomiinställningar")
        verbose_name_plural = _("ekonomiinställningar")

    def __str__(self) -> str:
        return f"Ekonomiinställningar för {self.organisation}"


class Budget(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("år"))
    title = models.CharField(_("rubrik"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgetar")
        ordering = ["organisation__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="budget_unique_year"),
        ]

    def __str__(self) -> str:
        return self.title or f"Budget {self.year}"


class BudgetVersion(models.Model):
    """The original budget (number 1) or a revision; an adopted version is never changed."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    label = models.CharField(_("benämning"), max_length=120)
    adopted = models.BooleanField(_("antagen"), default=False)
    adopted_on = models.DateField(_("antagen den"), null=True, blank=True)
    decided_in = models.ForeignKey(
        "minutes.Paragraph",
        verbose_name=_("beslutad i"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_versions",
    )
    decision_reference = models.CharField(
        _("beslut"), max_length=120, blank=True, help_text=_("T.ex. § 7, när paragrafen inte finns i systemet.")
    )
    note = models.TextField(_("anteckning"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetversion")
        verbose_name_plural = _("budgetversioner")
        ordering = ["budget", "number"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "number"], name="budgetversion_unique_number"),
            models.CheckConstraint(
                condition=Q(adopted=True) | Q(adopted_on__isnull=True),
                name="budgetversion_date_only_when_adopted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget}: {self.label}"

    @property
    def is_revision(self) -> bool:
        return self.number > 1


class BudgetGroup(models.Model):
    class Kind(models.TextChoices):
        INCOME = "intakter", _("Intäkter")
        BOARD = "styrelse", _("Styrelse")
        ADMINISTRATION = "administration", _("Administration")
        INDIVIDUAL = "individ", _("Individinsatser")
        STRUCTURAL = "struktur", _("Strukturpåverkande insatser")

    # Section headings of the delårsrapport table, in the order of seed 003.
    SECTIONS: dict[str, str] = {
        Kind.INCOME: "Intäkter",
        Kind.BOARD: "Administrativa kostnader",
        Kind.ADMINISTRATION: "Administrativa kostnader",
        Kind.INDIVIDUAL: "Direkta insatskostnader",
        Kind.STRUCTURAL: "Direkta insatskostnader",
    }

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("namn"), max_length=120)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetgrupp")
        verbose_name_plural = _("budgetgrupper")
        ordering = ["budget", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "name"], name="budgetgroup_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_income(self) -> bool:
        return self.kind == self.Kind.INCOME


class BudgetLine(models.Model):
    """A line of the budget, stable across versions; outcomes and forecasts hang on it.

    `code` is the stable key an accounting export, the API and other apps (interventions)
    refer to.
    """

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    group = models.ForeignKey(BudgetGroup, on_delete=models.PROTECT, related_name="lines")
    code = models.SlugField(_("kod"), max_length=60)
    name = models.CharField(_("namn"), max_length=200)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")
        ordering = ["budget", "group__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "code"], name="budgetline_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetAmount(models.Model):
    """The amount of one line in one version (a line missing from a version counts as 0)."""

    version = models.ForeignKey(BudgetVersion, on_delete=models.CASCADE, related_name="amounts")
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="amounts")
    amount = models.DecimalField(_("belopp"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetbelopp")
        verbose_name_plural = _("budgetbelopp")
        constraints = [
            models.UniqueConstraint(fields=["version", "line"], name="budgetamount_unique_line"),
        ]

    def __str__(self) -> str:
        return f"{self.line}: {self.amount}"


class Outcome(models.Model):
    """Utfall: the booked amount of a line from 1 January up to a reporting date."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="outcomes")
    date = models.DateField(_("per datum"))
    amount = models.DecimalField(_("utfall"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        ordering = ["line", "date"]
        constraints = [
            models.UniqueConstraint(fields=["line", "date"], name="outcome_unique_date"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.date:%Y-%m-%d}: {self.amount}"


class ForecastEntry(models.Model):
    """One update of a line's full-year forecast. Entries are only added; the latest counts."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="forecasts")
    amount = models.DecimalField(_("prognos"), **MONEY)
    comment = models.TextField(_("kommentar"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prognos")
        verbose_name_plural = _("prognoser")
        ordering = ["line", "-pk"]
        indexes = [models.Index(fields=["line", "-id"], name="forecast_latest_idx")]

    def __str__(self) -> str:
        return f"{self.line}: {self.amount}"


class OutcomeImport(models.Model):
    """An uploaded export from the accounting system, kept from preview to commit."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(_("fil"), max_length=200)
    content = models.BinaryField()
    # The rows as read at upload (finance.imports.read_table), so the preview and the save
    # use them instead of reading the file again at every step.
    table = models.JSONField(null=True, editable=False)
    date = models.DateField(_("utfall per datum"))
    line_column = models.PositiveSmallIntegerField(_("kolumn för budgetrad"), null=True, blank=True)
    amount_column = models.PositiveSmallIntegerField(_("kolumn för belopp"), null=True, blank=True)
    year_column = models.PositiveSmallIntegerField(_("kolumn för år eller datum"), null=True, blank=True)
    costs_positive = models.BooleanField(
        _("kostnader står som positiva belopp"),
        default=False,
        help_text=_("Kryssa i om exporten skriver kostnader utan minustecken."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import av utfall")
        verbose_name_plural = _("importer av utfall")

    def __str__(self) -> str:
        return f"{self.filename} ({self.date:%Y-%m-%d})"


class StateAllocation(models.Model):
    """Medelstilldelning: what the state allocates for a year; the members match it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="state_allocations"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(
        _("statlig medelstilldelning"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    nns_fee_per_mille = models.DecimalField(
        _("serviceavgift NNS (promille)"), max_digits=5, decimal_places=2, default=Decimal("2")
    )
    nns_fee_proposed_per_mille = models.DecimalField(
        _("föreslagen serviceavgift NNS (promille)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medelstilldelning")
        verbose_name_plural = _("medelstilldelningar")
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="allocation_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.amount}"


class ContributionKey(models.Model):
    """The year's key for splitting the municipalities' quarter, e.g. population."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contribution_keys"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    member = models.ForeignKey(MemberOrganisation, on_delete=models.PROTECT, related_name="+")
    population = models.PositiveIntegerField(_("invånare"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fördelningsnyckel")
        verbose_name_plural = _("fördelningsnycklar")
        ordering = ["organisation", "year", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "member"], name="contributionkey_unique_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year}: {self.population}"


class Equity(models.Model):
    """Eget kapital at the end of a year."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="equity")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("eget kapital vid årets slut"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eget kapital")
        verbose_name_plural = _("eget kapital")
        ordering = ["organisation", "year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="equity_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.amount}"
