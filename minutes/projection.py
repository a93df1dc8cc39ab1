"""What the public may see of justerade minutes: the one place of the OSL rule.

The public page, the public PDF, the public API and the search index are all built from
`public_minutes(snapshot)`: the signed snapshot (minutes/justering/rules.py `minutes_snapshot`,
the JSON every signer signed and whose hash the version keeps) with every confidential
paragraph (OSL, offentlighets- och sekretesslagen) reduced to its number and its OSL
reference. Nothing else in the product decides what of a paragraph is public; a consumer
that needs more than the projection gives has to change this module, where the tests
(tests/public/test_projection.py) try every field of a confidential paragraph.
"""

from __future__ import annotations

import copy
from typing import Any

# What the public sees of a confidential paragraph: where it stands and why it is not shown.
MASKED_KEYS = ("id", "label", "number", "prefix", "osl_reference")


def public_paragraph(item: dict[str, Any]) -> dict[str, Any]:
    """One paragraph of a snapshot as the public may see it (a copy)."""
    if item.get("confidential"):
        return {**{key: item.get(key) for key in MASKED_KEYS}, "confidential": True}
    return {**copy.deepcopy(item), "confidential": False}


def public_minutes(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The signed snapshot as the public may see it (a copy; the snapshot is not changed)."""
    projected = copy.deepcopy({key: value for key, value in snapshot.items() if key != "paragraphs"})
    projected["paragraphs"] = [public_paragraph(item) for item in snapshot.get("paragraphs", [])]
    return projected


def is_masked(item: dict[str, Any]) -> bool:
    """Whether a projected paragraph is shown as its number and OSL reference only."""
    return bool(item.get("confidential"))
