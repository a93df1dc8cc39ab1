"""The notice board's answer to the justering: the anslag of justerade minutes.

Connected in MinutesConfig.ready (minutes/apps.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.dispatch import receiver

from ..justering.services import beside_the_justering
from ..models import Meeting
from ..signals import minutes_justered
from .services import notice_for_justering


@receiver(minutes_justered, dispatch_uid="notice_on_justering")
def post_notice(sender: Any, meeting: Meeting, actor: Any, justered_on: dt.date, **kwargs: Any) -> None:
    """Post the anslag in the justering's transaction; if it fails, the justering stands."""
    beside_the_justering(meeting, actor, "justering.notice_failed", "Anslaget kunde inte sättas upp",
                         lambda: notice_for_justering(meeting=meeting, justered_on=justered_on, actor=actor))
