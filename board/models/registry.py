"""The registry: associations, their member organisations, organs, people and who sits where.

Every model that holds governance data keeps its history (django-simple-history), so the
"Historik" page of any record shows who changed what and when.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..identity import Level, mask, normalise, validate


class PeriodQuerySet(models.QuerySet):
    """Rows with a `start`/`end` period; `end` is the last day (inclusive) or empty."""

    def active_on(self, day: dt.date) -> PeriodQuerySet:
        return self.filter(Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day)))


def list_of_all_signing_methods() -> list[str]:
    return ["losenord", "bankid", "oidc", "passkey"]


class Organisation(models.Model):
    """A samordningsförbund."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=60, blank=True)
    slug = models.SlugField(_("adress"), max_length=80, unique=True)
    paragraph_prefix = models.CharField(
        _("paragrafprefix"), max_length=20, blank=True, help_text=_("T.ex. NVSam; kan vara tomt.")
    )
    org_number = models.CharField(_("organisationsnummer"), max_length=20, blank=True)
    storage_place = models.CharField(
        _("förvaringsplats för protokoll"), max_length=200, blank=True
    )
    notice_place = models.CharField(
        _("anslagstavla"),
        max_length=200,
        blank=True,
        help_text=_("Var anslag publiceras enligt förbundsordningen."),
    )
    # Seed 000: the interim board's minutes were taken by a secretary from Fagersta kommun,
    # yet its ANSLAG/BEVIS names Ann Rilegård, whom the association had made responsible.
    notice_responsible = models.ForeignKey(
        "Person",
        verbose_name=_("ansvarig för anslag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Den som anslagen och anslagsbevisen anger som ansvarig. Lämnas tomt: sammanträdets "
            "sekreterare för justerade protokoll, annars den som sätter upp anslaget."
        ),
    )
    mandate_years = models.PositiveSmallIntegerField(_("mandattid (år)"), default=4)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("uppgick i"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    active_from = models.DateField(_("verksamt från"), null=True, blank=True)
    active_until = models.DateField(_("verksamt till och med"), null=True, blank=True)
    require_totp = models.BooleanField(
        _("kräv tvåfaktorskod vid justering"), default=False
    )
    budgets_public = models.BooleanField(_("antagna budgetar är offentliga"), default=False)

    # --- the public side: personal data (README, "Personal data on the public side") -------
    contact_email = models.EmailField(
        _("registratorns e-postadress"), blank=True,
        help_text=_("Dit allmänheten skriver för att begära ut handlingar och lämna synpunkter på "
                    "tillgängligheten. Visas på de offentliga sidorna."),
    )

    class Indexing(models.TextChoices):
        APPEAL = "overklagandetid", _("Under överklagandetiden (till sista dag för överklagande)")
        ALWAYS = "alltid", _("Så länge protokollet finns på webben")
        NEVER = "aldrig", _("Aldrig")

    minutes_indexing = models.CharField(
        _("protokoll i sökmotorer"), max_length=20, choices=Indexing.choices, default=Indexing.APPEAL,
        help_text=_("Hur länge sökmotorer får indexera ett justerat protokoll. Därefter går det "
                    "fortfarande att läsa på webben, men sidan och PDF:en säger noindex."),
    )
    minutes_retention_months = models.PositiveSmallIntegerField(
        _("protokoll på webben (månader)"), default=48,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("Hur länge ett justerat protokoll finns på de offentliga sidorna, räknat från "
                    "sammanträdesdagen. Därefter kan det begäras ut som allmän handling."),
    )
    notice_retention_months = models.PositiveSmallIntegerField(
        _("nedtagna anslag på webben (månader)"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("Hur länge ett nedtaget anslag finns kvar i arkivet på webben, räknat från "
                    "nedtagningsdagen."),
    )

    class SigningMethod(models.TextChoices):
        # The families of minutes.justering.signing; a Signature stores the exact method
        # ("oidc-freja"), an association chooses families.
        PASSWORD = "losenord", _("Lösenord och kod (enkel elektronisk underskrift)")
        BANKID = "bankid", _("BankID")
        OIDC = "oidc", _("E-legitimation via OpenID Connect (Freja eID+, Sweden Connect)")
        PASSKEY = "passkey", _("Passkey (nyckel i dator eller telefon)")

    signing_methods = ArrayField(
        models.CharField(max_length=20, choices=SigningMethod.choices),
        verbose_name=_("sätt att skriva under"),
        default=list_of_all_signing_methods,
        blank=True,
        help_text=_("Vilka sätt förbundets justerare får skriva under med."),
    )
    signing_min_level = models.CharField(
        _("lägsta nivå för underskrift"),
        max_length=12,
        choices=Level.choices,
        default=Level.ADVANCED,
        help_text=_(
            "Avancerad: bara e-legitimation (BankID, Freja eID+) eller en passkey som lades upp "
            "efter identifiering med e-legitimation. Enkel: även lösenord och kod."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("samordningsförbund")
        verbose_name_plural = _("samordningsförbund")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="organisation_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("board:organisation", args=[self.slug])

    def is_active_on(self, day: dt.date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_until is None or day <= self.active_until
        )


class MemberOrganisation(models.Model):
    """A huvudman: Försäkringskassan, Arbetsförmedlingen, a region or a municipality."""

    class Kind(models.TextChoices):
        FK = "fk", _("Försäkringskassan")
        AF = "af", _("Arbetsförmedlingen")
        REGION = "region", _("Region")
        MUNICIPALITY = "kommun", _("Kommun")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förbundsmedlem")
        verbose_name_plural = _("förbundsmedlemmar")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A member organisation's membership of one association, for a period."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    member = models.ForeignKey(
        MemberOrganisation, on_delete=models.PROTECT, related_name="memberships"
    )
    start = models.DateField(_("från"))
    end = models.DateField(_("till och med"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        ordering = ["member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "member", "start"], name="membership_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} i {self.organisation}"


class Organ(models.Model):
    """A body that holds meetings: the board, an interim board, a group."""

    class Kind(models.TextChoices):
        BOARD = "styrelse", _("Styrelse")
        INTERIM_BOARD = "interimsstyrelse", _("Interimsstyrelse")
        DEVELOPMENT_GROUP = "utvecklingsgrupp", _("Utvecklingsgrupp")
        STEERING_GROUP = "styrgrupp", _("Styrgrupp")
        OTHER = "annan", _("Annan grupp")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="organs"
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.BOARD)
    name = models.CharField(_("namn"), max_length=200)
    active_from = models.DateField(_("från"), null=True, blank=True)
    active_until = models.DateField(_("till och med"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organ")
        verbose_name_plural = _("organ")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="organ_unique_name"),
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="organ_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_board(self) -> bool:
        return self.kind in {self.Kind.BOARD, self.Kind.INTERIM_BOARD}


class Person(models.Model):
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inloggning"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Twelve digits; never shown in full outside the admin (board/identity.py).
    personal_identity_number = models.CharField(
        _("personnummer"),
        max_length=12,
        blank=True,
        validators=[validate],
        help_text=_("Används för att kontrollera underskrifter med e-legitimation. Visas aldrig offentligt."),
    )
    history = HistoricalRecords(excluded_fields=["personal_identity_number"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["personal_identity_number"],
                condition=~Q(personal_identity_number=""),
                name="person_identity_number_unique",
                violation_error_message=_("En annan person har redan det personnumret."),
            ),
            models.CheckConstraint(
                condition=Q(personal_identity_number="") | Q(personal_identity_number__regex=r"^[0-9]{12}$"),
                name="person_identity_number_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("board:person", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def identity_masked(self) -> str:
        return mask(self.personal_identity_number)

    def clean(self) -> None:
        super().clean()
        self.personal_identity_number = normalise(self.personal_identity_number)


class Appointment(models.Model):
    """A seat on an organ: ledamot or ersättare, appointed by a member organisation."""

    class Seat(models.TextChoices):
        MEMBER = "ledamot", _("Ledamot")
        SUBSTITUTE = "ersattare", _("Ersättare")

    class Role(models.TextChoices):
        NONE = "", _("—")
        CHAIR = "ordforande", _("Ordförande")
        VICE_CHAIR = "vice_ordforande", _("Vice ordförande")

    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="appointments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    seat = models.CharField(_("uppdrag"), max_length=10, choices=Seat.choices)
    appointed_by = models.ForeignKey(
        MemberOrganisation,
        verbose_name=_("utsedd av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, blank=True, default="")
    start = models.DateField(_("från"))
    end = models.DateField(_("till och med"), null=True, blank=True)
    substitute_for = models.ForeignKey(
        "self",
        verbose_name=_("ersättare för"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="substitutes",
        help_text=_("Den ledamot ersättaren i första hand går in för."),
    )
    call_order = models.PositiveSmallIntegerField(_("inkallelseordning"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["organ", "seat", "appointed_by__name", "person__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="appointment_end_after_start",
                violation_error_message=_("Slutdatum måste vara efter startdatum."),
            ),
            models.CheckConstraint(
                condition=Q(role="") | Q(seat="ledamot"),
                name="appointment_role_only_for_members",
                violation_error_message=_("Bara en ledamot kan vara ordförande eller vice ordförande."),
            ),
        ]
        indexes = [models.Index(fields=["organ", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_seat_display()}, {self.organ}"


class StaffRole(models.Model):
    """An office role at an association (kansli) or its auditor."""

    class Role(models.TextChoices):
        DIRECTOR = "forbundschef", _("Förbundschef")
        SECRETARY = "sekreterare", _("Sekreterare")
        ACCOUNTANT = "ekonom", _("Ekonom")
        DEVELOPER = "utvecklingsledare", _("Utvecklingsledare")
        AUDITOR = "revisor", _("Revisor")
        # Delivers the year's records to the archive authority (E-ARK / FGS package); reads
        # the association's records like the other staff roles and changes none of them.
        ARCHIVIST = "arkivarie", _("Arkivarie")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staff_roles"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="staff_roles")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    start = models.DateField(_("från"))
    end = models.DateField(_("till och med"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("tjänsteroll")
        verbose_name_plural = _("tjänsteroller")
        ordering = ["organisation", "role", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="staffrole_end_after_start",
                violation_error_message=_("Slutdatum måste vara efter startdatum."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}, {self.get_role_display()} ({self.organisation})"
