"""Full-text search over the public paragraphs (PostgreSQL, `swedish` configuration).

What is searched is the public projection of each justerade minutes (PublicParagraph,
written at the justering from the signed snapshot by minutes/projection.py): a
confidential paragraph is there without its title and text, so it can never come back as a
hit or a snippet, and a draft is never there. The vector is the stored, generated column
`search_sv` (title weighted A, text B) with its GIN index; ts_rank orders, ts_headline marks
the matches (django.contrib.postgres.search).

The matches ranked are the CANDIDATES most recently recorded ones (highest paragraph id;
paragraphs are written in the order of the meetings). A word found in a third of a hundred
thousand paragraphs would otherwise have every match fetched and ranked at every search (108
ms of SQL per request on the benchmark's dataset, about 6 ms this way: PostgreSQL walks the
primary key backwards for a common word and uses the GIN index for a rare one). A search
with more matches says so and asks for a narrower one: the filters (association, year,
organ) narrow the candidates, so within them the ranking is complete again.

A page of results is two queries whatever the size of the archive: the candidates with their
rank (at most CANDIDATES + 1 rows of five numbers: the window is found once, counted and
ordered here), and the page's twenty rows with their meeting, association and highlighted
snippets (ts_headline for those twenty only). Both are the ORM's querysets, compiled once per
process (config/compiled.py) with the day, the words and the filters' values as parameters:
building and compiling them took a search more CPU than running them. The longest retention
of any association, which bounds the meeting dates for the index, is one of those values (the
page has it from its filters' choices): as a subquery PostgreSQL could not see it when it
planned, guessed a third, and chose a bitmap of every match for a phrase (25 ms, not 2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db.models import BigIntegerField, F, Lookup, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from board.models import Organ
from config.compiled import CompiledValues

from ..models import SEARCH_CONFIG, PublicParagraph
from ..projection import public_text
from .selectors import longest_minutes_retention, organisation_choices, public_paragraphs, today

CONFIG = SEARCH_CONFIG
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


def _query(text: str) -> SearchQuery:
    return SearchQuery(text, config=CONFIG, search_type="websearch")


def _matches(query: SearchQuery, day: dt.date, longest_months: int, *, organisation_id: int | None = None,
             start: dt.date | None = None, end: dt.date | None = None,
             organ_id: int | None = None) -> QuerySet[PublicParagraph]:
    matches = public_paragraphs(day, longest_months).filter(search_sv=query)
    if organisation_id is not None:
        matches = matches.filter(organ_id__in=Organ.objects.filter(organisation_id=organisation_id).values("pk"))
    if start is not None and end is not None:
        # The year as a range of meeting dates: the index public_paragraph_order serves it (a
        # filter on the `year` column read the whole table: 60 ms for a common word).
        matches = matches.filter(meeting_date__gte=start, meeting_date__lt=end)
    if organ_id is not None:
        matches = matches.filter(organ_id=organ_id)
    return matches


@cache
def _candidates_query(organisation: bool, year: bool, organ: bool, limit: int) -> CompiledValues:
    """The candidates query for one combination of filters and one window, compiled once per
    process (config/compiled.py): building and compiling it through the ORM took longer than
    PostgreSQL took to run it for most words (bench/public_inprocess.py, "search mix")."""

    def candidates(text: str, day: dt.date, longest_months: int, **filters: Any) -> QuerySet[Any, Any]:
        query = _query(text)
        return (_matches(query, day, longest_months, **filters).order_by("-pk")
                .annotate(rank=SearchRank(F("search_sv"), query))
                .values("pk", "rank", "year", "meeting_id", "position")[: limit + 1])  # one more: there were more

    samples: dict[str, Any] = {"text": ("a", "b"), "day": (dt.date(2001, 1, 1), dt.date(2002, 1, 1)),
                               "longest_months": (901, 902)}
    if organisation:
        samples["organisation_id"] = (1, 2)
    if year:
        samples["start"], samples["end"] = (dt.date(2003, 1, 1), dt.date(2004, 1, 1)), (dt.date(2005, 1, 1),
                                                                                        dt.date(2006, 1, 1))
    if organ:
        samples["organ_id"] = (1, 2)
    return CompiledValues(PublicParagraph, candidates, **samples)


class _AnyOf(Lookup):  # type: ignore[type-arg]
    """`lhs = ANY(rhs)` for an array `rhs`: one parameter, whatever the number of values
    (`__in` writes a placeholder per value, which compiled SQL cannot take)."""

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def _shown_query(text: str, ids: list[int]) -> QuerySet[Any, Any]:
    """The rows of `ids` with their highlighted title and snippet: ts_headline for these only.
    The ids as one array (_AnyOf), so that the SQL is the same for any number of them."""
    query = _query(text)
    return (
        PublicParagraph.objects.filter(_AnyOf(F("pk"), Value(ids, output_field=ArrayField(BigIntegerField()))))
        .annotate(
            title_marked=SearchHeadline("title", query, config=CONFIG, start_sel=START, stop_sel=STOP,
                                        highlight_all=True),
            body_marked=SearchHeadline("body", query, config=CONFIG, start_sel=START, stop_sel=STOP,
                                       max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … "),
        )
        .order_by()
        .values("pk", "label", "title_marked", "body_marked", "meeting_id", "meeting__date",
                "organ__name", "organ__organisation__name", "organ__organisation__slug")
    )


_SHOWN = CompiledValues(PublicParagraph, _shown_query, prepare=True, text=("a", "b"), ids=([1], [2]))


def candidates_for(filters: Filters, limit: int) -> tuple[CompiledValues, dict[str, Any]]:
    """The compiled candidates query for the filters given, and their values as its
    parameters (a year as its range of meeting dates)."""
    given: dict[str, Any] = {}
    if filters.organisation_id:
        given["organisation_id"] = filters.organisation_id
    if filters.year:
        given["start"], given["end"] = dt.date(filters.year, 1, 1), dt.date(filters.year + 1, 1, 1)
    if filters.organ_id:
        given["organ_id"] = filters.organ_id
    return _candidates_query("organisation_id" in given, "start" in given, "organ_id" in given, limit), given


def search_page(text: str, filters: Filters = Filters(), number: int = 1, longest_months: int | None = None) -> SearchPage:
    """Page `number` of the hits for `text` (the last page if there are fewer); two queries:
    the candidates with their rank (at most CANDIDATES + 1 small rows, ordered here), then
    the page's rows with their highlighted snippets. `longest_months` is the longest minutes
    retention of any association (longest_minutes_retention of the filters' choices, which
    the page has); without it, a third query reads it."""
    limit = CANDIDATES
    compiled, given = candidates_for(filters, limit)
    if longest_months is None:
        longest_months = longest_minutes_retention(organisation_choices())
    candidates = compiled.rows(text=text, day=today(), longest_months=longest_months, **given)
    total = len(candidates)
    ranked = sorted(candidates[:limit], key=lambda c: (-c["rank"], -c["year"], -c["meeting_id"], c["position"]))
    paginator = Paginator(ranked, PAGE_SIZE)
    # No page lies past the last page of hits: a larger number (a typed ?sida=) shows the last.
    number = min(max(1, number), paginator.num_pages)
    offset = (number - 1) * PAGE_SIZE
    shown = [c["pk"] for c in ranked[offset: offset + PAGE_SIZE]]
    rows = {row["pk"]: row for row in _SHOWN.rows(text=text, ids=shown)} if shown else {}
    hits = [
        Hit(pk=row["pk"], label=row["label"], title=highlight(row["title_marked"]),
            snippet=highlight(row["body_marked"]), meeting_id=row["meeting_id"], meeting_date=row["meeting__date"],
            organ_name=row["organ__name"], organisation_name=row["organ__organisation__name"],
            organisation_slug=row["organ__organisation__slug"])
        for row in (rows[pk] for pk in shown if pk in rows)
    ]
    return SearchPage(hits=hits, page=Page(hits, number, paginator), capped=total > limit, limit=limit)


def highlight(snippet: str | None) -> SafeString:
    """The headline as safe HTML: the paragraph's own text escaped (and any personal identity
    number in it masked, as the index already has it), the matches in <mark>."""
    text = escape(public_text((snippet or "").replace(START, "").replace(STOP, "")) if _number_split(snippet)
                  else public_text(snippet or ""))
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above


def _number_split(snippet: str | None) -> bool:
    """Whether a mark falls inside a run of digits, where it would hide a number from the mask
    (the marks are dropped then: a number is worth more than a highlight)."""
    if not snippet:
        return False
    import re

    return bool(re.search(rf"\d[{START}{STOP}]|[{START}{STOP}]\d", snippet))
