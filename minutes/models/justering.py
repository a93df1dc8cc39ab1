"""Justering: the versions of the minutes that are signed, the signatures, comments, declines
and unlocks.

A `MinutesVersion` is a frozen, canonical JSON snapshot of the minutes (minutes.justering.rules
builds it from `selectors.minutes_document`) with its SHA-256. A `Signature` is given on
exactly one version and records that version's SHA-256; an edit creates a new version and
the old one becomes `ersatt`, which voids its signatures without touching them: signature
rows are never updated or deleted (the database refuses, see migration justering_locks).

The lock on justerade minutes lives in the database too: triggers refuse INSERT, UPDATE and
DELETE on a justerat meeting's paragraphs, decisions, attendance, votes, reservations, notes,
jäv and justerare. An unlock (`MinutesUnlock`), proposed by the chair and confirmed by one
more member, is the only way back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from board.identity import Level


class MinutesVersion(models.Model):
    class Status(models.TextChoices):
        CURRENT = "aktuell", _("Under justering")
        SUPERSEDED = "ersatt", _("Ersatt av en senare version")
        DECLINED = "avbojd", _("Avböjd, tillbaka till sekreteraren")
        SIGNED = "justerad", _("Justerad")
        UNLOCKED = "upplast", _("Justerad, sedan upplåst")

    meeting = models.ForeignKey(
        "minutes.Meeting", on_delete=models.PROTECT, related_name="versions",
        verbose_name=_("sammanträde"),
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CURRENT, db_index=True
    )
    # Why this version exists: "skickad för justering", "ändrad efter underskrift", "upplåst".
    reason = models.CharField(_("anledning"), max_length=300, blank=True)
    snapshot = models.JSONField(_("innehåll"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    justered_at = models.DateTimeField(_("justerad"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("protokollversion")
        verbose_name_plural = _("protokollversioner")
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutesversion_unique_number"),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(status="aktuell"), name="minutesversion_one_current",
            ),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="minutesversion_sha256"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.number} ({self.get_status_display()})"


class Signature(models.Model):
    """One signer's justering of exactly one version. Never changed, never deleted."""

    class Role(models.TextChoices):
        # As the seeds (000, 001, 004) and the preview print the signature block.
        SECRETARY = "sekreterare", _("Sekreterare")
        CHAIR = "ordforande", _("Ordförande")
        ADJUSTER = "justerare", _("Justerande")

    version = models.ForeignKey(
        MinutesVersion, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("version")
    )
    person = models.ForeignKey("board.Person", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("roll"), max_length=12, choices=Role.choices)
    signed_at = models.DateTimeField(_("signerat"))
    sha256 = models.CharField(_("SHA-256 av versionen"), max_length=64)
    with_totp = models.BooleanField(_("med tvåfaktorskod"), default=False)
    # How it was signed (minutes/justering/signing/): "losenord", "bankid", "oidc-<provider>",
    # "passkey"; the eIDAS level; the method's evidence (the BankID completion data, the ID
    # token and the JWKS, the WebAuthn assertion) from which `verify` proves this SHA-256 offline;
    # the method's own reference (orderRef, the token's nonce, the assertion's challenge),
    # unique per method so a replayed one signs nothing; the e-ID identity, masked.
    method = models.CharField(_("sätt"), max_length=40, default="losenord")
    level = models.CharField(_("nivå"), max_length=12, choices=Level.choices, default=Level.SIMPLE)
    evidence = models.JSONField(_("bevis"), default=dict, blank=True)
    reference = models.CharField(_("referens"), max_length=200, blank=True)
    identity_masked = models.CharField(_("personnummer (maskerat)"), max_length=13, blank=True)
    history = HistoricalRecords(excluded_fields=["evidence"])

    class Meta:
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        ordering = ["version", "signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "person"], name="signature_one_per_signer"),
            models.UniqueConstraint(
                fields=["method", "reference"], condition=~Q(reference=""), name="signature_reference_once",
                violation_error_message=_("Den här underskriften är redan använd."),
            ),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="signature_sha256"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) {self.signed_at:%Y-%m-%d %H:%M}"


class JusteringComment(models.Model):
    """A signer's comment on a paragraph (or the minutes as a whole); the secretary acts on it."""

    meeting = models.ForeignKey("minutes.Meeting", on_delete=models.CASCADE, related_name="justering_comments")
    version = models.ForeignKey(MinutesVersion, on_delete=models.PROTECT, related_name="comments")
    paragraph = models.ForeignKey(
        "minutes.Paragraph", null=True, blank=True, on_delete=models.SET_NULL, related_name="justering_comments"
    )
    paragraph_label = models.CharField(_("paragraf"), max_length=60, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(_("av"), max_length=200)
    text = models.TextField(_("kommentar"))
    created_at = models.DateTimeField(_("skriven"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kommentar vid justering")
        verbose_name_plural = _("kommentarer vid justering")
        ordering = ["meeting", "created_at"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:60]}"


class JusteringDecline(models.Model):
    """A signer declined to sign, with a reason; the minutes went back to the secretary."""

    version = models.ForeignKey(MinutesVersion, on_delete=models.PROTECT, related_name="declines")
    person = models.ForeignKey("board.Person", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("skäl"))
    created_at = models.DateTimeField(_("avböjt"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avböjd justering")
        verbose_name_plural = _("avböjda justeringar")
        ordering = ["version", "created_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="decline_has_reason")]

    def __str__(self) -> str:
        return f"{self.person} avböjde v{self.version.number}"


class MinutesUnlock(models.Model):
    """Upplåsning of justerade minutes: proposed by the chair, confirmed by one more member."""

    class Status(models.TextChoices):
        PROPOSED = "foreslagen", _("Föreslagen, väntar på bekräftelse")
        DONE = "genomford", _("Genomförd")

    meeting = models.ForeignKey("minutes.Meeting", on_delete=models.PROTECT, related_name="unlocks")
    from_version = models.ForeignKey(MinutesVersion, on_delete=models.PROTECT, related_name="unlocks")
    to_version = models.ForeignKey(
        MinutesVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("skäl"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    chair = models.ForeignKey("board.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("ordförande"))
    chair_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("föreslagen"), auto_now_add=True)
    second = models.ForeignKey(
        "board.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("bekräftad av ledamot"),
    )
    second_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("upplåsning")
        verbose_name_plural = _("upplåsningar")
        ordering = ["meeting", "proposed_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="unlock_has_reason"),
            models.CheckConstraint(
                condition=Q(second__isnull=True) | ~Q(second=models.F("chair")),
                name="unlock_two_different_people",
            ),
            models.CheckConstraint(
                condition=Q(status="foreslagen") | (Q(second__isnull=False) & Q(confirmed_at__isnull=False)),
                name="unlock_done_is_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"Upplåsning av {self.meeting} ({self.get_status_display()})"
