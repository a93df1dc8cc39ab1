"""Swedish number and date formats, shared by templates, PDFs and spreadsheets."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"


def format_amount(value: Decimal | int | float | None, *, decimals: int = 0) -> str:
    """9519000 -> '9 519 000' (thin groups with no-break spaces)."""
    if value is None:
        return ""
    number = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if not number:
        number = abs(number)  # -0.4 rounds to -0, written 0
    # Python's thousands separator, then the Swedish ones: a third faster than grouping by hand,
    # and the budget page writes five amounts a line.
    return f"{number:,f}".replace(",", NBSP).replace(".", ",")


def format_kr(value: Decimal | int | float | None) -> str:
    """9519000 -> '9 519 000 kr'."""
    return "" if value is None else f"{format_amount(value)}{NBSP}kr"


# The control characters XML 1.0 cannot hold (tab, line feed and carriage return it can).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def printable(text: str) -> str:
    """`text` without the control characters XML cannot carry: a pasted escape or bell in a
    notice's title would otherwise stop the whole feed from being written."""
    return _CONTROL_CHARACTERS.sub("", text)


def one_line(text: str) -> str:
    """`text` on one line, runs of white space as one space: for an e-mail's Subject, which
    cannot hold a line break (a title typed with one made sending fail)."""
    return " ".join(text.split())


def format_date(value: dt.date | dt.datetime | None) -> str:
    """ISO dates as Swedish authorities write them: 2023-08-29."""
    return "" if value is None else value.strftime("%Y-%m-%d")
