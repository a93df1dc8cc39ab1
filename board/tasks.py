"""Background work of the registry: rendering issued documents.

Tasks take ids and can run twice (board.documents.document_render is idempotent).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .documents import MAX_ATTEMPTS, RenderedDocument, document_render, documents_stuck

logger = logging.getLogger(__name__)


@shared_task(
    name="board.render_document",
    autoretry_for=(Exception,),
    max_retries=MAX_ATTEMPTS - 1,  # five tries in all
    retry_backoff=2,  # 2, 4, 8, 16 s (with jitter), capped below
    retry_backoff_max=300,
    retry_jitter=True,
)
def render_document(document_id: int) -> str:
    """Render and seal one RenderedDocument; a failure is recorded on the row and retried."""
    # A long-lived worker must not trust content type ids cached from before a database
    # reset (tests flush and recreate them); one query per render is nothing next to it.
    ContentType.objects.clear_cache()
    document = document_render(document_id)
    return document.status if document is not None else "skipped"


@shared_task(name="board.requeue_stuck_documents")
def requeue_stuck_documents() -> int:
    """Queue again the renders that have waited or run for more than ten minutes.

    A queued row whose message was lost, or a row left 'renderas' by a worker that died, would
    otherwise wait for ever; the task takes a stale 'renderas' row over.
    """
    ids = list(documents_stuck().values_list("pk", flat=True))
    if not ids:
        return 0
    # Restart the clock, so a long queue is not flooded with duplicates every run.
    RenderedDocument.objects.filter(pk__in=ids, status=RenderedDocument.Status.QUEUED).update(
        queued_at=timezone.now()
    )
    for pk in ids:
        render_document.delay(pk)
    logger.warning("re-queued %d stuck document renders: %s", len(ids), ids)
    return len(ids)
