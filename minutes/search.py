"""Full-text search over the public paragraphs (PostgreSQL, `swedish` configuration).

The vector is the stored, generated column `minutes_paragraph.search_sv` (migration 0006:
title weighted A, text B) with its GIN index; SearchRank orders, SearchHeadline marks the
matches. Only paragraphs of justerade minutes that are not confidential are searched
(public_selectors.searchable_paragraphs): a confidential paragraph's text can never come
back as a hit or a snippet.

The matches ranked are the CANDIDATES most recently recorded ones (highest id; paragraphs are
written in the order of the meetings). A word found in a third of a hundred thousand
paragraphs would otherwise have every match fetched and ranked at every search: 108 ms of
SQL per request on the benchmark's dataset (ranking 33,000 matches and counting them), about
8 ms this way (PostgreSQL walks the primary key backwards for a common word and uses the GIN
index for a rare one). A search with more matches says so and asks for a narrower one: the
filters (association, year, organ) narrow the candidates, so within them the ranking is
complete again.

A page of results is three queries whatever the size of the archive: the candidates' ids
(which the pager counts), the page of them ranked, and that page's rows with their meeting,
association and highlighted snippets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db.models import QuerySet
from django.db.models.expressions import Col, Expression
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Paragraph
from .public_selectors import searchable_paragraphs

CONFIG = "swedish"
# Markers no paragraph contains: the snippet is escaped first, then the markers become <mark>.
START, STOP = "\x02", "\x03"
PAGE_SIZE = 20
# How many of the most recent matches are ranked; the count of hits stops there too.
CANDIDATES = 500


class ParagraphVector(Expression):
    """The generated column minutes_paragraph.search_sv, under whatever alias the table has.

    Resolved to a column of the query's base table, so it stays right when the queryset is
    used as a subquery (where raw SQL naming "minutes_paragraph" would point at the outer
    query's row).
    """

    output_field = SearchVectorField()

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> Col:
        column = SearchVectorField()
        column.set_attributes_from_name("search_sv")
        column.model = Paragraph
        return Col(query.get_initial_alias(), column, output_field=column)


@dataclass(frozen=True)
class Filters:
    organisation_id: int | None = None
    year: int | None = None
    organ_id: int | None = None


class SearchResults:
    """The hits of a search, for Django's Paginator.

    The first query finds the candidates' ids (at most CANDIDATES, and one more to tell
    whether there were more: `capped`); count() is their number. Slicing ranks those ids -
    the ranking reads only the paragraphs' own rows - and then loads the page's hits with
    their meeting, association and highlighted snippets: three queries in all, the matching
    done once, the joins and headlines only for the page.
    """

    def __init__(self, query: SearchQuery, matches: QuerySet[Paragraph]) -> None:
        self.query = query
        self.matches = matches
        self.limit = CANDIDATES
        self._ids: list[int] | None = None

    def candidate_ids(self) -> list[int]:
        if self._ids is None:
            self._ids = list(self.matches.values_list("pk", flat=True)[: self.limit + 1])
        return self._ids

    def count(self) -> int:
        return min(len(self.candidate_ids()), self.limit)

    @property
    def capped(self) -> bool:
        return len(self.candidate_ids()) > self.limit

    def __getitem__(self, index: slice) -> list[Paragraph]:
        ids = self.candidate_ids()[: self.limit]
        if not ids:
            return []
        # Best first; among equals the later meeting (by year, then as recorded), in § order.
        page_ids = list(
            Paragraph.objects.filter(pk__in=ids)
            .annotate(rank=SearchRank(ParagraphVector(), self.query))
            .order_by("-rank", "-year", "-meeting_id", "position")
            .values_list("pk", flat=True)[index]
        )
        hits = {p.pk: p for p in self._with_snippets(page_ids)}
        return [hits[pk] for pk in page_ids if pk in hits]

    def _with_snippets(self, ids: list[int]) -> QuerySet[Paragraph]:
        """The hits of one page, still public (the candidates were found a moment ago)."""
        return (
            searchable_paragraphs().filter(pk__in=ids).order_by()
            .annotate(
                headline=SearchHeadline(
                    "body", self.query, config=CONFIG, start_sel=START, stop_sel=STOP,
                    max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … ",
                ),
                title_headline=SearchHeadline("title", self.query, config=CONFIG, start_sel=START,
                                              stop_sel=STOP, highlight_all=True),
            )
            .select_related("meeting", "organ__organisation")
            .only(
                "id", "number", "prefix", "title", "year", "dnr", "meeting__id", "meeting__date",
                "organ__id", "organ__name", "organ__organisation__id", "organ__organisation__name",
                "organ__organisation__slug", "organ__organisation__short_name", "meeting__status",
            )
        )


def search_paragraphs(text: str, filters: Filters = Filters()) -> SearchResults:
    """Hits for `text` (web search syntax: words, "phrases", -not, or), best first.

    At most CANDIDATES hits: the most recently recorded matches, ranked.
    """
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    matches = (
        searchable_paragraphs()
        .annotate(vector=ParagraphVector())
        .filter(vector=query)
    )
    if filters.organisation_id:
        matches = matches.filter(organ__organisation_id=filters.organisation_id)
    if filters.year:
        matches = matches.filter(year=filters.year)
    if filters.organ_id:
        matches = matches.filter(organ_id=filters.organ_id)
    return SearchResults(query, matches.order_by("-pk"))


def highlight(snippet: str | None) -> SafeString:
    """The headline as safe HTML: the paragraph's own text escaped, the matches in <mark>."""
    text = escape(snippet or "")
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above
