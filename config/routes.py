"""The address of one named route for many values: reverse() once, then a string format.

A list of links to one route (a search's twenty hits, the archive's associations, a sitemap's
thousands of minutes) paid Django's reverse() for each: 60-70 us a link on this machine kind,
1.2-1.4 ms of a search's page and 4.4 ms of the minutes index's 11 (issue 18, measured with
timeit and bench/public_inprocess.py). A Route reverses its two samples once per script prefix
and keeps the address as a format with a place for each value; it checks that the format gives
what reverse() gives for the second sample. A value it cannot vouch for (not an int >= 0 or a
string of letters, digits, "-" and "_", which no converter here transforms and none quotes)
goes through reverse() as before, with its NoReverseMatch. (No URLconf here varies by request
or language: the format is kept by script prefix only.)
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, reverse

_PLAIN = re.compile(r"[-A-Za-z0-9_]+")


def _plain(value: Any) -> bool:
    if type(value) is int:
        return value >= 0
    return type(value) is str and _PLAIN.fullmatch(value) is not None


class Route:
    """`Route(name, first, second)(*values) == reverse(name, args=values)`.

    `first` and `second` are two tuples of valid values for the route's arguments (each value's
    text found once in its address, no two values alike)."""

    def __init__(self, name: str, first: tuple[Any, ...], second: tuple[Any, ...]) -> None:
        texts = [str(value) for value in (*first, *second)]
        if len(first) != len(second) or not all(map(_plain, (*first, *second))) or len(set(texts)) != len(texts):
            raise ImproperlyConfigured(f"{name}: two samples of plain values, all different, one for each argument")
        self.name = name
        self._samples = first, second
        self._formats: dict[str, str] = {}  # by script prefix

    def _format(self, prefix: str) -> str:
        first, second = self._samples
        texts = [str(value) for value in first]
        address = reverse(self.name, args=first)
        pieces = re.split("(" + "|".join(map(re.escape, texts)) + ")", address)
        found = pieces[1::2]
        if sorted(found) != sorted(texts):
            raise ImproperlyConfigured(f"{self.name}: each sample must appear once in {address}")
        escaped = [piece.replace("{", "{{").replace("}", "}}") for piece in pieces]
        escaped[1::2] = [f"{{{texts.index(text)}}}" for text in found]
        form = "".join(escaped)
        if form.format(*second) != reverse(self.name, args=second):
            raise ImproperlyConfigured(f"{self.name}: its address is not its values written in")
        self._formats[prefix] = form
        return form

    def __call__(self, *values: Any) -> str:
        if len(values) != len(self._samples[0]) or not all(map(_plain, values)):
            return reverse(self.name, args=values)
        prefix = get_script_prefix()
        return (self._formats.get(prefix) or self._format(prefix)).format(*values)
