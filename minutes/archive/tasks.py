"""Building the yearly archive package in the background (tasks take ids and can run twice)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from config.celery import task_send

from ..models import ARCHIVE_MAX_ATTEMPTS, ArchivePackage
from .services import BUILD_TASK, RETRY_WAIT_MAX, archive_build, archives_stuck

logger = logging.getLogger(__name__)


@shared_task(
    name=BUILD_TASK,
    bind=True,
    ignore_result=True,  # the row holds the outcome
    autoretry_for=(Exception,),
    max_retries=ARCHIVE_MAX_ATTEMPTS - 1,
    retry_backoff=10,
    retry_backoff_max=int(RETRY_WAIT_MAX.total_seconds()),
    retry_jitter=True,
    # Far below the broker's visibility_timeout (an hour), as for the renders.
    soft_time_limit=1740,
    time_limit=1800,
)
def build_archive_package(self, package_id: int) -> str:
    package = archive_build(package_id, attempt=self.request.id or "")
    return package.status if package is not None else "skipped"


@shared_task(name="minutes.requeue_stuck_archive_packages", ignore_result=True)
def requeue_stuck_archive_packages() -> int:
    """Send again the builds no message will make any more (services.archives_stuck)."""
    ids = list(archives_stuck().order_by("queued_at").values_list("pk", flat=True)[:100])
    sent = []
    for pk in ids:
        if not task_send(build_archive_package, pk):
            break
        sent.append(pk)
    if sent:
        ArchivePackage.objects.filter(pk__in=sent).update(queued_at=timezone.now())
        logger.warning("re-queued %d stuck archive packages: %s", len(sent), sent)
    return len(sent)
