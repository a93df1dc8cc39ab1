"""The subscriptions' background work: each batch of a notice's mailing, the sweep that sends
again a batch whose message was lost (or a notice whose posting day has come), and the hourly
deletion of subscriptions never confirmed. Tasks take ids and can run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from config.celery import task_send

from .services import FANOUT_TASK, mailing_batch, mailings_release_stuck, subscriptions_expire

logger = logging.getLogger(__name__)


@shared_task(name=FANOUT_TASK, ignore_result=True, soft_time_limit=90, time_limit=100)
def subscription_fanout(mailing_id: int, cursor: str) -> int:
    """Queue one batch of a notice's mail (services.mailing_batch); a failure leaves the batch
    to the sweep once the mailing's lease has run out."""
    return mailing_batch(mailing_id, cursor)


@shared_task(name="minutes.requeue_stuck_notice_mailings", ignore_result=True)
def requeue_stuck_notice_mailings() -> int:
    """Send again the batches no message will run (services.mailings_release_stuck); run by
    every worker's sweep (WORKER_SWEEP_TASKS) and by beat."""
    sent = []
    for pk, cursor in mailings_release_stuck():
        if not task_send(subscription_fanout, pk, cursor):
            break
        sent.append(pk)
    if sent:
        logger.info("sent the batches of %d notice mailings: %s", len(sent), sent)
    return len(sent)


@shared_task(name="minutes.subscriptions_expire", ignore_result=True)
def expire_subscriptions() -> int:
    """Delete the subscriptions not confirmed in time (hourly, from beat)."""
    return subscriptions_expire()
