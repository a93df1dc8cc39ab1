"""The public web page of justerade minutes, rendered once and stored (minutes/public/publication.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedMinutes(models.Model):
    """The public web page of justerade minutes, rendered once (minutes/public/publication.py).

    The attendance and the paragraphs with their decisions and votes as the public sees them
    (a confidential paragraph as its number and OSL reference). The justering writes it; a
    page for minutes justerade before this table existed is written at its first visit. It
    belongs to one state of the meeting: when the meeting is saved again (unlocked, justerad
    anew) `meeting_updated_at` no longer matches and the page is rendered again. The notice
    and the PDF links are not part of it: they change after the justering and are read at
    each request.
    """

    meeting = models.OneToOneField(
        "minutes.Meeting", on_delete=models.CASCADE, primary_key=True, related_name="published",
    )
    meeting_updated_at = models.DateTimeField(_("sammanträdet senast ändrat"))
    head_html = models.TextField(_("sidhuvud (HTML)"))
    body_html = models.TextField(_("närvaro och paragrafer (HTML)"))
    rendered_at = models.DateTimeField(_("skapad"), auto_now=True)

    class Meta:
        verbose_name = _("publicerat protokoll")
        verbose_name_plural = _("publicerade protokoll")

    def __str__(self) -> str:
        return f"Publicerat protokoll {self.meeting_id}"
