"""The subscriptions' answer to a posted notice. Connected in MinutesConfig.ready (minutes/apps.py)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from ..models import Notice
from ..signals import notice_posted
from .services import mailing_create

logger = logging.getLogger(__name__)


@receiver(notice_posted, dispatch_uid="subscriptions_on_notice")
def notice_owed(sender: Any, notice: Notice, **kwargs: Any) -> None:
    """Record in the posting's transaction that the notice is owed to the subscribers. In a
    savepoint: if it fails, the notice (a legal duty) is posted all the same, unmailed."""
    try:
        with transaction.atomic():
            mailing_create(notice=notice)
    except Exception:
        logger.exception("notice %s: its mailing to the subscribers was not recorded", notice.pk)
