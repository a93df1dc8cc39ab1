"""The dates Kommunallagen and Lag (1930:173) set for a posted justering.

- The justering is announced on the notice board no later than the second day after it
  (KL 8 kap 12 §): the posting day may be the justering day or up to two days later.
- Appeal (laglighetsprövning) is possible within three weeks from the day of posting
  (KL 13 kap 5 §). A last day that falls on a Saturday, Sunday, public holiday,
  midsommarafton, julafton or nyårsafton moves to the next working day (Lag (1930:173) 2 §).
- The notice stays up through that last day and is taken down after it (KL 8 kap 12 §).

The holiday calendar is the `holidays` package: Sweden's public holidays plus its de facto
holidays, which are exactly midsommarafton, julafton and nyårsafton.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.core.exceptions import ValidationError

POSTING_LIMIT_DAYS = 2
APPEAL_PERIOD = dt.timedelta(weeks=3)


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.Sweden(years=year, categories=("public", "de_facto"), language="sv")


def non_working_reason(day: dt.date) -> str | None:
    """Why a day is not a working day under Lag (1930:173), or None for a working day."""
    if day.weekday() == 5:
        return "lördag"
    if day.weekday() == 6:
        return "söndag"
    name = _holidays(day.year).get(day)
    return name.lower() if name else None


def next_working_day(day: dt.date) -> dt.date:
    """The day itself when it is a working day, otherwise the first working day after it."""
    while non_working_reason(day):
        day += dt.timedelta(days=1)
    return day


def last_appeal_day(posted: dt.date) -> dt.date:
    """Three weeks from the day of posting, moved off a weekend or holiday."""
    return next_working_day(posted + APPEAL_PERIOD)


def latest_posting_day(justered: dt.date) -> dt.date:
    return justered + dt.timedelta(days=POSTING_LIMIT_DAYS)


def validate_posting_day(*, justered: dt.date, posted: dt.date) -> None:
    """The secretary may post on the justering day or up to two days later, never else."""
    if posted < justered:
        raise ValidationError(
            {"posted_on": f"Anslaget kan inte sättas upp före justeringen ({justered:%Y-%m-%d})."}
        )
    latest = latest_posting_day(justered)
    if posted > latest:
        raise ValidationError(
            {
                "posted_on": (
                    f"Justeringen ska tillkännages senast andra dagen efter justeringen, "
                    f"det vill säga senast {latest:%Y-%m-%d}."
                )
            }
        )
