"""An association's text modules: standard phrases and standard decisions the secretary inserts
in the minutes from the editor's toolbar or by typing their shortcut ("/handlingarna").

A phrase is text for a paragraph's body, in the body's restricted HTML subset (sanitised by the
service on every save); a decision is one plain-text "Att …" clause added to the paragraph's
decision. The shortcut is unique within the association and kept in a form the editor can
match as typed (lower case, no leading slash), by the database too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Letters (Swedish included), digits and hyphens; starts with a letter or digit. The editor
# matches the same (static/js/textmodules.js, SHORTCUT).
SHORTCUT_PATTERN = r"^[a-z0-9åäöéü][a-z0-9åäöéü_-]*$"
SHORTCUT_MAX_LENGTH = 40


class TextModule(models.Model):
    class Kind(models.TextChoices):
        PHRASE = "fras", _("Fras")
        DECISION = "beslut", _("Beslut")

    organisation = models.ForeignKey(
        "board.Organisation", on_delete=models.CASCADE, related_name="text_modules",
        verbose_name=_("förbund"),
    )
    name = models.CharField(_("namn"), max_length=100)
    shortcut = models.CharField(_("kortkommando"), max_length=SHORTCUT_MAX_LENGTH)
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices, default=Kind.PHRASE)
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("textmodul")
        verbose_name_plural = _("textmoduler")
        ordering = ["organisation", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "shortcut"], name="text_module_unique_shortcut",
                violation_error_message=_("Kortkommandot används redan av en annan textmodul i förbundet."),
            ),
            models.CheckConstraint(
                condition=Q(shortcut__regex=SHORTCUT_PATTERN), name="text_module_shortcut_form",
                violation_error_message=_(
                    "Kortkommandot får bara innehålla små bokstäver, siffror och bindestreck."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["fras", "beslut"]), name="text_module_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (/{self.shortcut})"
