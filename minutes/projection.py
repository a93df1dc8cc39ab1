"""What the public may see of justerade minutes: the one place of the OSL rule.

The public page, the public PDF, the public API and the search index are all built from
`public_minutes(snapshot)`: the signed snapshot (minutes/justering/rules.py `minutes_snapshot`,
the JSON every signer signed and whose hash the version keeps) with every confidential
paragraph (OSL, offentlighets- och sekretesslagen) reduced to its number and its OSL
reference. Nothing else in the product decides what of a paragraph is public; a consumer
that needs more than the projection gives has to change this module, where the tests
(tests/public/test_projection.py) try every field of a confidential paragraph.

Personal identity numbers. Whatever the secretary typed, no public output carries a
personnummer or samordningsnummer: every text of the projection, confidential or not, goes
through `public_text`, which replaces each number that passes the date and Luhn checks
(board.identity.mask_identity_numbers) with its form, "ÅÅMMDD-XXXX" or "ÅÅÅÅMMDD-XXXX". The
outputs not built from the snapshot (the notices, the meetings' place, the calendar, the
public PDF's print) use `public_text` / `public_value` too (see README, "Personal data on the
public side"). Before the minutes are sent for justering, `identity_number_warnings` names
the paragraphs that hold one, so the secretary can take it out of the record itself.
"""

from __future__ import annotations

import copy
from typing import Any

from board.identity import identity_number_shown, identity_numbers, mask_identity_numbers

# What the public sees of a confidential paragraph: where it stands and why it is not shown.
MASKED_KEYS = ("id", "label", "number", "prefix", "osl_reference")


def public_text(text: str) -> str:
    """A text as the public may see it: personal identity numbers replaced by their form."""
    return mask_identity_numbers(text)


def public_value(value: Any) -> Any:
    """`value` (JSON-like: dicts, lists, strings, numbers) with `public_text` applied to every
    string in it, keys excepted; a new object."""
    if isinstance(value, str):
        return public_text(value)
    if isinstance(value, dict):
        return {key: public_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [public_value(item) for item in value]
    return copy.deepcopy(value)


def public_paragraph(item: dict[str, Any]) -> dict[str, Any]:
    """One paragraph of a snapshot as the public may see it (a copy)."""
    if item.get("confidential"):
        return public_value({**{key: item.get(key) for key in MASKED_KEYS}, "confidential": True})  # type: ignore[no-any-return]
    return {**public_value(item), "confidential": False}


def public_minutes(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The signed snapshot as the public may see it (a copy; the snapshot is not changed)."""
    projected: dict[str, Any] = public_value({key: value for key, value in snapshot.items() if key != "paragraphs"})
    projected["paragraphs"] = [public_paragraph(item) for item in snapshot.get("paragraphs", [])]
    return projected


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


# Where in the snapshot, outside the paragraphs, a warning says a number stands.
PLACES = {"meeting": "Sammanträdet", "attendance": "Närvaro", "adjusters": "Justerare", "signers": "Underskrifter"}


def identity_number_warnings(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    """[(where, the number masked as 19xxxxxx-xx76)] for every personnummer or
    samordningsnummer that the public version would have to mask: in the head of the
    minutes (place, attendance and its notes) and in every paragraph that is not confidential
    (a confidential one is not public at all). `where` is "§ 12" or "Närvaro"."""
    found: list[tuple[str, str]] = []
    for key, value in snapshot.items():
        if key in ("paragraphs", "format"):
            continue
        for text in _strings(value):
            found += [(PLACES.get(key, key), identity_number_shown(n)) for n in identity_numbers(text)]
    for item in snapshot.get("paragraphs", []):
        if item.get("confidential"):
            continue
        for text in _strings({k: v for k, v in item.items() if k != "label"}):
            found += [(str(item.get("label", "")), identity_number_shown(n)) for n in identity_numbers(text)]
    return list(dict.fromkeys(found))


def is_masked(item: dict[str, Any]) -> bool:
    """Whether a projected paragraph is shown as its number and OSL reference only."""
    return bool(item.get("confidential"))
