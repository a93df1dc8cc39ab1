"""The board rendered once: each page of it is kept as rendered (BoardPage) until anything it
shows changes, and within a page each notice's block is kept (NoticeBlock) with a digest of
what it shows, so that a page rendered anew renders only the blocks whose digest changed.

With the page cache off (or just after a justering moved the cache's version on) the board
cost 40 times the bare view in process, five queries and the render (bench/public_inprocess.py,
issue 18). A stored page is one query. It is shown while it is of today, of the reader's
language, of the templates as deployed and of the board's current generation
(BoardGeneration): a number the database moves on at the commit of every transaction that
wrote to what the board shows (migration 0026's deferred triggers, so a write past the ORM's
signals counts too). The generation is read before the notices a page is rendered from, so a
page is never stored under a generation newer than what it shows.

A block depends on the notice and on rows that change after it is posted (the anslagsbevis and
the public PDF the worker issues, attachments, a renamed association), so its digest is taken
from the rows the page reads anyway: no query is added but the one that reads the blocks. What
is stored, page or block, is what the template renders; the whole answer is still masked
(views.public_response) when it is sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import cache
from typing import Any, cast

from celery import shared_task
from django.db.models import Q, QuerySet
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from config.compiled import CompiledValues

from ..models import BoardGeneration, BoardPage, NoticeBlock
from .selectors import NoticeRow, today

ROW_TEMPLATE = "public/_notice_row.html"
# Every template a page of the board's content is made of (views.board).
PAGE_TEMPLATES = ("public/_board_content.html", "public/_org_filter.html", "public/_pager.html", ROW_TEMPLATE)


@cache
def _template_digest(*names: str) -> str:
    """The templates' own text: a changed template (a deploy) makes every key new."""
    digest = hashlib.sha256()
    for name in names:
        source: str = cast(Any, get_template(name)).template.source  # the backend's Template wraps it
        digest.update(source.encode())
    return digest.hexdigest()


def _generation() -> int | None:
    """The board's generation now; None while the one row is missing (after a flush)."""
    return BoardGeneration.objects.values_list("generation", flat=True).first()


def _stored_page_query(scope: str, number: int, language: str, day: dt.date, template: str,
                       ) -> QuerySet[BoardPage, Any]:
    current = BoardGeneration.objects.order_by().values("generation")[:1]
    return (BoardPage.objects.filter(scope=scope, number=number, language=language, day=day, template=template,
                                     generation=current)
            .order_by().values("html")[:1])


_STORED_PAGE = CompiledValues(
    BoardPage, _stored_page_query, prepare=True, scope=("a", "b"), number=(1, 2), language=("sv", "en"),
    day=(dt.date(2001, 1, 1), dt.date(2002, 1, 1)), template=("a", "b"),
)


def board_page(scope: str, number: int, render: Callable[[dt.date], tuple[str, int]]) -> str:
    """Page `number` of the board of `scope` (an association's slug, "" for every one) as
    stored, if it is still today's; otherwise `render(day)` (the content's HTML and the number
    of the page it shows), stored for the next reader when it is the page asked for (a number
    past the last page shows the last, which is stored under its own number)."""
    day, language, template = today(), get_language(), _template_digest(*PAGE_TEMPLATES)
    found = _STORED_PAGE.rows(scope=scope, number=number, language=language, day=day, template=template)
    if found:
        return str(found[0]["html"])
    # Before the notices are read: a change committed after this is newer than the generation.
    generation = _generation()
    html, shown = render(day)
    if generation is not None and shown == number:  # none after a flush: until the next change, not stored
        BoardPage.objects.bulk_create(
            [BoardPage(scope=scope, number=number, language=language, day=day, generation=generation,
                       template=template, html=html)],
            update_conflicts=True, unique_fields=["scope", "number", "language"],
            update_fields=["day", "generation", "template", "html", "rendered_at"],
        )
    return html


def block_key(row: NoticeRow) -> str:
    """A digest of everything the block of `row` shows."""
    n = row.notice
    meeting = n.meeting
    parts = (
        _template_digest(ROW_TEMPLATE),
        [getattr(n, field.attname) for field in n._meta.concrete_fields],  # not only updated_at: raw SQL too
        n.organisation.name, n.organ.name if n.organ else None,
        (meeting.date.isoformat(), str(meeting.start_time)) if meeting else None,
        [(a.pk, a.title, a.file_type, a.size) for a in n.attachments.all()],
        (row.certificate.pk, row.certificate.size) if row.certificate else None,
        (row.minutes_pdf.pk, row.minutes_pdf.size) if row.minutes_pdf else None,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def notice_blocks(rows: list[NoticeRow]) -> list[SafeString]:
    """The HTML block of each row of the board (selectors.notices_up, which joins the stored
    blocks), in order: stored ones whose key still matches, the others rendered now and stored
    (no query to read them, one to write what was rendered)."""
    keys = {row.notice.pk: block_key(row) for row in rows}
    matching = {}
    for row in rows:
        block = getattr(row.notice, "block", None)  # None: none stored yet
        if block is not None and block.key == keys[row.notice.pk]:
            matching[row.notice.pk] = block.html
    template = get_template(ROW_TEMPLATE)
    blocks, fresh = [], []
    for row in rows:
        pk = row.notice.pk
        html = matching.get(pk)
        if html is None:
            html = template.render({"row": row, "level": 2})
            fresh.append(NoticeBlock(notice_id=pk, key=keys[pk], html=html))
        blocks.append(mark_safe(html))  # noqa: S308 - rendered by our own template, stored as rendered
    if fresh:
        NoticeBlock.objects.bulk_create(
            fresh, update_conflicts=True, unique_fields=["notice"], update_fields=["key", "html", "rendered_at"],
        )
    return blocks


def notice_blocks_prune() -> int:
    """Delete the blocks of notices no longer on the board (taken down before today): a block
    is only a rendering for the board, and one kept after its notice came down would keep a
    copy of what the notice said (a name, say) that nothing shows or corrects any more."""
    deleted, _ = NoticeBlock.objects.filter(notice__takedown_on__lt=today()).delete()
    return deleted


def board_pages_prune() -> int:
    """Delete the stored pages of the board of another day or generation, for the same reason:
    nothing shows them any more."""
    deleted, _ = BoardPage.objects.filter(~Q(day=today()) | ~Q(generation=_generation())).delete()
    return deleted


@shared_task(name="minutes.notice_blocks_prune", ignore_result=True)
def prune_notice_blocks() -> int:
    return notice_blocks_prune() + board_pages_prune()
