"""Rendering issued documents in the background.

Tasks take ids and can run twice (services.document_render is idempotent).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from config.celery import task_send

from .models import MAX_ATTEMPTS, RenderedDocument
from .services import RENDER_TASK, RETRY_WAIT_MAX, document_render, documents_stuck

logger = logging.getLogger(__name__)


@shared_task(
    name=RENDER_TASK,
    bind=True,
    ignore_result=True,  # nobody reads it; the row holds the outcome
    autoretry_for=(Exception,),
    max_retries=MAX_ATTEMPTS - 1,  # five tries in all
    retry_backoff=2,  # 2, 4, 8, 16 s (with jitter), capped below
    retry_backoff_max=int(RETRY_WAIT_MAX.total_seconds()),
    retry_jitter=True,
    # A render that hangs is stopped (and retried) rather than holding its row for ever; both
    # limits stay far below the broker's visibility_timeout (config/settings.py), so a message
    # comes back with the same task id only once the attempt that had it is gone.
    soft_time_limit=540,
    time_limit=600,
)
def render_document(self, document_id: int) -> str:
    """Render and seal one RenderedDocument; a failure is recorded on the row and retried."""
    # A long-lived worker must not trust content type ids cached from before a database
    # reset (tests flush and recreate them); one query per render is nothing next to it.
    ContentType.objects.clear_cache()
    document = document_render(document_id, attempt=self.request.id or "")
    return document.status if document is not None else "skipped"


@shared_task(name="board.requeue_stuck_documents", ignore_result=True)
def requeue_stuck_documents() -> int:
    """Send again the renders no message will make any more (services.documents_stuck).

    Run by every worker when it starts, when it reconnects to the broker and every
    WORKER_SWEEP_SECONDS (config/celery.py), and by beat. Several at once are harmless: a
    render is claimed by one attempt only. With the broker still down nothing is lost; the next
    sweep tries again.
    """
    ids = list(documents_stuck().order_by("queued_at").values_list("pk", flat=True)[:500])
    sent = []
    for pk in ids:
        if not task_send(render_document, pk):
            break  # the broker is down: the rest waits for the next sweep
        sent.append(pk)
    if sent:
        # The clock restarts, so the next sweep does not send these once more while they wait.
        RenderedDocument.objects.filter(pk__in=sent).update(queued_at=timezone.now())
        logger.warning("re-queued %d stuck document renders: %s", len(sent), sent)
    return len(sent)
