"""What every service that edits a meeting does: refuse locked minutes, clean text, keep positions
packed, delete with history, keep the history of autosaves in proportion, and tell the
justering (the `minutes_edited` signal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from board.audit import acting_user, save_with_actor

from ...models import Meeting
from ...signals import minutes_edited


def require_editable(meeting: Meeting) -> None:
    if not meeting.is_editable:
        raise ValidationError(_("Protokollet är justerat och kan inte ändras."))


def send_edited(meeting: Meeting, actor: Any, what: str) -> None:
    """Tell listeners (the justering) after commit that the minutes changed."""
    transaction.on_commit(
        lambda: minutes_edited.send(sender=Meeting, meeting=meeting, actor=actor, what=what)
    )


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def repack_positions(rows: Sequence[Any], actor: Any) -> None:
    """Positions 1..n in the given order (the unique constraint is deferred to commit)."""
    changed = []
    for i, row in enumerate(rows, start=1):
        if row.position != i:
            row.position = i
            changed.append(row)
    if changed:
        bulk_update_with_history(changed, type(changed[0]), ["position"], default_user=acting_user(actor))


def delete_row(row: Any, actor: Any) -> None:
    """Delete, recording the acting user in the row's history (as `save_with_actor` does)."""
    row._history_user = acting_user(actor)
    row.delete()


# The history's reason for a row written by the editor's autosave (django-simple-history's
# history_change_reason), so the next autosave knows the row is one of typing, not a save.
AUTOSAVE_REASON = "autospar"


def save_typed(row: Any, actor: Any, *, autosave: bool) -> None:
    """Save a row the secretary is typing in, with history in proportion.

    An explicit save (the form's button, the API) always writes its history row. An autosave
    (every pause in typing) writes one only if the row's latest history row is not one of
    this person's autosaves from the last AUTOSAVE_HISTORY_SECONDS; otherwise that row is
    brought up to date with the text, so the history keeps at most one row per stretch of
    typing, and still says who wrote what, and when they last did.
    """
    if not autosave:
        save_with_actor(row, actor)
        return
    user = acting_user(actor)
    last = row.history.order_by("-history_date", "-history_id").first() if row.pk else None
    window = dt.timedelta(seconds=settings.AUTOSAVE_HISTORY_SECONDS)
    if (
        last is None or user is None or last.history_change_reason != AUTOSAVE_REASON
        or last.history_user_id != user.pk or last.history_date < timezone.now() - window
    ):
        row._change_reason = AUTOSAVE_REASON
        save_with_actor(row, actor)
        return
    row.skip_history_when_saving = True
    try:
        save_with_actor(row, actor)
    finally:
        del row.skip_history_when_saving
    for field in row._meta.concrete_fields:
        setattr(last, field.attname, getattr(row, field.attname))
    last.history_date = timezone.now()
    last.save()
