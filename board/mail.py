"""E-mail: the one place that sends it, after the act that sends it has committed.

A service that mails calls, inside its transaction,

    mail_queue(to=person, subject=..., body=..., kind=OutgoingMail.Kind.KALLELSE,
               meeting=meeting, actor=actor, attachments=[("x.ics", ics, "text/calendar")])

which writes an `OutgoingMail` row and, once the transaction commits, sends the worker a
message naming it (tasks.deliver_mail). A rolled-back act leaves no row and no message, and a
mail server that fails cannot roll back the act. The row is the record the secretary sees on
the meeting (to whom, what, when, result).

The worker's `mail_send` claims the row for its attempt (the Celery task id) with a lease of
MAIL_LEASE_SECONDS, sends it over SMTP and marks it skickad; only one attempt holds a row, so
a duplicate message (a sweep's, a broker's) does not send it twice. A failure is written on
the row; the attempt keeps its claim and the task retries itself after MAIL_RETRY_SECONDS,
doubling to MAIL_RETRY_MAX_SECONDS, until MAIL_MAX_ATTEMPTS; then, or at once when the server
refuses for good (5xx), the row is misslyckad. A row that no message took before its lease ran
out (the message was lost with the broker, never sent because the broker was down, or its
worker died) is sent again by the sweep (tasks.requeue_stuck_mail, WORKER_SWEEP_TASKS).
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import smtplib
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from board.audit import acting_user
from board.documents.models import RenderedDocument
from board.formatting import one_line
from board.models import OutgoingMail, Person
from config.celery import task_send

logger = logging.getLogger(__name__)

# The Celery task that sends a row (tasks.py); sent by name, as tasks.py imports this module.
SEND_TASK = "board.deliver_mail"

# Django's attachment: (filename, content, mimetype).
Attachment = tuple[str, bytes | str, str]


class MailRetry(Exception):  # noqa: N818 - not an error: the task's cue to retry
    """The send failed and is to be tried again in `seconds` (tasks.deliver_mail retries)."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.MAIL_LEASE_SECONDS)


def mail_retry_delay(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failure: MAIL_RETRY_SECONDS, doubling, capped."""
    return int(min(settings.MAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0), settings.MAIL_RETRY_MAX_SECONDS))


# --- Queueing, in the act's transaction ----------------------------------------------------


def mail_queue(
    *,
    to: Person | str,
    subject: str,
    body: str,
    kind: str,
    meeting: Any = None,
    organisation: Any = None,
    actor: Any = None,
    attachments: Sequence[Attachment | RenderedDocument] = (),
    headers: dict[str, str] | None = None,
) -> OutgoingMail:
    """Record a mail to `to` (a person with an address, or an address) and send it after commit.

    An attachment is Django's (filename, content, mimetype), kept in the row, or an issued
    RenderedDocument, whose file is read when the mail is sent. The organisation is the
    meeting's unless given. `headers` are added to the message as they are (one line each).
    """
    address, name = (to.email, to.full_name) if isinstance(to, Person) else (to, "")
    if not address:
        raise ValueError("mail_queue needs an address")
    if organisation is None and meeting is not None:
        organisation = meeting.organ.organisation
    mail = OutgoingMail.objects.create(
        organisation=organisation,
        meeting=meeting,
        kind=kind,
        recipient=address,
        recipient_name=name,
        subject=one_line(subject),  # a Subject header cannot hold a line break
        body=body,
        attachments=[_stored(a) for a in attachments],
        headers={name: one_line(value) for name, value in (headers or {}).items()},
        actor=acting_user(actor),
        lease_until=timezone.now() + lease(),
    )
    transaction.on_commit(lambda: task_send(SEND_TASK, mail.pk))
    return mail


def _stored(attachment: Attachment | RenderedDocument) -> dict[str, Any]:
    if isinstance(attachment, RenderedDocument):
        return {"document": attachment.pk}
    filename, content, mimetype = attachment
    data = content.encode() if isinstance(content, str) else content
    return {"filename": filename, "mimetype": mimetype, "content": base64.b64encode(data).decode()}


def _attachment(stored: dict[str, Any]) -> Attachment:
    if "document" in stored:
        document = RenderedDocument.objects.get(pk=stored["document"])
        with document.file.open("rb") as fh:
            return document.filename, fh.read(), "application/pdf"
    return stored["filename"], base64.b64decode(stored["content"]), stored["mimetype"]


# --- Sending, in the worker ----------------------------------------------------------------


def _claim(mail_id: int, attempt: str) -> OutgoingMail | None:
    """The row, now `attempt`'s to send; None when it is no longer waiting or another live
    attempt holds it (one sending, or waiting for its retry)."""
    now = timezone.now()
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update(skip_locked=True).filter(pk=mail_id).first()
        if mail is None or mail.status != OutgoingMail.Status.QUEUED:
            return None
        if mail.claimed_by and mail.claimed_by != attempt and mail.lease_until and mail.lease_until > now:
            return None
        if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
            # Taken over after its attempts died midway (their worker was lost) once too often.
            mail.status = OutgoingMail.Status.FAILED
            mail.last_error = mail.last_error or f"Sändningen avbröts {mail.attempts} gånger."
            mail.claimed_by, mail.lease_until = "", None
            mail.save(update_fields=["status", "last_error", "claimed_by", "lease_until"])
            return None
        mail.claimed_by = attempt
        mail.lease_until = now + lease()
        mail.attempts += 1
        mail.save(update_fields=["claimed_by", "lease_until", "attempts"])
        return mail


def mail_send(mail_id: int, *, attempt: str = "") -> OutgoingMail | None:
    """Send one queued mail over the configured backend; None when there was nothing to send.

    Raises MailRetry when it failed and is to be tried again (the row says why). Never sends
    a row that is skickad, or one another attempt holds.
    """
    attempt = attempt or f"direct-{uuid.uuid4()}"
    mail = _claim(mail_id, attempt)
    if mail is None:
        return None
    mine = OutgoingMail.objects.filter(pk=mail.pk, status=OutgoingMail.Status.QUEUED, claimed_by=attempt)
    try:
        message = EmailMessage(
            subject=mail.subject, body=mail.body, to=[mail.recipient], headers=mail.headers or None,
            connection=get_connection(fail_silently=False),
        )
        for stored in mail.attachments:
            message.attach(*_attachment(stored))
        message.send()
    except Exception as exc:
        error = _describe(exc)[:4000]
        logger.warning("mail %s to %s, attempt %d: %s", mail.pk, mail.recipient, mail.attempts, error)
        if _permanent(exc) or mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
            mine.update(status=OutgoingMail.Status.FAILED, last_error=error, claimed_by="", lease_until=None)
            mail.refresh_from_db()
            return mail
        delay = mail_retry_delay(mail.attempts)
        # The claim stays this attempt's while it waits: only its retry takes the row, unless
        # the retry is lost and the lease runs out (then the sweep sends it again).
        mine.update(last_error=error, lease_until=timezone.now() + dt.timedelta(seconds=delay) + lease())
        raise MailRetry(delay) from exc
    if not mine.update(
        status=OutgoingMail.Status.SENT, sent_at=timezone.now(), last_error="", claimed_by="", lease_until=None
    ):
        logger.warning("mail %s was sent after its claim had run out", mail.pk)
    mail.refresh_from_db()
    return mail


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"E-postservern svarade {exc.smtp_code}: {text}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(
            f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for code, msg in exc.recipients.values()
        )
        return f"E-postservern tog inte emot mottagaren: {answers}"
    if isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException):
        return f"E-postservern gick inte att nå: {exc}"
    return f"{type(exc).__name__}: {exc}"


def _permanent(exc: Exception) -> bool:
    """A refusal that another try will not change (an SMTP 5xx answer)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _msg in exc.recipients.values())
    return False


# --- The sweep -----------------------------------------------------------------------------


def mails_stuck(*, now: dt.datetime | None = None) -> models.QuerySet[OutgoingMail]:
    """Waiting rows whose lease ran out: no message took them in time (lost with the broker or
    never sent), their attempt's worker died, or their retry's message was lost."""
    now = now or timezone.now()
    return OutgoingMail.objects.filter(
        Q(status=OutgoingMail.Status.QUEUED) & (Q(lease_until__lt=now) | Q(lease_until__isnull=True))
    )


def mails_release_stuck(*, limit: int = 500) -> list[int]:
    """Free the stuck rows for a new message, and return their ids (tasks.requeue_stuck_mail
    sends them). Each gets a fresh lease, so the next sweep leaves it alone while its message
    waits in the queue."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            mails_stuck(now=now).select_for_update(skip_locked=True)
            .order_by("queued_at").values_list("pk", flat=True)[:limit]
        )
        OutgoingMail.objects.filter(pk__in=ids).update(claimed_by="", lease_until=now + lease())
    return ids


# --- The record ----------------------------------------------------------------------------


def mails_forget(*, recipient: str, kinds: Sequence[str], headers: dict[str, str] | None = None,
                 waiting_only: bool = False) -> int:
    """Delete the rows of `kinds` to `recipient` (those carrying all of `headers`, if given; only
    those still waiting, if asked): for mail whose recipient asked to be forgotten (a
    subscription ended). A waiting row deleted is not sent; an attempt sending it just now
    finds its row gone and logs it. Returns how many rows went."""
    rows = OutgoingMail.objects.filter(recipient=recipient, kind__in=list(kinds))
    if headers:
        rows = rows.filter(headers__contains=headers)
    if waiting_only:
        rows = rows.filter(status=OutgoingMail.Status.QUEUED)
    deleted, _by_model = rows.delete()
    return deleted


def meeting_mails(meeting: Any, *, kind_prefix: str = "") -> models.QuerySet[OutgoingMail]:
    """The mail sent about a meeting, newest first; kind_prefix "justering." or "kallelse"."""
    return OutgoingMail.objects.filter(meeting=meeting, kind__startswith=kind_prefix)
