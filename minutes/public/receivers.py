"""What the public side does when the rest of the minutes, or board, change something.

Connected in MinutesConfig.ready (minutes/apps.py). The stored page does not depend on the
anslag (minutes/notices/receivers.py answers the same signal), so their order does not matter.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ..justering.services import beside_the_justering
from ..models import Meeting
from ..signals import minutes_justered
from .cache import public_version_bump_on_commit
from .publication import publish


@receiver(minutes_justered, dispatch_uid="public_page_on_justering")
def publish_justered(sender: Any, meeting: Meeting, actor: Any, **kwargs: Any) -> None:
    """Store the public page in the justering's transaction; if it fails, the justering stands."""
    beside_the_justering(meeting, actor, "minutes.publish_failed", "Webbsidan kunde inte skapas",
                         lambda: publish(meeting))


# --- the version of everything the public pages show ----------------------------------------
# The public pages cache their rendered content under this version (minutes/public/cache.py);
# a save or delete of something they show moves it on.
#
# Not every model of the minutes: the public pages show justerade minutes only, and the
# justering's database triggers refuse any change to their paragraphs, clauses, votes,
# attendance, reservations, notes and jäv (migration 0005). Those rows change only while the
# minutes are drafts, which no public page shows; a secretary's autosave must not empty the
# cache of every association's public pages. What can change while shown: the meeting itself
# (its status - justering or unlocking - and date, time and place in a kungörelse), notices and
# their attachments, the issued public PDFs (RenderedDocument.is_public), and the names of associations, organs and people.

PUBLIC_MODELS = frozenset({
    "minutes.Notice", "minutes.NoticeAttachment", "minutes.Meeting", "board.Organisation",
    "board.Organ", "board.Person",
})


@receiver(post_save, dispatch_uid="public_pages_changed_save")
@receiver(post_delete, dispatch_uid="public_pages_changed_delete")
def public_changed(sender: type[models.Model], instance: models.Model, **kwargs: object) -> None:
    label = sender._meta.label
    if label in PUBLIC_MODELS or (
        label == "board.RenderedDocument" and instance.is_public  # type: ignore[attr-defined]
    ):
        public_version_bump_on_commit()

