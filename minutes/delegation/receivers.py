"""The delegation register's answer to the justering: reported decisions count as reported.

Connected in MinutesConfig.ready (minutes/apps.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.dispatch import receiver

from ..justering.services import beside_the_justering
from ..models import Meeting
from ..signals import minutes_justered
from .services import delegation_reported


@receiver(minutes_justered, dispatch_uid="delegation_reported_on_justering")
def mark_reported(sender: Any, meeting: Meeting, actor: Any, justered_on: dt.date, **kwargs: Any) -> None:
    """In the justering's transaction; if it fails, the justering stands (and it is recorded)."""
    beside_the_justering(meeting, actor, "justering.delegation_failed",
                         "Delegationsbesluten kunde inte markeras som anmälda",
                         lambda: delegation_reported(meeting=meeting, justered_on=justered_on, actor=actor))
