"""Path converters shared by the apps' URLconfs (registered in config/urls.py)."""

from __future__ import annotations


class YearConverter:
    """`<year:year>`: a calendar year of four digits (1000-9999).

    With `<int:year>` an address like /protokoll/prov/0/ reached `date(year, 1, 1)` and
    answered 500; with this it does not match and is 404."""

    regex = "[1-9][0-9]{3}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
