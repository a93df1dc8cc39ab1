"""The legal dates of a notice, as a table of real calendar cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minutes.notices.legal_dates import (
    last_appeal_day,
    latest_posting_day,
    next_working_day,
    non_working_reason,
    validate_posting_day,
)

D = dt.date


@pytest.mark.parametrize(
    ("posted", "last_day", "why"),
    [
        # Seed 004: posted 2023-11-06, taken down 2023-11-27 (a Monday, three weeks on).
        (D(2023, 11, 6), D(2023, 11, 27), "ordinary weekday"),
        (D(2024, 3, 5), D(2024, 3, 26), "ordinary Tuesday"),
        (D(2024, 8, 17), D(2024, 9, 9), "last day a Saturday moves to Monday"),
        (D(2024, 8, 18), D(2024, 9, 9), "last day a Sunday moves to Monday"),
        (D(2024, 5, 31), D(2024, 6, 24), "midsommarafton 21 June, then the weekend with midsommardagen"),
        (D(2025, 5, 30), D(2025, 6, 23), "2025: last day midsommarafton 20 June -> Monday 23 June"),
        (D(2024, 12, 3), D(2024, 12, 27), "julafton 24 Dec, juldagen, annandag jul -> 27 Dec"),
        (D(2024, 12, 10), D(2025, 1, 2), "nyårsafton 31 Dec and nyårsdagen -> 2 Jan"),
        (D(2025, 12, 16), D(2026, 1, 7), "2026: 6 Jan trettondedag jul -> 7 Jan"),
        (D(2024, 3, 8), D(2024, 4, 2), "Långfredagen 29 Mar ... annandag påsk 1 Apr -> 2 Apr"),
        (D(2024, 3, 11), D(2024, 4, 2), "last day annandag påsk (Monday) -> Tuesday"),
        (D(2024, 4, 18), D(2024, 5, 9 + 1), "Kristi himmelsfärdsdag 9 May -> 10 May"),
        (D(2024, 5, 16), D(2024, 6, 7), "nationaldagen 6 June -> 7 June"),
    ],
)
def test_last_day_of_appeal(posted, last_day, why):
    assert last_appeal_day(posted) == last_day, why
    assert non_working_reason(last_day) is None


def test_the_de_facto_holidays_of_lag_1930_173_are_not_working_days():
    assert non_working_reason(D(2024, 6, 21)) == "midsommarafton"
    assert non_working_reason(D(2024, 12, 24)) == "julafton"
    assert non_working_reason(D(2024, 12, 31)) == "nyårsafton"
    # Ordinary eves are working days: skärtorsdagen, valborgsmässoafton.
    assert non_working_reason(D(2024, 3, 28)) is None
    assert non_working_reason(D(2024, 4, 30)) is None


def test_next_working_day_leaves_a_working_day_alone():
    assert next_working_day(D(2024, 11, 20)) == D(2024, 11, 20)


@pytest.mark.parametrize(
    ("justered", "posted", "allowed"),
    [
        (D(2023, 11, 6), D(2023, 11, 6), True),
        (D(2023, 11, 6), D(2023, 11, 7), True),
        (D(2023, 11, 6), D(2023, 11, 8), True),
        (D(2023, 11, 6), D(2023, 11, 9), False),
        (D(2023, 11, 6), D(2023, 11, 5), False),
        # The two days are calendar days: a Friday justering is posted by Sunday.
        (D(2024, 11, 22), D(2024, 11, 24), True),
        (D(2024, 11, 22), D(2024, 11, 25), False),
    ],
)
def test_posting_limit_of_two_days(justered, posted, allowed):
    assert latest_posting_day(justered) == justered + dt.timedelta(days=2)
    if allowed:
        validate_posting_day(justered=justered, posted=posted)
    else:
        reason = "före justeringen" if posted < justered else "senast andra dagen efter justeringen"
        with pytest.raises(ValidationError, match=reason) as excinfo:
            validate_posting_day(justered=justered, posted=posted)
        assert "posted_on" in excinfo.value.message_dict
