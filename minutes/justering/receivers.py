"""What the justering does when a lower part of the minutes tells it something.

Connected in MinutesConfig.ready (minutes/apps.py).
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from ..models import Meeting
from ..signals import minutes_edited
from .services import justering_refresh_version


@receiver(minutes_edited, dispatch_uid="justering_void_on_edit")
def void_on_edit(sender: Any, meeting: Meeting, actor: Any = None, what: str = "", **kwargs: Any) -> None:
    """An edit under justering makes a new version and voids the signatures of the old one."""
    # Most edits happen while drafting (every autosave): no lock, no snapshot for those.
    if Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.JUSTERING).exists():
        justering_refresh_version(meeting=meeting, actor=actor, what=what)
