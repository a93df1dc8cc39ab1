"""An address of a named route for many values, reversed once (config/routes.py): the same
text as reverse() for every value, under any script prefix, and reverse() itself for a value
the format cannot vouch for."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse, set_script_prefix
from hypothesis import given, settings
from hypothesis import strategies as st

from config.routes import Route
from minutes.public.links import MINUTES_DETAIL, MINUTES_YEAR, MINUTES_YEARS

slugs = st.from_regex(r"[-A-Za-z0-9_]{1,20}", fullmatch=True)
years = st.integers(1000, 9999)
ids = st.integers(0, 2**63 - 1)


@settings(deadline=None, max_examples=300)  # the first example loads the URLconf
@given(slug=slugs, year=years, pk=ids)
def test_the_public_links_are_what_reverse_gives(slug, year, pk):
    assert MINUTES_DETAIL(slug, year, pk) == reverse("public:minutes_detail", args=[slug, year, pk])
    assert MINUTES_YEAR(slug, year) == reverse("public:minutes_year", args=[slug, year])
    assert MINUTES_YEARS(slug) == reverse("public:minutes_years", args=[slug])


@pytest.mark.parametrize(("prefix", "start"), [("/", "/protokoll/"), ("/samordna/", "/samordna/protokoll/"),
                                               ("/{x}/", "/%7Bx%7D/protokoll/")])
def test_under_another_script_prefix_too(prefix, start):
    try:
        set_script_prefix(prefix)
        for values in (("prov", 2024, 17), ("a-b_c", 1999, 0)):
            assert MINUTES_DETAIL(*values) == reverse("public:minutes_detail", args=values)
            assert MINUTES_DETAIL(*values).startswith(start)
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("values", [("förbund", 2024, 1), ("a b", 2024, 1), ("a/b", 2024, 1), ("prov", 2024, -1),
                                    ("prov", "2024", 1), ("prov", 2024), ("prov", 2024, 1, 2)])
def test_a_value_it_cannot_vouch_for_goes_through_reverse(values):
    try:
        expected: str | type[Exception] = reverse("public:minutes_detail", args=values)
    except NoReverseMatch:
        expected = NoReverseMatch
    if expected is NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            MINUTES_DETAIL(*values)
    else:
        assert MINUTES_DETAIL(*values) == expected


@pytest.mark.parametrize(("first", "second"), [
    (("pr", 2001, 90001), ("andra", 2002, 90002)),  # "pr" is in "protokoll" too
    (("forsta", 2001, 2001), ("andra", 2002, 2003)),  # two values alike
    (("forsta", 2001, 90001), ("forsta", 2002, 90002)),  # a value alike in both samples
    (("forsta", 2001), ("andra", 2002)),  # an argument missing
    (("forsta", 2001, "x y"), ("andra", 2002, 9)),  # not a plain value
])
def test_samples_that_cannot_show_the_format_are_refused(first, second):
    with pytest.raises((ImproperlyConfigured, NoReverseMatch)):
        Route("public:minutes_detail", first, second)(*("prov", 2024, 1)[:len(first)])
