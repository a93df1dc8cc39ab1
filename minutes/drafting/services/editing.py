"""What every service that edits a meeting does: refuse locked minutes, clean text, keep positions
packed, delete with history, and tell the justering (the `minutes_edited` signal).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from board.audit import acting_user

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
