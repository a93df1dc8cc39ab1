"""The board's notices rendered once: each notice's block is kept (NoticeBlock) with a digest
of what it shows, and a page of the board renders only the blocks whose digest changed.

The board is what every visitor opens first, and with the page cache off (or just after a
justering moved the cache's version on) rendering its 25 blocks was most of its time. The
block depends on the notice and on rows that change after it is posted (the anslagsbevis and
the public PDF the worker issues, attachments, a renamed association), so the digest is taken
from the rows the page reads anyway: no query is added but the one that reads the blocks, and
no signal has to remember to invalidate anything. What is stored is the block as the template
renders it; the whole answer is still masked (views.public_response) when it is sent.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any, cast

from celery import shared_task
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from ..models import NoticeBlock
from .selectors import NoticeRow, today

ROW_TEMPLATE = "public/_notice_row.html"


@cache
def _template_digest() -> str:
    """The row template's own text: a changed template (a deploy) makes every key new."""
    source: str = cast(Any, get_template(ROW_TEMPLATE)).template.source  # the backend's Template wraps it
    return hashlib.sha256(source.encode()).hexdigest()


def block_key(row: NoticeRow) -> str:
    """A digest of everything the block of `row` shows."""
    n = row.notice
    meeting = n.meeting
    parts = (
        _template_digest(),
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


@shared_task(name="minutes.notice_blocks_prune", ignore_result=True)
def prune_notice_blocks() -> int:
    return notice_blocks_prune()
