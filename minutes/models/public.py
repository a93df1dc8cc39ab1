"""What the public side stores: the public web page of justerade minutes (PublishedMinutes)
and their search index (PublicParagraph), both written from the public projection of the
signed snapshot (minutes/projection.py) by minutes/public/publication.py."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

# PostgreSQL's text search configuration for Swedish stemming.
SEARCH_CONFIG = "swedish"


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


class NoticeBlock(models.Model):
    """A notice's block on the board as last rendered (templates/public/_notice_row.html), so
    that a page of the board renders no notice it has rendered before (minutes/public/blocks.py).

    `key` is a digest of everything the block shows (the notice as last saved, its
    association, organ and meeting, its attachments, the anslagsbevis and public PDF issued
    for it) and of the template itself: when any of them changes, the key of the row read from
    the database no longer matches and the block is rendered anew where it is next shown.
    """

    notice = models.OneToOneField(
        "minutes.Notice", on_delete=models.CASCADE, primary_key=True, related_name="block",
    )
    key = models.CharField(_("underlag (SHA-256)"), max_length=64)
    html = models.TextField(_("anslaget (HTML)"))
    rendered_at = models.DateTimeField(_("skapad"), auto_now=True)

    class Meta:
        verbose_name = _("anslag på tavlan (renderat)")
        verbose_name_plural = _("anslag på tavlan (renderade)")

    def __str__(self) -> str:
        return f"Anslag {self.notice_id} på tavlan"


class BoardGeneration(models.Model):
    """One row: a number the database moves on whenever a transaction that changed something
    the notice board shows or selects commits, whoever wrote it (migration 0026's deferred
    triggers: a save, a delete, an UPDATE past the ORM, psql). A stored page of the board
    (BoardPage) is shown only while this number is the one it was rendered at."""

    generation = models.BigIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("anslagstavlans generation")
        verbose_name_plural = _("anslagstavlans generationer")

    def __str__(self) -> str:
        return f"Anslagstavlans generation {self.generation}"


class BoardPage(models.Model):
    """A page of the notice board's content as last rendered (minutes/public/blocks.py):
    what /anslagstavla/ (scope "") or one association's board (scope: its slug) showed on
    `day`, page `number`, in `language`, from the templates of digest `template`, at board
    `generation`. Shown again only while all of them are still today's; otherwise rendered
    anew from the notices and stored over it. Rows of another day or generation are deleted
    hourly (blocks.notice_blocks_prune): a copy of a notice that nothing shows is not kept."""

    scope = models.CharField(_("förbund (slug, tomt för alla)"), max_length=100, blank=True)
    number = models.PositiveIntegerField(_("sida"))
    language = models.CharField(_("språk"), max_length=10)
    day = models.DateField(_("dag"))
    generation = models.BigIntegerField(_("generation"))
    template = models.CharField(_("mallarna (SHA-256)"), max_length=64)
    html = models.TextField(_("sidans innehåll (HTML)"))
    rendered_at = models.DateTimeField(_("skapad"), auto_now=True)

    class Meta:
        verbose_name = _("sida av anslagstavlan (renderad)")
        verbose_name_plural = _("sidor av anslagstavlan (renderade)")
        constraints = [
            models.UniqueConstraint(fields=["scope", "number", "language"], name="board_page_unique"),
        ]

    def __str__(self) -> str:
        return f"Anslagstavlan {self.scope or 'alla'} sida {self.number} ({self.day})"


class PublicParagraph(models.Model):
    """Each paragraph of justerade minutes as the public projection lets the public see it:
    the search index and what the public API lists. Written with the stored page, replaced
    when the minutes are justerade anew. A confidential paragraph is a row too (the API lists
    it as its number and OSL reference) but with neither title nor text, so no word it
    contains can find it."""

    paragraph = models.OneToOneField(
        "minutes.Paragraph", on_delete=models.CASCADE, primary_key=True, related_name="public",
    )
    meeting = models.ForeignKey("minutes.Meeting", on_delete=models.CASCADE, related_name="public_paragraphs")
    organ = models.ForeignKey("board.Organ", on_delete=models.CASCADE, related_name="+")
    # The meeting's date, here too so that one index serves the API's order (newest first).
    meeting_date = models.DateField(_("sammanträdesdatum"))
    year = models.PositiveSmallIntegerField(_("år"))
    position = models.PositiveIntegerField(_("ordning"))
    # Whether the meeting is justerat, and its association's minutes_retention_months: kept here
    # by the database (migration 0027's triggers, at every write of this row and when the
    # meeting's status or organ, an organ's association or the association's retention
    # changes), so that the search and the API decide what is public on the row, without
    # joining the meeting, its organ and its association: two fifths of the search's query
    # (README "Benchmarks"). Never written from Python.
    meeting_signed = models.BooleanField(_("sammanträdet justerat"), db_default=False, editable=False)
    retention_months = models.PositiveSmallIntegerField(_("förbundets tid på webben (månader)"), db_default=0,
                                                        editable=False)
    label = models.CharField(_("paragraf"), max_length=40)
    title = models.TextField(_("rubrik"), blank=True)
    body = models.TextField(_("text"), blank=True, help_text=_("Orden utan taggar, för sökningen."))
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
        indexes = [
            GinIndex(fields=["search_sv"], name="minutes_publicpar_search_sv"),
            # The public API's agendaItems in its keyset order (config.api_params.Keyset).
            models.Index(fields=["-meeting_date", "-meeting", "position", "paragraph"], name="public_paragraph_order"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.title}".strip()
