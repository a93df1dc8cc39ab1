"""Full-text search over the public paragraphs (PostgreSQL, `swedish` configuration).

The vector is the stored, generated column `minutes_paragraph.search_sv` (migration 0006:
title weighted A, text B) with its GIN index; ts_rank orders, ts_headline marks the
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

A page of results is one SQL query whatever the size of the archive: the candidates (the
ORM's queryset of public matches, so the public rule lives in public_selectors alone), their
ranking, the page of them, its rows with meeting, association and highlighted snippets, and
how many candidates there were. Each step as its own ORM query cost 13 ms of CPU per search
on the benchmark machine, mostly Django compiling three querysets and passing 500 ids back
and forth; the whole in one statement costs about a tenth of that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.paginator import Page, Paginator
from django.db import connection
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


@dataclass(frozen=True)
class Hit:
    """One public paragraph found, as the results list shows it."""

    pk: int
    label: str
    title: SafeString
    snippet: SafeString
    meeting_id: int
    meeting_date: dt.date
    organ_name: str
    organisation_name: str
    organisation_slug: str


@dataclass(frozen=True)
class SearchPage:
    """One page of hits, best first; `page` for the pager, `count` ranked hits in all
    (at most CANDIDATES), `capped` when there were more matches than that."""

    hits: list[Hit]
    page: Page
    count: int
    capped: bool
    limit: int


def matches(text: str, filters: Filters = Filters()) -> QuerySet[Paragraph]:
    """The public paragraphs matching `text` (web search syntax: words, "phrases", -not, or),
    within the filters, the most recently recorded first."""
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    found = searchable_paragraphs().annotate(vector=ParagraphVector()).filter(vector=query)
    if filters.organisation_id:
        found = found.filter(organ__organisation_id=filters.organisation_id)
    if filters.year:
        found = found.filter(year=filters.year)
    if filters.organ_id:
        found = found.filter(organ_id=filters.organ_id)
    return found.order_by("-pk")


# The candidates (at most CANDIDATES + 1, from matches()), the newest CANDIDATES of them
# ranked, one page of those in order - best first; among equals the later meeting (by year,
# then as recorded), in § order - with their rows and snippets, and how many candidates there
# were: one row even when the page is empty, so the count is always known.
_PAGE_SQL = """
WITH candidate (id, year, meeting_id, position, vector) AS ({candidates}),
     search AS (SELECT websearch_to_tsquery(%s::regconfig, %s) AS query),
     ranked AS (
         SELECT c.id, c.year, c.meeting_id, c.position, ts_rank(c.vector, search.query) AS rank
           FROM candidate c, search ORDER BY c.id DESC LIMIT %s),
     hit AS (
         SELECT * FROM ranked
          ORDER BY rank DESC, year DESC, meeting_id DESC, position LIMIT %s OFFSET %s)
SELECT counted.total, p.id, p.prefix, p.number,
       ts_headline(%s::regconfig, p.title, search.query, %s),
       ts_headline(%s::regconfig, p.body, search.query, %s),
       m.id, m.date, g.name, o.name, o.slug
  FROM (SELECT count(*) AS total FROM candidate) counted
  CROSS JOIN search
  LEFT JOIN hit h ON true
  LEFT JOIN minutes_paragraph p ON p.id = h.id
  LEFT JOIN minutes_meeting m ON m.id = p.meeting_id
  LEFT JOIN board_organ g ON g.id = p.organ_id
  LEFT JOIN board_organisation o ON o.id = g.organisation_id
 ORDER BY h.rank DESC, h.year DESC, h.meeting_id DESC, h.position
"""
_TITLE_OPTIONS = {"StartSel": START, "StopSel": STOP, "HighlightAll": True}
_BODY_OPTIONS = {"StartSel": START, "StopSel": STOP, "MaxWords": 35, "MinWords": 15, "MaxFragments": 2,
                 "FragmentDelimiter": " … "}


def _options(options: dict[str, object]) -> str:
    """ts_headline's options string, each value quoted as SearchHeadline quotes it."""
    return ", ".join(connection.ops.compose_sql(f"{name}=%s", [value]) for name, value in options.items())


def search_page(text: str, filters: Filters = Filters(), number: int = 1) -> SearchPage:
    """Page `number` of the hits for `text` (the last page if there are fewer); one query,
    two if `number` is past the last page."""
    limit = CANDIDATES
    candidates, candidate_params = matches(text, filters).values(
        "id", "year", "meeting_id", "position", "vector"
    )[: limit + 1].query.sql_with_params()
    sql = _PAGE_SQL.format(candidates=candidates)

    def fetch(page_number: int) -> list[tuple]:
        params = [*candidate_params, CONFIG, text, limit, PAGE_SIZE, (page_number - 1) * PAGE_SIZE,
                  CONFIG, _options(_TITLE_OPTIONS), CONFIG, _options(_BODY_OPTIONS)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    number = max(1, number)
    rows = fetch(number)
    total = rows[0][0]
    paginator = Paginator(range(min(total, limit)), PAGE_SIZE)
    if rows[0][1] is None and number > paginator.num_pages:
        number = paginator.num_pages
        rows = fetch(number)
    hits = [
        Hit(pk=pk, label=f"{prefix} § {paragraph_number}".strip(), title=highlight(title),
            snippet=highlight(snippet), meeting_id=meeting_id, meeting_date=meeting_date, organ_name=organ_name,
            organisation_name=organisation_name, organisation_slug=organisation_slug)
        for (_total, pk, prefix, paragraph_number, title, snippet, meeting_id, meeting_date, organ_name,
             organisation_name, organisation_slug) in rows
        if pk is not None
    ]
    return SearchPage(hits=hits, page=Page(hits, number, paginator), count=min(total, limit),
                      capped=total > limit, limit=limit)


def highlight(snippet: str | None) -> SafeString:
    """The headline as safe HTML: the paragraph's own text escaped, the matches in <mark>."""
    text = escape(snippet or "")
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above
