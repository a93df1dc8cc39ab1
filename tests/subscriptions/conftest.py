"""Fixtures for the e-mail subscriptions: the tests' SMTP server, a subscriber made through the
pages, notices posted through the notice board's services, and fresh rate-limit counts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from django_redis import get_redis_connection

from board.mail import mail_send
from board.models import OutgoingMail
from minutes.models import Notice, Subscription
from minutes.notices import services as notices

CONFIRM_LINK = re.compile(r"https?://\S+?(/prenumerera/bekrafta/[\w-]+/)")


@pytest.fixture(autouse=True)
def _media(media_in_tmp: Path) -> Path:
    return media_in_tmp


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """The counts live in the session's Redis for an hour: each test starts from none."""
    client = get_redis_connection("default")
    for key in client.scan_iter(match="*prenumeration:*"):
        client.delete(key)
    yield


def deliver() -> None:
    """The worker's part, in this process: send every waiting row (to the tests' SMTP server
    with the `smtp` fixture). The tests without a worker never commit, so no message went."""
    for pk in OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).order_by("pk").values_list("pk", flat=True):
        mail_send(pk)


def header(message, name: str) -> str:
    """A header's value as a mail client reads it: a long one is folded onto its next line,
    and unfolding leaves the fold's white space in front (RFC 5322 2.2.3)."""
    return str(message[name]).strip()


def path_of(url: str) -> str:
    return urlsplit(url).path


def subscribe(client: Client, email: str, *, forbund: str = "", notices: bool = True, meetings: bool = False,
              ip: str = "198.51.100.7"):
    data = {"email": email, "forbund": forbund}
    if notices:
        data["anslag"] = "on"
    if meetings:
        data["kungorelser"] = "on"
    return client.post("/prenumerera/", data, REMOTE_ADDR=ip)


def confirm_path(smtp, email: str) -> str:
    """The confirmation link of the last mail to `email` the SMTP server received."""
    body = smtp.to(email)[-1].get_content()
    match = CONFIRM_LINK.search(body)
    assert match, body
    return match.group(1)


def subscribed(client: Client, smtp, email: str, **kwargs) -> Subscription:
    """A confirmed subscriber, through the pages: the form, the mail, the confirmation button."""
    assert subscribe(client, email, **kwargs).status_code == 200
    deliver()
    assert client.post(confirm_path(smtp, email)).status_code == 200
    subscription = Subscription.objects.get(email=email.lower(), organisation__slug=kwargs.get("forbund") or None)
    assert subscription.confirmed_at is not None
    return subscription


def post_free_notice(org, actor, *, title: str = "Ändrad förbundsordning", body: str = "",
                     posted_on: dt.date | None = None) -> Notice:
    day = posted_on or timezone.localdate()
    return notices.notice_create(organisation=org, kind=Notice.Kind.FREE, title=title, body=body,
                                 posted_on=day, takedown_on=day + dt.timedelta(days=14), actor=actor)


def fan_out(notice: Notice) -> int:
    """The fan-out task's part, in this process: every batch of the notice's mailing; how many
    mails were queued."""
    from minutes.subscriptions.services import mailing_batch

    queued = 0
    mailing = notice.mailing
    while True:
        mailing.refresh_from_db()
        if mailing.status != mailing.Status.PENDING:
            return queued
        n = mailing_batch(mailing.pk, mailing.cursor)
        queued += n
        mailing.refresh_from_db()
        if n == 0 and mailing.status == mailing.Status.PENDING:
            return queued  # not up (yet): left for the sweep
