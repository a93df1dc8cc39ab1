"""Passkeys (WebAuthn credentials) a user signs justering with.

A passkey is the user's own key pair in a phone, a computer or a security key; Samordna keeps
the public key (COSE), the credential id and the authenticator's signature counter. What the
signature is worth depends on how well we knew who added it: a passkey added in a session
that was identified with e-ID (`board.identity.EID_SESSION_KEY`, e.g. BankID) is tied to that
person and gives an advanced electronic signature; one added with only the password gives a
simple one. The e-ID method is kept in `identified_with`, and `level` follows from it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..identity import Level


class PasskeyCredential(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys", verbose_name=_("användare")
    )
    name = models.CharField(_("namn"), max_length=100)
    credential_id = models.BinaryField(_("credential id"), unique=True)
    public_key = models.BinaryField(_("publik nyckel (COSE)"))
    sign_count = models.PositiveBigIntegerField(_("signaturräknare"), default=0)
    transports = models.JSONField(_("transportsätt"), default=list, blank=True)
    identified_with = models.CharField(
        _("identifierad med"), max_length=60, blank=True,
        help_text=_("Den e-legitimation användaren hade identifierat sig med när passkeyn lades upp, eller tomt."),
    )
    created_at = models.DateTimeField(_("upplagd"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def level(self) -> str:
        """Advanced only when the passkey was added in a session identified with e-ID."""
        return Level.ADVANCED if self.identified_with else Level.SIMPLE

    def get_level_display(self) -> str:
        return str(Level(self.level).label)
