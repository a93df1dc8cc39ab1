"""Feedback on the accessibility of the public pages (lag (2018:1937) om tillgänglighet till
digital offentlig service, 10 §): a report of a problem, or a request for content that is not
accessible in an accessible form. Written by anyone from /tillganglighet/, answered by the
association's secretary from /forbund/<förbund>/tillganglighet/.

Nothing beyond what the answer needs is kept: the association, what kind, the message, the
page it concerns, an address to answer (optional) and when it was answered and by whom. No IP
address, no name, no browser; the rate limit of the form lives in the cache only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .registry import Organisation


class AccessibilityFeedback(models.Model):
    class Kind(models.TextChoices):
        PROBLEM = "problem", _("Rapportera ett problem med tillgängligheten")
        DOCUMENT = "dokument", _("Begära innehåll i tillgängligt format")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="accessibility_feedback",
        verbose_name=_("samordningsförbund"),
    )
    kind = models.CharField(_("ärende"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("meddelande"), max_length=4000)
    page = models.CharField(_("sida eller dokument"), max_length=500, blank=True)
    email = models.EmailField(_("e-post för svar"), blank=True)
    created_at = models.DateTimeField(_("inkommet"), auto_now_add=True)
    answered_at = models.DateTimeField(_("besvarat"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("besvarat av"),
    )

    class Meta:
        verbose_name = _("synpunkt på tillgänglighet")
        verbose_name_plural = _("synpunkter på tillgänglighet")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"
