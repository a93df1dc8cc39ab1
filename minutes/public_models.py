"""The search index of the public: each paragraph of justerade minutes as the projection
(minutes/public_projection.py) lets the public see it.

Written with the stored public page (minutes/publication.py `publish`) from the signed
snapshot, and replaced when the minutes are justerade anew. A confidential paragraph is a
row too (the API lists it as its number and OSL reference) but its title and text are empty,
so it can never be found by a word it contains.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

# PostgreSQL's text search configuration for Swedish stemming.
SEARCH_CONFIG = "swedish"


class PublicParagraph(models.Model):
    paragraph = models.OneToOneField(
        "minutes.Paragraph", on_delete=models.CASCADE, primary_key=True, related_name="public",
    )
    meeting = models.ForeignKey("minutes.Meeting", on_delete=models.CASCADE, related_name="public_paragraphs")
    organ = models.ForeignKey("board.Organ", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    position = models.PositiveIntegerField(_("ordning"))
    label = models.CharField(_("paragraf"), max_length=40)
    title = models.TextField(_("rubrik"), blank=True)
    body = models.TextField(_("text"), blank=True)
    content = models.JSONField(_("paragrafen som allmänheten ser den"))
    published_at = models.DateTimeField(_("publicerad"), auto_now_add=True)
    search_sv = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("body", weight="B", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("offentlig paragraf")
        verbose_name_plural = _("offentliga paragrafer")
        ordering = ["meeting", "position"]
        indexes = [GinIndex(fields=["search_sv"], name="minutes_publicpar_search_sv")]

    def __str__(self) -> str:
        return f"{self.label} {self.title}".strip()
