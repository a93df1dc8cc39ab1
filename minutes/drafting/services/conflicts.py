"""When a save of a § meets a newer version: what the secretary is shown and may choose.

`paragraph_conflict` reads the saved § (theirs), the text the secretary's save was based on
(the base: the paragraph's history, django-simple-history, at the version the form was
opened with) and the secretary's own values (mine), and answers both texts side by side
with their differences marked and the three-way merge of them (`merging`). Nothing is
written: the choice (keep mine, take theirs, merge) is the secretary's, and a save after it
goes through `paragraph_update` with `resolution`, which records it in the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from board.people import display_name

from ...models import DecisionClause, Paragraph
from .merging import SideBySide, is_html, merge_text, side_by_side

# The form's fields, in the order the comparison shows them, with their labels. Title, body
# and decision are text and merged word by word; the others are short values.
TEXT_FIELDS = {"title": gettext_lazy("Rubrik"), "body": gettext_lazy("Text"), "clauses": gettext_lazy("Beslut")}
VALUE_FIELDS = {
    "dnr": gettext_lazy("Dnr"),
    "handled_at": gettext_lazy("Behandlades kl"),
    "stock_decision": gettext_lazy("Standardbeslut"),
    "exp_till": gettext_lazy("Exp. till"),
    "kopia_till": gettext_lazy("Kopia till"),
    "immediate_justering": gettext_lazy("Omedelbar justering (OJ)"),
    "is_confidential": gettext_lazy("Sekretess"),
    "osl_reference": gettext_lazy("Sekretess enligt (OSL)"),
}
FIELDS = (*TEXT_FIELDS, *VALUE_FIELDS)


def person_name(user: Any) -> str:
    """The name of the person a user is ("Ann Rilegård"), never the login."""
    if user is None:
        return _("någon annan")
    return display_name(user)


def _time(value: dt.time | str | None) -> str:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value or ""


def values_of(paragraph: Any, clauses: list[str]) -> dict[str, Any]:
    """A § (or a history row of one) as the editor's form holds it (strings and booleans)."""
    return {
        "title": paragraph.title or "",
        "body": paragraph.body or "",
        "clauses": "\n".join(clauses),
        "dnr": paragraph.dnr or "",
        "handled_at": _time(paragraph.handled_at),
        "stock_decision": paragraph.stock_decision or "",
        "exp_till": paragraph.exp_till or "",
        "kopia_till": paragraph.kopia_till or "",
        "immediate_justering": bool(paragraph.immediate_justering),
        "is_confidential": bool(paragraph.is_confidential),
        "osl_reference": paragraph.osl_reference or "",
    }


def values_of_form(data: dict[str, Any]) -> dict[str, Any]:
    """The secretary's values from the ParagraphForm's cleaned_data, as `values_of` gives them."""
    clauses = data.get("clauses") or ""
    if not isinstance(clauses, str):
        clauses = "\n".join(clauses)
    return {
        "title": (data.get("title") or "").strip(),
        "body": data.get("body") or "",
        "clauses": "\n".join(line.strip() for line in clauses.splitlines() if line.strip()),
        "dnr": (data.get("dnr") or "").strip(),
        "handled_at": _time(data.get("handled_at")),
        "stock_decision": data.get("stock_decision") or "",
        "exp_till": (data.get("exp_till") or "").strip(),
        "kopia_till": (data.get("kopia_till") or "").strip(),
        "immediate_justering": bool(data.get("immediate_justering")),
        "is_confidential": bool(data.get("is_confidential")),
        "osl_reference": (data.get("osl_reference") or "").strip(),
    }


def base_values(paragraph: Paragraph, version: int) -> dict[str, Any] | None:
    """The § as it was at `version`, from its history; None if the history does not reach it.

    An autosave keeps one history row per stretch of typing (editing.save_typed), brought up
    to the stretch's last version, so version `version` itself may be gone: then the newest
    row at or before it stands in. An older base only makes changes both sides share look
    like changes both made the same way, which the merge takes once.
    """
    row = (
        paragraph.history.filter(version__lte=version)
        .order_by("-version", "-history_date", "-history_id").first()
    )
    if row is None:
        return None
    # The clauses are saved after the § in the same act: they are as they were just before
    # the §'s next history row (or as now, if there is none).
    clause_rows = DecisionClause.history.filter(paragraph_id=paragraph.pk)
    following = (
        paragraph.history.filter(history_date__gt=row.history_date).order_by("history_date", "history_id").first()
    )
    if following is not None:
        clause_rows = clause_rows.filter(history_date__lt=following.history_date)
    clause_rows = clause_rows.order_by("id", "-history_date", "-history_id").distinct("id")
    clauses = sorted((c for c in clause_rows if c.history_type != "-"), key=lambda c: c.position)
    return values_of(row, [c.text for c in clauses])


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    diff: SideBySide


@dataclass(frozen=True)
class Unmerged:
    """A short value both changed differently: the merge keeps mine and shows theirs."""

    label: str
    mine: Any
    theirs: Any


@dataclass
class ParagraphConflict:
    paragraph: Paragraph  # as saved now (theirs)
    who: str  # the person who saved it
    when: str  # "14.03"
    version: int  # the saved version: a choice is saved on top of it
    rows: list[Row]
    theirs: dict[str, Any]
    mine: dict[str, Any]
    merged: dict[str, Any]
    merge_conflicts: int  # places kept twice between ⟦ ⟧ in the merged text
    unmerged: list[Unmerged] = field(default_factory=list)
    base_known: bool = True

    @property
    def theirs_id(self) -> str:
        """The id of the JSON element with theirs, for the editor's script."""
        return f"konflikt-{self.paragraph.pk}-theirs"

    @property
    def merged_id(self) -> str:
        return f"konflikt-{self.paragraph.pk}-merged"


def _shown(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if name == "stock_decision":
        return str(Paragraph.StockDecision(value).label) if value in Paragraph.StockDecision.values else value
    return str(value) if value else _("(tom)")


def paragraph_conflict(*, current: Paragraph, expected_version: int, mine: dict[str, Any]) -> ParagraphConflict:
    """Both texts side by side and their merge, for a save of `mine` (the secretary's values,
    `values_of_form`) based on `expected_version` that met `current` (StaleParagraph.current)."""
    clauses = [c.text for c in current.clauses.order_by("position")]
    theirs = values_of(current, clauses)
    base = base_values(current, expected_version)
    who = person_name(current.updated_by)
    theirs_label = _("Text av %(who)s") % {"who": who}
    mine_label = _("Din text")

    rows = [
        Row(name, str(label), side_by_side(mine[name], theirs[name], as_html=is_html(mine[name]) or is_html(theirs[name]))
            if name == "body" else side_by_side(mine[name], theirs[name], as_html=False))
        for name, label in TEXT_FIELDS.items()
    ]
    merged: dict[str, Any] = {}
    conflicts = 0
    for name in TEXT_FIELDS:
        result = merge_text(
            base[name] if base is not None else None, mine[name], theirs[name],
            mine_label=mine_label, theirs_label=theirs_label, as_html=None if name == "body" else False,
        )
        merged[name] = result.text
        conflicts += result.conflicts
    unmerged = []
    for name, label in VALUE_FIELDS.items():
        was = base[name] if base is not None else None
        if mine[name] == theirs[name] or theirs[name] == was:
            merged[name] = mine[name]
        elif mine[name] == was:
            merged[name] = theirs[name]
        else:
            merged[name] = mine[name]
            unmerged.append(Unmerged(str(label), _shown(name, mine[name]), _shown(name, theirs[name])))
        if mine[name] != theirs[name]:
            rows.append(Row(name, str(label), side_by_side(_shown(name, mine[name]), _shown(name, theirs[name]), as_html=False)))
    when = timezone.localtime(current.updated_at).strftime("%H.%M") if current.updated_at else ""
    return ParagraphConflict(
        paragraph=current, who=who, when=when, version=current.version, rows=rows,
        theirs={**theirs, "version": current.version}, mine=mine,
        merged={**merged, "version": current.version}, merge_conflicts=conflicts,
        unmerged=unmerged, base_known=base is not None,
    )
