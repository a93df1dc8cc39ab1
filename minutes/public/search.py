"""Full-text search over the public paragraphs (PostgreSQL, `swedish` configuration).

The vector is the stored, generated column `minutes_paragraph.search_sv` (migration 0006:
title weighted A, text B) with its GIN index; ts_rank orders, ts_headline marks the
matches. Only paragraphs of justerade minutes that are not confidential are searched (the
rule of public_selectors, written into the statement below; the tests try every other
meeting status and a confidential paragraph): a confidential paragraph's text can never come
back as a hit or a snippet.

The matches ranked are the CANDIDATES most recently recorded ones (highest id; paragraphs are
written in the order of the meetings). A word found in a third of a hundred thousand
paragraphs would otherwise have every match fetched and ranked at every search: 108 ms of
SQL per request on the benchmark's dataset (ranking 33,000 matches and counting them), about
6 ms this way (PostgreSQL walks the primary key backwards for a common word and uses the GIN
index for a rare one). A search with more matches says so and asks for a narrower one: the
filters (association, year, organ) narrow the candidates, so within them the ranking is
complete again.

A page of results is one SQL statement whatever the size of the archive: the candidates,
their ranking, the page of them, its rows with meeting, association and highlighted
snippets, and how many candidates there were. It is written by hand: as three ORM querysets
(the 500 candidate ids fetched into Python and sent back as parameters) a search cost about
23 ms of CPU on the benchmark machine, as one statement around the ORM's candidate queryset
14 ms, of which 2.3 ms was Django compiling that queryset.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.core.paginator import Page, Paginator
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import Meeting, paragraph_label

if TYPE_CHECKING:
    from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations

CONFIG = "swedish"
# Markers no paragraph contains: the snippet is escaped first, then the markers become <mark>.
START, STOP = "\x02", "\x03"
PAGE_SIZE = 20
# How many of the most recent matches are ranked; the count of hits stops there too.
CANDIDATES = 500


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
    """One page of hits, best first; `page` for the pager (its paginator counts the ranked
    hits, at most CANDIDATES), `capped` when there were more matches than that."""

    hits: list[Hit]
    page: Page
    capped: bool
    limit: int


# The public paragraphs matching the search, within the filters, the newest CANDIDATES + 1
# (one more tells that there were more); the newest CANDIDATES of them ranked; one page of
# those in order - best first; among equals the later meeting (by year, then as recorded), in
# § order - with their rows and snippets; and how many candidates there were, on a row that is
# there even when the page is empty. The query is written out in each place it is used so
# that PostgreSQL plans with its value (selectivity of the words, GIN index or a walk).
_PAGE_SQL = """
WITH candidate AS (
         SELECT p.id, p.year, p.meeting_id, p.position, p.search_sv
           FROM minutes_paragraph p
           JOIN minutes_meeting m ON m.id = p.meeting_id
          WHERE m.status = %(public)s AND NOT p.is_confidential
            AND p.search_sv @@ websearch_to_tsquery(%(config)s::regconfig, %(text)s)
                {filters}
          ORDER BY p.id DESC LIMIT %(limit)s + 1),
     ranked AS (
         SELECT id, year, meeting_id, position,
                ts_rank(search_sv, websearch_to_tsquery(%(config)s::regconfig, %(text)s)) AS rank
           FROM candidate ORDER BY id DESC LIMIT %(limit)s),
     hit AS (
         SELECT * FROM ranked
          ORDER BY rank DESC, year DESC, meeting_id DESC, position LIMIT %(size)s OFFSET %(offset)s)
SELECT counted.total, p.id, p.prefix, p.number,
       ts_headline(%(config)s::regconfig, p.title, websearch_to_tsquery(%(config)s::regconfig, %(text)s),
                   %(title_options)s),
       ts_headline(%(config)s::regconfig, p.body, websearch_to_tsquery(%(config)s::regconfig, %(text)s),
                   %(body_options)s),
       m.id, m.date, g.name, o.name, o.slug
  FROM (SELECT count(*) AS total FROM candidate) counted
  LEFT JOIN hit h ON true
  LEFT JOIN minutes_paragraph p ON p.id = h.id
  LEFT JOIN minutes_meeting m ON m.id = p.meeting_id
  LEFT JOIN board_organ g ON g.id = p.organ_id
  LEFT JOIN board_organisation o ON o.id = g.organisation_id
 ORDER BY h.rank DESC, h.year DESC, h.meeting_id DESC, h.position
"""
_FILTERS = {
    "organisation_id": "AND p.organ_id IN (SELECT id FROM board_organ WHERE organisation_id = %(organisation_id)s)",
    "year": "AND p.year = %(year)s",
    "organ_id": "AND p.organ_id = %(organ_id)s",
}
_TITLE_OPTIONS = {"StartSel": START, "StopSel": STOP, "HighlightAll": True}
_BODY_OPTIONS = {"StartSel": START, "StopSel": STOP, "MaxWords": 35, "MinWords": 15, "MaxFragments": 2,
                 "FragmentDelimiter": " … "}


def _options(options: dict[str, object]) -> str:
    """ts_headline's options string, each value quoted as SearchHeadline quotes it."""
    ops = cast("PostgresOperations", connection.ops)  # the search runs on PostgreSQL only
    return ", ".join(ops.compose_sql(f"{name}=%s", [value]) for name, value in options.items())


def search_page(text: str, filters: Filters = Filters(), number: int = 1) -> SearchPage:
    """Page `number` of the hits for `text` (the last page if there are fewer); one query,
    two if `number` is past the last page."""
    chosen = {name: value for name, value in vars(filters).items() if value}
    sql = _PAGE_SQL.format(filters="\n                ".join(_FILTERS[name] for name in chosen))
    limit = CANDIDATES
    params: dict[str, int | str] = {
        **chosen, "public": Meeting.Status.SIGNED, "config": CONFIG, "text": text, "limit": limit,
        "size": PAGE_SIZE, "title_options": _options(_TITLE_OPTIONS), "body_options": _options(_BODY_OPTIONS),
    }

    def fetch(page_number: int) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, {**params, "offset": (page_number - 1) * PAGE_SIZE})
            return cursor.fetchall()

    # No page lies past the last page of CANDIDATES hits: a larger number (a typed ?sida=)
    # made an OFFSET beyond PostgreSQL's bigint and answered 500.
    number = min(max(1, number), -(-limit // PAGE_SIZE))
    rows = fetch(number)
    total = rows[0][0]
    paginator = Paginator(range(min(total, limit)), PAGE_SIZE)
    if rows[0][1] is None and number > paginator.num_pages:
        number = paginator.num_pages
        rows = fetch(number)
    hits = [
        Hit(pk=pk, label=paragraph_label(prefix, paragraph_number), title=highlight(title),
            snippet=highlight(snippet), meeting_id=meeting_id, meeting_date=meeting_date, organ_name=organ_name,
            organisation_name=organisation_name, organisation_slug=organisation_slug)
        for (_total, pk, prefix, paragraph_number, title, snippet, meeting_id, meeting_date, organ_name,
             organisation_name, organisation_slug) in rows
        if pk is not None
    ]
    return SearchPage(hits=hits, page=Page(hits, number, paginator), capped=total > limit, limit=limit)


def highlight(snippet: str | None) -> SafeString:
    """The headline as safe HTML: the paragraph's own text escaped, the matches in <mark>."""
    text = escape(snippet or "")
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above
