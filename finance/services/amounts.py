"""Amounts as people and accounting exports write them, and the bounds every stored amount keeps."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_amount(value: Any) -> Decimal | None:
    """A number as an accounting export or a person writes it, or None when it is not one.

    Accepts "-1 093 741", "−1 093 741,50", "1093741.5", "12 000 kr" and spreadsheet numbers.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = _SPACES.sub("", str(value)).replace("\u2212", "-").removesuffix("kr").strip()
    if not text:
        return None
    if "," in text and "." in text:
        return None  # ambiguous thousands separators: ask for a clean export
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def money(value: Decimal) -> Decimal:
    """The amount, if it is one a budget may hold: öre at most, and less than a trillion."""
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({"amount": "Beloppet får ha högst två decimaler."})
    if abs(value) >= Decimal("1e12"):
        raise ValidationError({"amount": "Beloppet är orimligt stort."})
    return value
