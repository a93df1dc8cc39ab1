"""Full-text search over the public paragraphs (PostgreSQL, `swedish` configuration).

The vector is the stored, generated column `minutes_paragraph.search_sv` (migration 0006:
title weighted A, text B) with its GIN index; SearchRank orders, SearchHeadline marks the
matches. Only
paragraphs of justerade minutes that are not confidential are searched
(public_selectors.searchable_paragraphs): a confidential paragraph's text can never come
back as a hit or a snippet.

A page of results is two queries (the hits, and the count for the pager) whatever the size
of the archive.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Paragraph
from .public_selectors import searchable_paragraphs

CONFIG = "swedish"
# A generated column PostgreSQL keeps in step with title and body (migration 0006).
PARAGRAPH_VECTOR_SQL = '"minutes_paragraph"."search_sv"'
# Markers no paragraph contains: the snippet is escaped first, then the markers become <mark>.
START, STOP = "\x02", "\x03"
PAGE_SIZE = 20


def paragraph_vector() -> RawSQL:
    return RawSQL(PARAGRAPH_VECTOR_SQL, [], output_field=SearchVectorField())


@dataclass(frozen=True)
class Filters:
    organisation_id: int | None = None
    year: int | None = None
    organ_id: int | None = None


def search_paragraphs(text: str, filters: Filters = Filters()) -> QuerySet[Paragraph]:
    """Hits for `text` (web search syntax: words, "phrases", -not, or), best first."""
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    qs = (
        searchable_paragraphs()
        .annotate(vector=paragraph_vector())
        .filter(vector=query)
    )
    if filters.organisation_id:
        qs = qs.filter(organ__organisation_id=filters.organisation_id)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.organ_id:
        qs = qs.filter(organ_id=filters.organ_id)
    return (
        qs.annotate(
            rank=SearchRank(F("vector"), query),
            headline=SearchHeadline(
                "body", query, config=CONFIG, start_sel=START, stop_sel=STOP,
                max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … ",
            ),
            title_headline=SearchHeadline("title", query, config=CONFIG, start_sel=START, stop_sel=STOP,
                                          highlight_all=True),
        )
        .select_related("meeting", "organ__organisation")
        .only(
            "id", "number", "prefix", "title", "year", "dnr", "meeting__id", "meeting__date",
            "organ__id", "organ__name", "organ__organisation__id", "organ__organisation__name",
            "organ__organisation__slug", "organ__organisation__short_name", "meeting__status",
        )
        .order_by("-rank", "-meeting__date", "position")
    )


def highlight(snippet: str | None) -> SafeString:
    """The headline as safe HTML: the paragraph's own text escaped, the matches in <mark>."""
    text = escape(snippet or "")
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above
