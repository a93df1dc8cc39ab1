"""Swedish amounts as every table, PDF and spreadsheet writes them (board/formatting.py)."""

from decimal import Decimal

import pytest

from board.formatting import NBSP, format_amount, format_kr


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (9519000, 0, "9 519 000"),
    (Decimal("-9519000"), 0, "-9 519 000"),
    (999, 0, "999"),
    (1000, 0, "1 000"),
    (-1000, 0, "-1 000"),
    (0, 0, "0"),
    (Decimal("-0.4"), 0, "0"),  # rounds to -0: no minus sign on a zero
    (Decimal("-0.004"), 2, "0,00"),
    (Decimal("2.5"), 0, "3"),  # half up, as the accounts round, not to even
    (Decimal("-2.5"), 0, "-3"),
    (Decimal("1234567.891"), 2, "1 234 567,89"),
    (Decimal("-1234.5"), 2, "-1 234,50"),
    (1.5, 0, "2"),
    (Decimal("123456789012"), 0, "123 456 789 012"),
])
def test_amounts_are_grouped_with_no_break_spaces_and_a_decimal_comma(value, decimals, expected):
    assert format_amount(value, decimals=decimals) == expected.replace(" ", NBSP)


def test_no_amount_is_an_empty_cell():
    assert format_amount(None) == ""
    assert format_kr(None) == ""
    assert format_kr(Decimal("-12500")) == f"-12{NBSP}500{NBSP}kr"
