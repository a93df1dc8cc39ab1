"""Sending e-mail in the background (board/mail.py). Tasks take ids and can run twice: the
row's claim decides which attempt sends."""

from __future__ import annotations

import logging

from celery import shared_task

from config.celery import task_send

from .mail import SEND_TASK, MailRetry, mail_send, mails_release_stuck

logger = logging.getLogger(__name__)


@shared_task(
    name=SEND_TASK,
    bind=True,
    ignore_result=True,  # the row holds the outcome
    max_retries=None,  # the row counts the attempts (MAIL_MAX_ATTEMPTS)
    # Far below MAIL_LEASE_SECONDS (a send that hangs is stopped before another may take the
    # row over) and the broker's visibility_timeout.
    soft_time_limit=90,
    time_limit=100,
)
def deliver_mail(self, mail_id: int) -> str:
    """Send one OutgoingMail; a failure is written on the row and retried with back-off."""
    try:
        mail = mail_send(mail_id, attempt=self.request.id or "")
    except MailRetry as retry:
        # Same task id, so the retry finds the row still its own. If the broker cannot take
        # the retry, the row's lease runs out and the sweep sends it again.
        raise self.retry(countdown=retry.seconds) from None
    return mail.status if mail is not None else "skipped"


@shared_task(name="board.requeue_stuck_mail", ignore_result=True)
def requeue_stuck_mail() -> int:
    """Send again the mail no message will send any more (mail.mails_stuck).

    Run by every worker when it starts, reconnects and every WORKER_SWEEP_SECONDS
    (config/celery.py), and by beat. With the broker down nothing is lost: the rows' leases run
    out again and the next sweep tries once more.
    """
    ids = mails_release_stuck()
    sent = []
    for pk in ids:
        if not task_send(deliver_mail, pk):
            break
        sent.append(pk)
    if sent:
        logger.warning("re-queued %d stuck mails: %s", len(sent), sent)
    return len(sent)
