"""The paragraph numbers: continuous per organ and calendar year, serialised by locking the
`ParagraphYear` row.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from board.audit import acting_user, save_with_actor
from board.models import Organ

from ...models import (
    Paragraph,
    ParagraphYear,
)


def lock_year(organ: Organ, year: int) -> ParagraphYear:
    """Lock (creating if needed) the organ's numbering series for the year."""
    # ON CONFLICT DO NOTHING: two first-ever paragraphs of a year may race to create the row.
    ParagraphYear.objects.bulk_create([ParagraphYear(organ=organ, year=year)], ignore_conflicts=True)
    return ParagraphYear.objects.select_for_update().get(organ=organ, year=year)


@transaction.atomic
def paragraph_year_set_first_number(*, organ: Organ, year: int, first_number: int, actor: Any) -> ParagraphYear:
    """Where the year's numbering starts in this system (numbers used before it are kept)."""
    series = lock_year(organ, year)
    if first_number < 1:
        raise ValidationError({"first_number": _("Numret måste vara minst 1.")})
    series.first_number = first_number
    save_with_actor(series, actor)
    renumber_year(series, actor)
    return series


def renumber_year(series: ParagraphYear, actor: Any) -> None:
    """Number the year's paragraphs gap-free in meeting order; `series` is locked by the caller.

    Meetings are ordered by date and time, paragraphs by position. A number that would change
    in justerade minutes stops everything: signed minutes keep their numbers.
    """
    paragraphs = list(
        Paragraph.objects.filter(organ_id=series.organ_id, year=series.year)
        .select_related("meeting")
        .order_by("meeting__date", "meeting__start_time", "meeting_id", "position")
    )
    changed = []
    for i, paragraph in enumerate(paragraphs):
        number = series.first_number + i
        if paragraph.number != number:
            if not paragraph.meeting.is_editable:
                raise ValidationError(
                    _("Ändringen skulle numrera om justerade paragrafer (%(label)s).")
                    % {"label": paragraph.label}
                )
            paragraph.number = number
            changed.append(paragraph)
    if changed:
        bulk_update_with_history(changed, Paragraph, ["number"], default_user=acting_user(actor))
