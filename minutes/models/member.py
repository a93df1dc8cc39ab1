"""A board member's own room: private notes on the agenda and the handlingar, and when they last
looked at a meeting (to mark what is new since).

A note belongs to its author alone. It has no history table (django-simple-history would let
the admin and the history pages show it), is not part of the minutes, the signed snapshot, the
archive package, the search index or the API, and no page but its author's shows it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .agenda import AgendaDocument, AgendaItem
from .meetings import Meeting

NOTE_MAX_LENGTH = 20_000


class PrivateNote(models.Model):
    """The author's note on one agenda item or one handling of a meeting."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(AgendaDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("anteckning"), max_length=NOTE_MAX_LENGTH)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("privat anteckning")
        verbose_name_plural = _("privata anteckningar")
        constraints = [
            models.CheckConstraint(
                condition=(Q(agenda_item__isnull=False) & Q(document__isnull=True))
                | (Q(agenda_item__isnull=True) & Q(document__isnull=False)),
                name="privatenote_item_or_document",
            ),
            models.UniqueConstraint(fields=["author", "agenda_item"], name="privatenote_one_per_item",
                                    condition=Q(agenda_item__isnull=False)),
            models.UniqueConstraint(fields=["author", "document"], name="privatenote_one_per_document",
                                    condition=Q(document__isnull=False)),
        ]
        indexes = [models.Index(fields=["author", "meeting"], name="privatenote_author_meeting")]

    def __str__(self) -> str:
        return f"Anteckning {self.pk}"


class MeetingVisit(models.Model):
    """When the user last opened the meeting in their room: what came after is marked new."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "meeting"], name="meetingvisit_one_per_user")]

    def __str__(self) -> str:
        return f"Besök {self.pk}"
